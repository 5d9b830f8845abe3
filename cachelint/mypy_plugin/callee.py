"""The declared type of the parameter a call argument binds to, with or without mypy's type map.

CLT103 (a raw value passed to a typed parameter) and CLT105 (an ``AsyncMock``
passed where a sync cache is declared) both ask it.  With the module's own
checker the callee's inferred callable type is used (bound methods, generic
constructors such as ``Repo[M](...)`` with their type arguments); without it,
the callee's declaration (a function's signature, a class's ``__init__``).
"""

from __future__ import annotations

from mypy.argmap import map_actuals_to_formals
from mypy.checker import TypeChecker
from mypy.nodes import CallExpr, Decorator, Expression, FuncDef, IndexExpr, RefExpr, TypeInfo
from mypy.types import AnyType, CallableType, ProperType, Type, TypeOfAny, get_proper_type


def _declared(callee: Expression) -> ProperType | None:
    if isinstance(callee, IndexExpr):
        callee = callee.base
    if not isinstance(callee, RefExpr):
        return None
    node = callee.node
    if isinstance(node, TypeInfo):
        init = node.get("__init__")
        func = init.node if init is not None else None
        if isinstance(func, FuncDef) and isinstance(func.type, CallableType) and func.info is not None:
            return func.type.copy_modified(
                arg_types=func.type.arg_types[1:],
                arg_kinds=func.type.arg_kinds[1:],
                arg_names=func.type.arg_names[1:],
            )
        return None
    if isinstance(node, Decorator):
        return get_proper_type(node.var.type) if node.var.type is not None else None
    if isinstance(node, FuncDef) and node.type is not None:
        return get_proper_type(node.type)
    return None


def callee_type(checker: TypeChecker | None, call: CallExpr) -> CallableType | None:
    """The callable ``call`` calls, as mypy inferred it (``checker`` given) or as declared."""
    found: ProperType | None = None
    if checker is not None:
        inferred = checker.lookup_type_or_none(call.callee)
        found = get_proper_type(inferred) if inferred is not None else None
    if not isinstance(found, CallableType):
        found = _declared(call.callee)
    return found if isinstance(found, CallableType) else None


def formal_type(checker: TypeChecker | None, call: CallExpr, index: int) -> Type | None:
    """The declared type of the parameter ``call.args[index]`` binds to, if known."""
    callee = callee_type(checker, call)
    if callee is None:
        return None
    mapping = map_actuals_to_formals(
        call.arg_kinds,
        call.arg_names,
        callee.arg_kinds,
        callee.arg_names,
        lambda i: AnyType(TypeOfAny.special_form),
    )
    for formal, actuals in enumerate(mapping):
        if index in actuals:
            return callee.arg_types[formal]
    return None
