"""CLT101 await-sync-cache-call, CLT102 cache-call-signature, CLT104 blocking-cache-call-in-async,
and the ``object`` typing of untyped ``get`` results that CLT103 builds on.

All of them fire from mypy's hooks for a method call on a receiver whose
*resolved* type is a synchronous cache class, so they see what a per-file
linter cannot: receivers typed in other packages, inherited methods,
narrowed ``Optional`` values, protocols.

CLT101 is reported once, at the ``await``.  When ``cachelint-await-sync`` is
enabled the call is typed as a coroutine of its real result, which keeps
mypy's own generic ``Incompatible types in "await"`` error from repeating the
finding and keeps the awaited value's type; with the code disabled mypy's
own error is left to speak.  CLT102 is reported beside mypy's ``call-arg``
error, naming the cache method's parameters.
"""

from __future__ import annotations

from mypy.checker import TypeChecker
from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    ARG_STAR,
    ARG_STAR2,
    Argument,
    CallExpr,
    Expression,
    FuncDef,
    MemberExpr,
    NameExpr,
    RefExpr,
    TypeInfo,
    Var,
)
from mypy.plugin import MethodContext, MethodSigContext
from mypy.sharedparse import argument_elide_name, special_function_elide_names
from mypy.subtypes import is_subtype
from mypy.types import (
    AnyType,
    CallableType,
    FunctionLike,
    NoneType,
    Type,
    TypeOfAny,
    UninhabitedType,
    UnionType,
    get_proper_type,
)

from cachelint import policy
from cachelint.mypy_plugin import codes
from cachelint.mypy_plugin.classes import method_definition
from cachelint.mypy_plugin.state import RunState, Source, instance_info
from cachelint.mypy_plugin.syntax import ModuleFacts
from cachelint.rules import BY_CODE
from cachelint.signatures import Kind, Param, Signature


def _sync_cache_class(state: RunState, receiver: Type, method: str) -> TypeInfo | None:
    info = instance_info(get_proper_type(receiver))
    if info is None or state.oracle.cache_kind(info) != "sync":
        return None
    return info if state.oracle.is_sync_method(info, method) else None


def returns_awaitable(checker: TypeChecker, returned: Type) -> bool:
    """Whether a declared return may be awaitable (redis-py's ``Union[Awaitable[Any], Any]``)."""
    proper = get_proper_type(returned)
    items = proper.items if isinstance(proper, UnionType) else [proper]
    awaitable = checker.named_generic_type("typing.Awaitable", [AnyType(TypeOfAny.special_form)])
    for item in items:
        item = get_proper_type(item)
        if isinstance(item, (AnyType, NoneType, UninhabitedType)):
            continue
        if is_subtype(item, awaitable):
            return True
    return False


def is_untyped(returned: Type) -> bool:
    """``Any`` (declared or implicit), alone or in a union such as ``Any | None``."""
    proper = get_proper_type(returned)
    if isinstance(proper, UnionType):
        return any(isinstance(get_proper_type(item), AnyType) for item in proper.items)
    return isinstance(proper, AnyType)


def _explicit_call(context: object, method: str) -> CallExpr | None:
    """``context`` when it is the call ``receiver.method(...)`` itself.

    mypy also fires method hooks for implicit calls (``__enter__`` of a
    ``with`` item, ``__getitem__`` of a subscript...), with the surrounding
    expression as context; those are not calls of ``method``.
    """
    if isinstance(context, CallExpr) and isinstance(context.callee, MemberExpr) and context.callee.name == method:
        return context
    return None


def consumer_of(checker: TypeChecker | None, facts: ModuleFacts, call: CallExpr) -> CallExpr | None:
    """The call that ``call``'s result is handed to, when that call awaits it (CLT101):
    ``asyncio.gather(...)``, ``wait_for``, ``shield``, ``create_task``, ``ensure_future``,
    ``TaskGroup.create_task``, ``loop.create_task`` (:func:`policy.consumes_awaitable`)."""
    outer = facts.parent.get(id(call))
    if not isinstance(outer, CallExpr) or call is outer.callee:
        return None
    position = next((i for i, arg in enumerate(outer.args) if arg is call), None)
    if position is None or outer.arg_kinds[position] not in (ARG_POS, ARG_STAR):
        return None
    callee = outer.callee
    if isinstance(callee, RefExpr) and callee.fullname and policy.consumes_awaitable(callee.fullname):
        # gather/wait take awaitables everywhere; the others only their first argument.
        name = callee.fullname.rpartition(".")[2]
        return outer if position == 0 or name in ("gather", "wait", "as_completed") else None
    if isinstance(callee, MemberExpr) and callee.name in policy.AWAITABLE_CONSUMER_METHODS and position == 0:
        found = checker.lookup_type_or_none(callee.expr) if checker is not None else None
        if found is None and isinstance(callee.expr, NameExpr) and isinstance(callee.expr.node, Var):
            found = callee.expr.node.type
        owner = get_proper_type(found) if found is not None else None
        info = instance_info(owner) if owner is not None else None
        if info is not None and any(policy.consumes_awaitable(None, callee.name, base.fullname) for base in info.mro):
            return outer
    return None


def _only_sync_caches(state: RunState, checker: TypeChecker, receiver: Expression) -> bool:
    """Whether every member of the receiver's type is a sync cache (``None`` aside).

    mypy calls the hook once per member of a union receiver; ``CacheManager | AsyncCache``
    or ``CacheManager | Any`` may well be the other member at run time, so, as in the
    ``ast`` engine, such a call is not reported."""
    declared = checker.lookup_type_or_none(receiver)
    proper = get_proper_type(declared) if declared is not None else None
    if not isinstance(proper, UnionType):
        return True
    for item in proper.items:
        member = get_proper_type(item)
        if isinstance(member, NoneType):
            continue
        info = instance_info(member)
        if info is None or state.oracle.cache_kind(info) != "sync":
            return False
    return True


def on_call(state: RunState, method: str, ctx: MethodContext) -> Type:
    """Method hook for calls of ``method`` on sync cache classes."""
    checker = ctx.api
    result = ctx.default_return_type
    call = _explicit_call(ctx.context, method)
    if call is None or not isinstance(checker, TypeChecker):
        return result
    state.remember(checker)
    if checker.path in checker.errors.ignored_files:
        return result  # a silenced module (an installed package): nothing would be shown
    info = _sync_cache_class(state, ctx.type, method)
    if info is None:
        return result
    if returns_awaitable(checker, result) and policy.catalogued_method(state.oracle.facts(info), method) is None:
        return result  # a sync def handing back an awaitable: awaiting it may be right
    assert isinstance(call.callee, MemberExpr)
    if not _only_sync_caches(state, checker, call.callee.expr):
        return result
    facts = state.facts(checker.tree)
    awaited = facts.awaited.get(id(call))
    consumer = consumer_of(checker, facts, call) if awaited is None else None
    args = {"receiver": state.sources.text(checker.path, call.callee.expr), "cls": info.name, "method": method}
    if awaited is not None:
        checker.fail(BY_CODE["CLT101"].format(args), awaited, code=codes.AWAIT_SYNC)
    elif consumer is not None:
        checker.fail(BY_CODE["CLT101"].format(args), call, code=codes.AWAIT_SYNC)
    else:
        function = checker.scope.current_function()
        if (
            function is not None
            and function.is_coroutine
            and checker.errors.is_error_code_enabled(codes.BLOCKING_CALL)
            and state.oracle.data_access(info, method)
        ):
            blocking = dict(args, function=function.name)
            checker.fail(BY_CODE["CLT104"].format(blocking), call, code=codes.BLOCKING_CALL)
    if method in policy.CACHE_GETTERS and is_untyped(result) and consumer is None:
        source = Source(awaited or call, info.name, method, info.fullname)
        state.retrievals.setdefault(checker.tree.fullname, []).append(source)
        if state.settings.strict_retrievals:
            result = checker.named_generic_type("builtins.object", [])
    if (awaited is not None or consumer is not None) and checker.errors.is_error_code_enabled(codes.AWAIT_SYNC):
        # One bug, one error: as a coroutine, the call no longer makes mypy repeat the finding
        # ("Incompatible types in await", an argument type error for gather).
        any_type = AnyType(TypeOfAny.special_form)
        result = checker.named_generic_type("typing.Coroutine", [any_type, any_type, result])
    return result


def _declared_positional_only(definition: FuncDef | None, argument: Argument | None) -> bool:
    """Positional-only at run time, i.e. before ``/``.  mypy also marks the parameters of
    magic methods and ``__x`` names positional-only (a typing convention); calls
    that pass those by keyword work, so they are not CLT102's business."""
    if argument is None or not argument.pos_only:
        return False
    if definition is not None and special_function_elide_names(definition.name):
        return False
    return not argument_elide_name(argument.variable.name)


def _signature(state: RunState, callee: CallableType, definition: FuncDef | None) -> Signature:
    """``callee`` (bound, no ``self``) as the engine's :class:`Signature`, defaults quoted
    from the defining file when the definition is at hand."""
    try:
        arguments = definition.arguments if definition is not None else []
    except AttributeError:  # a definition read from mypy's cache keeps no arguments
        arguments = []
    offset = len(arguments) - len(callee.arg_kinds)
    module = state.modules.get(definition.info.module_name) if definition is not None and definition.info else None
    params: list[Param] = []
    for index, (kind, name) in enumerate(zip(callee.arg_kinds, callee.arg_names, strict=True)):
        argument = arguments[index + offset] if offset >= 0 and arguments else None
        shown = name or (argument.variable.name if argument is not None else f"arg{index}")
        if kind == ARG_STAR:
            params.append(Param(shown, Kind.VAR_POSITIONAL, None))
            continue
        if kind == ARG_STAR2:
            params.append(Param(shown, Kind.VAR_KEYWORD, None))
            continue
        default: str | None = None
        if kind.is_optional():
            default = "..."
            if argument is not None and argument.initializer is not None and module is not None:
                text = state.sources.text(module.path, argument.initializer)
                default = text if len(text) <= 20 else "..."
        if kind.is_named():
            param_kind = Kind.KEYWORD_ONLY
        elif _declared_positional_only(definition, argument):
            param_kind = Kind.POSITIONAL_ONLY
        else:
            param_kind = Kind.POSITIONAL_OR_KEYWORD
        params.append(Param(shown, param_kind, default))
    return Signature(tuple(params))


def on_signature(state: RunState, method: str, ctx: MethodSigContext) -> FunctionLike:
    """Method signature hook for the same calls: CLT102 before mypy binds the arguments."""
    checker = ctx.api
    callee = ctx.default_signature
    call = _explicit_call(ctx.context, method)
    if call is None or not isinstance(checker, TypeChecker):
        return callee
    if any(kind in (ARG_STAR, ARG_STAR2) for kind in call.arg_kinds):
        return callee
    info = _sync_cache_class(state, ctx.type, method)
    assert isinstance(call.callee, MemberExpr)
    if info is None or not _only_sync_caches(state, checker, call.callee.expr):
        return callee
    definition = method_definition(info, method)
    if definition is None:  # overloads: mypy's own overload error is already precise
        return callee
    signature = _signature(state, callee, definition)
    positional = sum(1 for kind in call.arg_kinds if kind == ARG_POS)
    keywords = [name for kind, name in zip(call.arg_kinds, call.arg_names, strict=True) if kind == ARG_NAMED and name]
    problem = signature.bind_problem(positional, keywords)
    if problem is None:
        return callee
    assert isinstance(call.callee, MemberExpr)
    path = checker.path
    shown = [
        f"{name}={state.sources.text(path, arg)}" if name else state.sources.text(path, arg)
        for arg, name in zip(call.args, call.arg_names, strict=True)
    ]
    args = {
        "receiver": state.sources.text(path, call.callee.expr),
        "cls": info.name,
        "method": method,
        "args": ", ".join(shown),
        "signature": signature.render(),
        "problem": problem,
    }
    checker.fail(BY_CODE["CLT102"].format(args), call, code=codes.CACHE_SIGNATURE)
    return callee
