"""CLT105 async-mock-for-sync-cache: ``AsyncMock()`` without a spec where a sync cache is expected.

"Expected" means declared: a constructor or function parameter, a field, an
annotated variable, an attribute or a return annotation whose type is a
synchronous cache class (``X | None`` included).  A union with any other class
is not reported: the mock may be meant for that member.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic
from cachelint.analysis.knowledge import InitParam
from cachelint.analysis.semantic import Visit
from cachelint.analysis.types import ClassRef, FuncRef, Inst, Ty, UnionT, without_none

ASYNC_MOCKS = frozenset({"unittest.mock.AsyncMock", "mock.AsyncMock"})
MOCKER_FIXTURES = frozenset({"pytest_mock.MockerFixture", "pytest_mock.plugin.MockerFixture"})


def _is_unspecced_async_mock(ctx: Context, node: ast.Call, visit: Visit) -> bool:
    func = node.func
    spelled = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if spelled != "AsyncMock" and spelled not in ctx.model.aliases_of(ASYNC_MOCKS):
        return False  # every call passes here: decide on the spelling before typing anything
    callee = ctx.model.type_of(func, visit.scope)
    is_mock = isinstance(callee, ClassRef) and callee.qualname in ASYNC_MOCKS
    if not is_mock and isinstance(func, ast.Attribute) and func.attr == "AsyncMock":
        owner = without_none(ctx.model.type_of(func.value, visit.scope))
        is_mock = isinstance(owner, Inst) and owner.qualname in MOCKER_FIXTURES
    if not is_mock:
        return False
    if node.args:  # AsyncMock(CacheManager): the first positional argument is the spec
        return False
    return not any(kw.arg in ("spec", "spec_set") or kw.arg is None for kw in node.keywords)


def _sync_cache_expected(ctx: Context, ty: Ty | None) -> str | None:
    ty = without_none(ty)
    members = ty.items if isinstance(ty, UnionT) else (ty,)
    found: str | None = None
    for member in members:
        cls = ctx.knowledge.sync_cache_of(member)
        if cls is None:
            return None
        found = found or cls
    return found


def _param_type(ctx: Context, params: list[InitParam], position: int | None, keyword: str | None) -> Ty | None:
    for param in params:
        if (keyword is not None and param.name == keyword) or (keyword is None and param.position == position):
            if param.annotation is None:
                return None
            return ctx.knowledge.resolver.resolve(param.annotation, param.module)
    return None


def _callee_params(ctx: Context, call: ast.Call, visit: Visit) -> list[InitParam] | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        receiver = without_none(ctx.model.type_of(func.value, visit.scope))
        if isinstance(receiver, Inst):
            found = ctx.knowledge.method_summary(receiver.qualname, func.attr)
            return ctx.knowledge.function_params(*found) if found is not None else None
    callee = ctx.model.type_of(func, visit.scope)
    if isinstance(callee, ClassRef):
        return ctx.knowledge.init_params(callee.qualname)
    if isinstance(callee, FuncRef):
        symbol = ctx.knowledge.index.lookup(callee.qualname)
        if symbol is not None and symbol[0] == "function":
            from cachelint.analysis.index import FunctionSummary, ModuleSummary

            func_summary, module = symbol[1], symbol[2]
            if isinstance(func_summary, FunctionSummary) and isinstance(module, ModuleSummary):
                return ctx.knowledge.function_params(func_summary, module)
    return None


def _expected(ctx: Context, node: ast.Call, visit: Visit) -> tuple[str, Ty | None] | None:
    """Where the mock goes and the type declared there."""
    parent = visit.parent
    model = ctx.model
    if isinstance(parent, ast.keyword) and parent.arg is not None:
        call = model.parent(parent)
        if isinstance(call, ast.Call):
            params = _callee_params(ctx, call, visit)
            if params is not None:
                return f"{parent.arg}=", _param_type(ctx, params, None, parent.arg)
        return None
    if isinstance(parent, ast.Call) and node in parent.args:
        position = parent.args.index(node)
        if any(isinstance(arg, ast.Starred) for arg in parent.args[:position]):
            return None
        params = _callee_params(ctx, parent, visit)
        if params is not None:
            return f"argument {position + 1} of {ctx.source(parent.func)}()", _param_type(ctx, params, position, None)
        return None
    if isinstance(parent, ast.AnnAssign) and parent.value is node:
        return ctx.source(parent.target), ctx.knowledge.resolver.resolve(parent.annotation, visit.scope)
    if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0]
        if isinstance(target, (ast.Attribute, ast.Name)):
            return ctx.source(target), model.type_of(target, visit.scope)
        return None
    if isinstance(parent, ast.Return) and parent.value is node:
        function = ctx.enclosing_function(visit.scope)
        if function is not None and function.returns is not None:
            return f"the return value of {function.name}()", ctx.knowledge.resolver.resolve(
                function.returns, visit.scope
            )
    return None


def check_call(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
    node = visit.node
    assert isinstance(node, ast.Call)
    if not isinstance(node.func, (ast.Name, ast.Attribute)) or not _is_unspecced_async_mock(ctx, node, visit):
        return
    expected = _expected(ctx, node, visit)
    if expected is None:
        return
    target, ty = expected
    cls = _sync_cache_expected(ctx, ty)
    if cls is None:
        return
    display = ctx.knowledge.display(cls)
    local, _ = ctx.local_name(cls)
    yield Diagnostic(
        node.lineno,
        node.col_offset,
        "CLT105",
        {"target": target.rstrip("="), "cls": display, "cls_name": local or display, "cls_qualname": cls},
        None,
        node.end_lineno,
        node.end_col_offset,
    )


NODE_CHECKS = [(ast.Call, check_call)]
