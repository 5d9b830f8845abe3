"""CLT101 await-sync-cache-call, CLT102 cache-call-signature, CLT104 blocking-cache-call-in-async.

All three look at one call of a method on a receiver the engine knows to be a
synchronous cache, so they share the receiver and method resolution.  The
fix hint for the codemod (model class, list or single) is attached here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic, FixHint
from cachelint.analysis.knowledge import MethodInfo
from cachelint.analysis.semantic import Visit
from cachelint.analysis.types import Ty

REWRITABLE = frozenset({"get", "set"})


def check_call(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
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
        yield Diagnostic(
            parent.lineno, parent.col_offset, "CLT101", base_args, hint, parent.end_lineno, parent.end_col_offset
        )
    spread = any(isinstance(arg, ast.Starred) for arg in node.args) or any(kw.arg is None for kw in node.keywords)
    if info.signature is not None and not spread:
        problem = info.signature.bind_problem(len(node.args), [kw.arg for kw in node.keywords if kw.arg is not None])
        if problem is not None:
            args = dict(base_args)
            args["args"] = ", ".join(ctx.source(a) for a in [*node.args, *node.keywords])
            args["signature"] = info.signature.render()
            args["problem"] = problem
            yield Diagnostic(
                node.lineno,
                node.col_offset,
                "CLT102",
                args,
                hint or fix_hint(ctx, visit, node, info, awaited=awaited),
                node.end_lineno,
                node.end_col_offset,
            )
    # CLT104 is about blocking the event loop: only methods that reach the store count,
    # not key builders or status getters of the same class.
    if not awaited and ctx.runs_on_event_loop(visit.scope) and ctx.knowledge.data_access(cls, func.attr):
        function = ctx.enclosing_function(visit.scope)
        args = dict(base_args)
        args["function"] = function.name if function is not None else "<async>"
        yield Diagnostic(
            node.lineno,
            node.col_offset,
            "CLT104",
            args,
            fix_hint(ctx, visit, node, info, awaited=False),
            node.end_lineno,
            node.end_col_offset,
        )


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


NODE_CHECKS = [(ast.Call, check_call)]
