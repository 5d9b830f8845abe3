"""CLT106 dict-access-on-model: ``.get()``, ``.items()``, ``["key"]``... on a Pydantic model.

mypy already rejects such an access (``"PatternAnalysis" has no attribute
"get"  [attr-defined]``, ``Value of type ... is not indexable  [index]``);
the plugin adds, on the same line, that the value is a model and which
attribute to read instead.  mypy calls no plugin hook for a *missing*
attribute, so the check runs when a module's type checking has finished
(mypy's ``get_additional_indirect_deps`` hook, mypy >= 2.0), over the
candidate sites found by :mod:`.syntax`, using the types mypy inferred for
their receivers (narrowing included).
"""

from __future__ import annotations

from mypy.checker import TypeChecker
from mypy.nodes import MypyFile, NameExpr, StrExpr, Var
from mypy.types import Instance, Type

from cachelint.mypy_plugin import codes
from cachelint.mypy_plugin.classes import without_none
from cachelint.mypy_plugin.state import RunState
from cachelint.mypy_plugin.syntax import DictAccess
from cachelint.rules import BY_CODE


def _receiver_type(checker: TypeChecker | None, access: DictAccess) -> Type | None:
    found = checker.lookup_type_or_none(access.receiver) if checker is not None else None
    if found is None and isinstance(access.receiver, NameExpr) and isinstance(access.receiver.node, Var):
        found = access.receiver.node.type
    return found


def _model_name(state: RunState, typ: Type, attribute: str) -> str | None:
    proper = without_none(typ)
    if not isinstance(proper, Instance) or not state.oracle.is_model(proper.type):
        return None
    if proper.type.get(attribute) is not None:
        return None  # the model defines it: not dict-style access
    return proper.type.name


def check_module(state: RunState, checker: TypeChecker, tree: MypyFile) -> None:
    """Report CLT106 for every candidate site of ``tree``.

    ``checker`` is the one that checked ``tree`` when a hook saw it; otherwise
    any checker of the run, whose error sink is shared, and the receivers'
    types then come from their variables' declared or inferred types.
    """
    facts = state.facts(tree)
    if not facts.dict_accesses:
        return
    own = checker.tree is tree
    path = tree.path
    # The checker's scope has left the module by now; without a scope the
    # errors are attributed to the module as a whole, which is all that
    # line-based `# type: ignore` needs.
    checker.errors.set_file(path, tree.fullname, scope=None, options=checker.options)
    for access in facts.dict_accesses:
        typ = _receiver_type(checker if own else None, access)
        if typ is None:
            continue
        model = _model_name(state, typ, access.attribute)
        if model is None:
            continue
        receiver = state.sources.text(path, access.receiver)
        key = access.key
        if access.attribute.startswith("__"):
            shown = f"[{state.sources.text(path, key)}]" if key is not None else "[...]"
        else:
            shown = f".{access.attribute}()"
        hint = ""
        keyed = access.attribute in ("get", "__getitem__", "__setitem__")
        if keyed and isinstance(key, StrExpr) and key.value.isidentifier():
            hint = f" ('{receiver}.{key.value}')"
        args = {"access": shown, "receiver": receiver, "cls": model, "hint": hint}
        checker.fail(BY_CODE["CLT106"].format(args), access.site, code=codes.DICT_ACCESS_ON_MODEL)
