"""CLT106 dict-access-on-model: dict-style access on a value declared as a Pydantic model.

Each finding carries a :class:`~cachelint.analysis.diagnostic.ModelKeyHint`:
the model's declared fields (inherited ones included) and the field a string
key names, by name or by ``Field(alias=...)``.  The message names that field,
or says the key is no field and suggests the closest one that exists
(:func:`cachelint.policy.model_key_advice`); the codemod fixes from the hint.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic, ModelKeyHint
from cachelint.analysis.index import ClassSummary
from cachelint.analysis.semantic import Visit
from cachelint.analysis.types import Inst, without_none
from cachelint.policy import DICT_METHODS, model_key_advice
from cachelint.rules import CLT106


def _model_of(ctx: Context, receiver: ast.expr, visit: Visit, attribute: str) -> str | None:
    ty = without_none(ctx.model.type_of(receiver, visit.scope))
    if not isinstance(ty, Inst) or not ctx.knowledge.is_model(ty.qualname):
        return None
    if not ctx.knowledge.model_lacks(ty.qualname, attribute):
        return None
    return ty.qualname


def _fields(ctx: Context, model: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """The model's fields, nearest class first, and its aliases (alias -> field).

    ``model_lacks`` has proven every class along the ancestry is a project
    class or a plain model base, so the project summaries list every field.
    """
    summary = ctx.knowledge.index.class_summary(model)
    if summary is None:
        return (), {}
    fields: dict[str, None] = {}
    aliases: dict[str, str] = {}
    for item in ctx.knowledge.index.ancestors(summary):
        if not isinstance(item, ClassSummary):
            continue
        for name in item.fields:
            # ClassVars and private attributes are not fields a dict of the model would hold.
            if name not in item.non_init_fields and not name.startswith("_"):
                fields.setdefault(name, None)
        for alias, name in item.field_aliases.items():
            aliases.setdefault(alias, name)
    return tuple(fields), aliases


def _hint(ctx: Context, model: str, key: ast.expr | None) -> ModelKeyHint:
    fields, aliases = _fields(ctx, model)
    if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
        return ModelKeyHint(model, None, fields)
    name = key.value
    if name in fields and name not in aliases:
        return ModelKeyHint(model, name, fields, name)
    if name in aliases and name not in fields and aliases[name] in fields:
        return ModelKeyHint(model, name, fields, aliases[name], via_alias=True)
    # A key that is both a field and another field's alias is ambiguous: no field named.
    return ModelKeyHint(model, name, fields)


def _advice(ctx: Context, receiver: ast.expr, hint: ModelKeyHint) -> str:
    return model_key_advice(ctx.source(receiver), hint.key, ctx.knowledge.display(hint.model), hint.fields, hint.field)


@CLT106.on(ast.Call)
def check_method(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
    node = visit.node
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in DICT_METHODS:
        return
    model = _model_of(ctx, func.value, visit, func.attr)
    if model is None:
        return
    is_get = func.attr == "get"
    hint = _hint(ctx, model, node.args[0] if is_get and node.args else None)
    yield ctx.report(
        node,
        CLT106,
        hint,
        access=f".{func.attr}()",
        receiver=ctx.source(func.value),
        cls=ctx.knowledge.display(model),
        hint=_advice(ctx, func.value, hint) if is_get else "",
    )


@CLT106.on(ast.Subscript)
def check_subscript(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
    node = visit.node
    assert isinstance(node, ast.Subscript)
    dunder = "__getitem__" if isinstance(node.ctx, ast.Load) else "__setitem__"
    model = _model_of(ctx, node.value, visit, dunder)
    if model is None:
        return
    hint = _hint(ctx, model, node.slice)
    yield ctx.report(
        node,
        CLT106,
        hint,
        access=f"[{ctx.source(node.slice)}]",
        receiver=ctx.source(node.value),
        cls=ctx.knowledge.display(model),
        hint=_advice(ctx, node.value, hint),
    )
