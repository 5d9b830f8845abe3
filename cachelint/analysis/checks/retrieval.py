"""CLT103 untyped-cache-retrieval: an untyped cached value used before it is validated.

Sources are calls of a synchronous cache ``get`` whose return is ``Any`` or
undeclared (the engine types them :class:`~cachelint.analysis.types.Untyped`).
A value is *used* when it is returned, yielded, attribute-accessed,
subscripted, iterated, passed to a call or assigned to an annotated target;
truth tests, comparisons, ``isinstance``, logging and handing it back to the
cache are not uses.  A name that is validated anywhere in its scope
(``isinstance``, ``Model.model_validate``, ``TypeAdapter(...).validate_python``,
``Model(**value)``, a configured validator) is trusted everywhere in it: the
check is deliberately flow-insensitive in the direction of silence.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic
from cachelint.analysis.semantic import CACHE_GETTERS, Scope
from cachelint.analysis.types import ClassRef, Untyped, is_untyped
from cachelint.vocabulary import HARMLESS_CALLS, LOG_METHODS, VALIDATOR_METHODS


def _callee_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_validator(ctx: Context, call: ast.Call, scope: Scope) -> bool:
    name = _callee_name(call.func)
    if name in VALIDATOR_METHODS:
        return True
    qualified = scope.qualify(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
    for entry in ctx.settings.validators:
        if entry == name or entry == qualified:
            return True
    callee = ctx.model.type_of(call.func, scope)
    return isinstance(callee, ClassRef) and ctx.knowledge.is_model(callee.qualname)


def _is_harmless_call(ctx: Context, call: ast.Call, scope: Scope) -> bool:
    func = call.func
    if isinstance(func, ast.Name) and func.id in HARMLESS_CALLS:
        return True
    if isinstance(func, ast.Attribute):
        if func.attr in LOG_METHODS:
            return True
        if ctx.model.receiver_cache(func.value, scope) is not None:
            return True  # handed back to the cache (e.g. set)
        if isinstance(func.value, ast.Name) and func.value.id == "json" and func.attr in ("dumps", "dump"):
            return True
    return False


def _declares_result(ctx: Context, scope: Scope) -> bool:
    """Whether the enclosing function promises a type: returning into ``-> Any`` (or no
    annotation) hands the value on as untyped as it came, a thin wrapper, not a use."""
    function = ctx.enclosing_function(scope)
    if function is None or function.returns is None:
        return False
    declared = ctx.knowledge.resolver.resolve(function.returns, scope)
    return declared is not None and not is_untyped(declared)


def _use(ctx: Context, expr: ast.AST, scope: Scope) -> str | None:
    """How ``expr`` (a cached value) is used by its parent, or None when it is not a use."""
    parent = ctx.model.parent(expr)
    if isinstance(parent, ast.Return) and parent.value is expr:
        return "returned" if _declares_result(ctx, scope) else None
    if isinstance(parent, (ast.Yield, ast.YieldFrom)) and parent.value is expr:
        return "yielded" if _declares_result(ctx, scope) else None
    if isinstance(parent, ast.Attribute) and parent.value is expr:
        return f"attribute-accessed (.{parent.attr})"
    if isinstance(parent, ast.Subscript) and parent.value is expr:
        return "subscripted"
    if isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)) and parent.iter is expr:
        return "iterated"
    if isinstance(parent, ast.AnnAssign) and parent.value is expr:
        return "assigned to an annotated target"
    call = None
    if isinstance(parent, ast.Call) and expr in parent.args:
        call = parent
    elif isinstance(parent, (ast.keyword, ast.Starred)):
        grand = ctx.model.parent(parent)
        if isinstance(grand, ast.Call):
            call = grand
    if call is not None:
        if _is_validator(ctx, call, scope) or _is_harmless_call(ctx, call, scope):
            return None
        return f"passed to {ctx.source(call.func)}()"
    return None


def _fix_for(ctx: Context, scope: Scope, use: str) -> str:
    if use == "returned":
        function = ctx.enclosing_function(scope)
        if function is not None and function.returns is not None:
            shape = ctx.model_shape(ctx.knowledge.resolver.resolve(function.returns, scope))
            if shape is not None:
                kind, model = shape
                name = ctx.local_name(model)[0] or ctx.knowledge.display(model)
                if kind == "list":
                    return f"TypeAdapter(list[{name}]).validate_python(...)"
                return f"{name}.model_validate(...)"
    return "Model.model_validate(...) or TypeAdapter(...).validate_python(...)"


def _validated_names(ctx: Context) -> set[tuple[int, str]]:
    """(scope id, name) pairs validated somewhere: such names are never reported."""
    validated: set[tuple[int, str]] = set()
    for visit in ctx.model.calls:
        node = visit.node
        assert isinstance(node, ast.Call)
        name = _callee_name(node.func)
        if name != "isinstance" and not _is_validator(ctx, node, visit.scope):
            continue
        values = [*node.args, *(kw.value for kw in node.keywords)]
        for value in values:
            if isinstance(value, ast.Starred):
                value = value.value
            if isinstance(value, ast.Name):
                owner = ctx.model.lookup_scope(value.id, visit.scope)
                if owner is not None:
                    validated.add((id(owner), value.id))
    return validated


def check_file(ctx: Context) -> Iterator[Diagnostic]:
    model = ctx.model
    tainted: dict[tuple[int, str], tuple[Untyped, int]] = {}
    for visit in model.calls:
        node = visit.node
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CACHE_GETTERS:
            source = model.type_of(node, visit.scope)
            if not isinstance(source, Untyped):
                continue
            expr: ast.AST = visit.parent if isinstance(visit.parent, ast.Await) else node
            holder = model.parent(expr)
            if isinstance(holder, (ast.Assign, ast.NamedExpr)) and holder.value is expr:
                targets = holder.targets if isinstance(holder, ast.Assign) else [holder.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        owner = model.lookup_scope(target.id, visit.scope)
                        if owner is not None:
                            tainted.setdefault((id(owner), target.id), (source, node.lineno))
                continue
            use = _use(ctx, expr, visit.scope)
            if use is not None:
                yield _diagnostic(ctx, expr, ctx.source(expr), source, use, visit.scope)
    if not tainted:
        return
    validated = _validated_names(ctx)
    reported: set[tuple[int, str]] = set()
    uses = sorted(model.names, key=lambda v: (getattr(v.node, "lineno", 0), getattr(v.node, "col_offset", 0)))
    for visit in uses:
        node = visit.node
        assert isinstance(node, ast.Name)
        owner = model.lookup_scope(node.id, visit.scope)
        if owner is None:
            continue
        key = (id(owner), node.id)
        if key not in tainted or key in validated or key in reported:
            continue
        source, line = tainted[key]
        if node.lineno < line:
            continue
        use = _use(ctx, node, visit.scope)
        if use is None:
            continue
        reported.add(key)
        yield _diagnostic(ctx, node, node.id, source, use, visit.scope)


def _diagnostic(ctx: Context, node: ast.AST, name: str, source: Untyped, use: str, scope: Scope) -> Diagnostic:
    return Diagnostic(
        getattr(node, "lineno", 1),
        getattr(node, "col_offset", 0),
        "CLT103",
        {"name": name, "cls": source.cls, "method": source.method, "use": use, "fix": _fix_for(ctx, scope, use)},
        None,
        getattr(node, "end_lineno", None),
        getattr(node, "end_col_offset", None),
    )


FILE_CHECKS = [check_file]
