"""CLT103 untyped-cache-retrieval: where an untyped cached value is used unvalidated.

The method hook of a sync cache ``get`` whose return is ``Any`` calls
:func:`report_uses`; it reports the value's first use that needs a validated
value (returned, attribute-accessed, subscripted, iterated, passed on,
assigned to an annotated target) at that use, as the flake8 plugin does.
A name validated anywhere in its function (``isinstance``,
``Model.model_validate``, ``TypeAdapter(...).validate_python``, ``Model(**v)``,
a configured validator) is trusted everywhere in it.

Independently, with ``strict-retrievals`` on, :mod:`.calls` types the value
``object``, so mypy itself rejects every unvalidated use, also the ones this
syntactic check cannot follow (into other functions, through containers).
"""

from __future__ import annotations

from mypy.checker import TypeChecker
from mypy.nodes import AwaitExpr, CallExpr, FuncItem, TypeInfo, Var
from mypy.types import (
    CallableType,
    Instance,
    Type,
    get_proper_type,
)

from cachelint.mypy_plugin import codes
from cachelint.mypy_plugin.classes import without_none
from cachelint.mypy_plugin.state import RunState
from cachelint.mypy_plugin.syntax import Use
from cachelint.rules import BY_CODE

GENERIC_FIX = "Model.model_validate(...) or TypeAdapter(...).validate_python(...)"
_LISTS = frozenset({"builtins.list", "typing.Sequence", "typing.Iterable", "typing.Collection"})


def _declared_return(function: FuncItem | None) -> Type | None:
    if function is None or not isinstance(function.type, CallableType):
        return None
    returned: Type = function.type.ret_type
    proper = get_proper_type(returned)
    coroutine = isinstance(proper, Instance) and proper.type.fullname == "typing.Coroutine"
    if function.is_coroutine and coroutine and isinstance(proper, Instance) and len(proper.args) == 3:
        returned = proper.args[2]
    return returned


def _model(state: RunState, typ: Type) -> TypeInfo | None:
    proper = get_proper_type(typ)
    if isinstance(proper, Instance) and state.oracle.is_model(proper.type):
        return proper.type
    return None


def fix_for(state: RunState, use: Use) -> str:
    """The validating call to name: from the enclosing function's return type when returned."""
    if use.what != "returned":
        return GENERIC_FIX
    returned = _declared_return(use.function)
    if returned is None:
        return GENERIC_FIX
    proper = without_none(returned)
    if proper is None:
        return GENERIC_FIX
    if isinstance(proper, Instance) and proper.type.fullname in _LISTS and len(proper.args) == 1:
        model = _model(state, proper.args[0])
        if model is not None:
            return f"TypeAdapter(list[{model.name}]).validate_python(...)"
        return GENERIC_FIX
    model = _model(state, proper)
    return f"{model.name}.model_validate(...)" if model is not None else GENERIC_FIX


def _report(state: RunState, checker: TypeChecker, use: Use, name: str, cls: str, method: str) -> None:
    if use.what is not None:
        what = use.what
    else:
        callee = state.sources.text(checker.path, use.callee) if use.callee is not None else "a function"
        what = f"passed to {callee}()"
    args = {"name": name, "cls": cls, "method": method, "use": what, "fix": fix_for(state, use)}
    checker.fail(BY_CODE["CLT103"].format(args), use.node, code=codes.UNTYPED_RETRIEVAL)


def report_uses(
    state: RunState, checker: TypeChecker, call: CallExpr, awaited: AwaitExpr | None, cls: str, method: str
) -> None:
    """Report the unvalidated uses of the value of ``call`` (a sync cache ``get``)."""
    facts = state.facts(checker.tree)
    value = awaited if awaited is not None else call
    direct = facts.uses.get(id(value))
    if direct is not None:
        _report(state, checker, direct, state.sources.text(checker.path, value), cls, method)
    for target in facts.bound_to.get(id(value), ()):
        var = target.node
        if not isinstance(var, Var) or id(var) in facts.validated:
            continue
        for use in facts.name_uses.get(id(var), ()):
            if (use.node.line, use.node.column) > (target.line, target.column):
                _report(state, checker, use, var.name, cls, method)
                break
