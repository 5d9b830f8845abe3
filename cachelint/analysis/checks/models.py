"""CLT106 dict-access-on-model: dict-style access on a value declared as a Pydantic model."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic
from cachelint.analysis.semantic import Visit
from cachelint.analysis.types import Inst, without_none
from cachelint.vocabulary import DICT_METHODS


def _model_of(ctx: Context, receiver: ast.expr, visit: Visit, attribute: str) -> str | None:
    ty = without_none(ctx.model.type_of(receiver, visit.scope))
    if not isinstance(ty, Inst) or not ctx.knowledge.is_model(ty.qualname):
        return None
    if not ctx.knowledge.model_lacks(ty.qualname, attribute):
        return None
    return ty.qualname


def _hint(ctx: Context, receiver: ast.expr, key: ast.expr | None) -> str:
    if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.isidentifier():
        return f" ('{ctx.source(receiver)}.{key.value}')"
    return ""


def check_method(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
    node = visit.node
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in DICT_METHODS:
        return
    model = _model_of(ctx, func.value, visit, func.attr)
    if model is None:
        return
    key = node.args[0] if node.args else None
    yield Diagnostic(
        node.lineno,
        node.col_offset,
        "CLT106",
        {
            "access": f".{func.attr}()",
            "receiver": ctx.source(func.value),
            "cls": ctx.knowledge.display(model),
            "hint": _hint(ctx, func.value, key) if func.attr == "get" else "",
        },
        None,
        node.end_lineno,
        node.end_col_offset,
    )


def check_subscript(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
    node = visit.node
    assert isinstance(node, ast.Subscript)
    dunder = "__getitem__" if isinstance(node.ctx, ast.Load) else "__setitem__"
    model = _model_of(ctx, node.value, visit, dunder)
    if model is None:
        return
    yield Diagnostic(
        node.lineno,
        node.col_offset,
        "CLT106",
        {
            "access": f"[{ctx.source(node.slice)}]",
            "receiver": ctx.source(node.value),
            "cls": ctx.knowledge.display(model),
            "hint": _hint(ctx, node.value, node.slice),
        },
        None,
        node.end_lineno,
        node.end_col_offset,
    )


NODE_CHECKS = [(ast.Call, check_method), (ast.Subscript, check_subscript)]
