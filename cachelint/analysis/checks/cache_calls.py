"""CLT101 await-sync-cache-call, CLT102 cache-call-signature, CLT104 blocking-cache-call-in-async.

All three look at one call of a method on a receiver the engine knows to be a
synchronous cache, so they share the receiver and method resolution.  The
fix hint for the codemod (model class, list or single) is attached here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from cachelint import policy
from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic, FixHint
from cachelint.analysis.knowledge import MethodInfo
from cachelint.analysis.semantic import BindingKind, Visit
from cachelint.analysis.types import Inst, Ty
from cachelint.rules import CLT101, CLT102, CLT104

REWRITABLE = frozenset({"get", "set"})


@CLT101.on(ast.Call)
@CLT102.on(ast.Call)
@CLT104.on(ast.Call)
def check_call(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
    found = list(_check_call(ctx, visit))
    if found:
        # Proof that the method returns no awaitable may need its body: read only now.
        node = visit.node
        assert isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        func = node.func
        cls = ctx.model.receiver_cache(func.value, visit.scope)
        if cls is None or not ctx.knowledge.proven_sync(cls, func.attr):
            return
    yield from found


def _check_call(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
    node = visit.node
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute):
        return
    cls = ctx.model.receiver_cache(func.value, visit.scope)
    if cls is None:
        return
    info = ctx.knowledge.cache_method(cls, func.attr)
    if info is None or info.is_async:
        return
    parent = visit.parent
    awaited = isinstance(parent, ast.Await) and parent.value is node
    receiver = ctx.source(func.value)
    base_args = {"receiver": receiver, "cls": info.cls, "method": func.attr}
    hint: FixHint | None = None
    if awaited and not info.returns_awaitable:
        assert isinstance(parent, ast.Await)
        hint = fix_hint(ctx, visit, node, info, awaited=True)
        yield ctx.report(parent, CLT101, hint, **base_args)
    spread = any(isinstance(arg, ast.Starred) for arg in node.args) or any(kw.arg is None for kw in node.keywords)
    if info.signature is not None and not spread:
        problem = info.signature.bind_problem(len(node.args), [kw.arg for kw in node.keywords if kw.arg is not None])
        if problem is not None:
            yield ctx.report(
                node,
                CLT102,
                hint or fix_hint(ctx, visit, node, info, awaited=awaited),
                **base_args,
                args=", ".join(ctx.source(a) for a in [*node.args, *node.keywords]),
                signature=info.signature.render(),
                problem=problem,
            )
    # CLT104 is about blocking the event loop: only methods that reach the store count,
    # not key builders or status getters of the same class.
    if (
        not awaited
        and ctx.runs_on_event_loop(visit.scope)
        and not _own_instance(func.value, visit)
        and ctx.knowledge.data_access(cls, func.attr)
    ):
        function = ctx.enclosing_function(visit.scope)
        yield ctx.report(
            node,
            CLT104,
            fix_hint(ctx, visit, node, info, awaited=False),
            **base_args,
            function=function.name if function is not None else "<async>",
        )


#: How a method's own receiver is bound (``self``, or ``cls`` in a classmethod).
_OWN = frozenset({BindingKind.SELF, BindingKind.CLS})


def _own_instance(receiver: ast.expr, visit: Visit) -> bool:
    """``self`` inside the cache class's own method: the class implementing its async API
    over its sync one (Django's ``async def aload(self): return self.load()``) is the
    library's design, not a caller blocking the loop by mistake."""
    if not isinstance(receiver, ast.Name):
        return False
    scope = visit.scope.function
    if scope is None or scope.cls is None:
        return False
    return any(binding.kind in _OWN for binding in scope.bindings.get(receiver.id, ()))


#: Calls whose result is an event loop, and the classes whose ``create_task`` consumes awaitables.
_LOOP_FACTORIES = frozenset(
    {"asyncio.get_running_loop", "asyncio.get_event_loop", "asyncio.new_event_loop", "asyncio.events.get_running_loop"}
)
_TASK_GROUPS = frozenset({"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup"})


@CLT101.on(ast.Call)
def check_awaitable_consumer(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
    """CLT101 for a sync cache call's result handed to a call that awaits it (issue 10 item 5).

    ``asyncio.gather(cache.get(k))``, ``create_task``, ``ensure_future``,
    ``wait_for``, ``shield``, ``tg.create_task`` on an ``asyncio.TaskGroup`` and
    ``loop.create_task`` crash as ``await`` does: a sync method's result is no
    awaitable.  Reported at the argument; the codemod lists it, it does not
    rewrite it.
    """
    node = visit.node
    parent = visit.parent
    if not isinstance(parent, ast.Call) or node not in parent.args:
        return  # the cheap test first: every call passes here
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute) or not _consumes(ctx, visit, parent, parent.args.index(node)):
        return
    cls = ctx.model.receiver_cache(func.value, visit.scope)
    if cls is None:
        return
    info = ctx.knowledge.cache_method(cls, func.attr)
    if info is None or info.is_async or info.returns_awaitable:
        return
    yield ctx.report(node, CLT101, receiver=ctx.source(func.value), cls=info.cls, method=func.attr)


def _consumes(ctx: Context, visit: Visit, consumer: ast.Call, position: int) -> bool:
    """Whether ``consumer`` awaits its argument at ``position``."""
    callee = consumer.func
    if not isinstance(callee, (ast.Name, ast.Attribute)):
        return False
    qualname = visit.scope.qualify(callee)
    if qualname is not None and policy.consumes_awaitable(ctx.knowledge.index.canonical_name(qualname)):
        # gather/wait take awaitables everywhere; the others only their first argument.
        return position == 0 or qualname.rpartition(".")[2] in ("gather", "wait", "as_completed")
    if not isinstance(callee, ast.Attribute) or callee.attr not in policy.AWAITABLE_CONSUMER_METHODS:
        return False
    return position == 0 and policy.consumes_awaitable(None, callee.attr, _owner(ctx, visit, callee.value))


def _owner(ctx: Context, visit: Visit, receiver: ast.expr) -> str | None:
    """``asyncio.TaskGroup`` / ``asyncio.AbstractEventLoop`` when ``receiver`` is one, as written."""
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, (ast.Name, ast.Attribute)):
        if visit.scope.qualify(receiver.func) in _LOOP_FACTORIES:
            return "asyncio.AbstractEventLoop"
        return None
    if not isinstance(receiver, ast.Name):
        return None
    ty = ctx.model.type_of(receiver, visit.scope)
    if isinstance(ty, Inst) and ty.qualname in policy.AWAITABLE_CONSUMER_OWNERS:
        return ty.qualname
    owner = ctx.model.lookup_scope(receiver.id, visit.scope)
    if owner is None:
        return None
    for binding in owner.bindings.get(receiver.id, ()):
        value = binding.expr if binding.kind is BindingKind.VALUE else None
        if isinstance(value, ast.Call) and isinstance(value.func, (ast.Name, ast.Attribute)):
            if owner.qualify(value.func) in _LOOP_FACTORIES:
                return "asyncio.AbstractEventLoop"
    # ``async with asyncio.TaskGroup() as tg``: the with statement binds ``tg``.
    for statement in ast.walk(owner.node):
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            for item in statement.items:
                target, context = item.optional_vars, item.context_expr
                if (
                    isinstance(target, ast.Name)
                    and target.id == receiver.id
                    and isinstance(context, ast.Call)
                    and isinstance(context.func, (ast.Name, ast.Attribute))
                    and owner.qualify(context.func) in _TASK_GROUPS
                ):
                    return "asyncio.TaskGroup"
    return None


def fix_hint(ctx: Context, visit: Visit, node: ast.Call, info: MethodInfo, *, awaited: bool) -> FixHint:
    """What the codemod needs to rewrite this call, or why it must not."""
    assert isinstance(node.func, ast.Attribute)
    function = ctx.enclosing_function(visit.scope)
    base = FixHint(
        method=info.name,
        receiver=ctx.source(node.func.value),
        operation=function.name if function is not None else None,
        awaited=awaited,
    )
    if info.name not in REWRITABLE:
        return replace(base, reason=f"only get and set calls are rewritten, not {info.name}()")
    target: Ty | None = None
    origin = "the enclosing function's return annotation"
    if info.name == "set" and len(node.args) in (2, 3) and not node.keywords:
        target = ctx.model.type_of(node.args[-1], visit.scope)
        origin = "the stored value's declared type"
    elif info.name == "get":
        holder = visit.parent if awaited else node
        outer = ctx.model.parent(holder) if holder is not None else None
        if isinstance(outer, ast.AnnAssign) and outer.value is holder:
            target = ctx.knowledge.resolver.resolve(outer.annotation, visit.scope)
            origin = "the annotated target"
    if ctx.model_shape(target) is None and function is not None and function.returns is not None:
        target = ctx.knowledge.resolver.resolve(function.returns, visit.scope)
        origin = "the enclosing function's return annotation"
    if info.name == "get" and len(node.args) + len(node.keywords) not in (1, 2):
        return replace(base, reason="the key arguments cannot be mapped to a CacheKey")
    shape = ctx.model_shape(target)
    if shape is None:
        return replace(
            base,
            reason=(
                f"cannot tell which Pydantic model the cached value is from {origin}; "
                "annotate it as list[Model] or Model"
            ),
        )
    kind, model = shape
    local, why = ctx.local_name(model)
    return replace(base, shape=kind, model=model, model_source=local, reason=why)
