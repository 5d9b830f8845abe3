"""CLT105 async-mock-for-sync-cache: an ``AsyncMock`` standing in for a synchronous cache.

A sync cache is what CLT101 calls one (``Knowledge.cache_kind``: its methods
are plain ``def``), never a name: a ``CacheManager`` whose methods are
``async def`` is rightly mocked with ``AsyncMock``.  The shapes reported, each
one that hid a real bug:

- an unspecced ``AsyncMock()`` (``mocker.AsyncMock()`` too) given where a sync
  cache is declared: a constructor or function parameter (a subscripted
  generic class as callee included), a field, an annotated variable, an
  attribute, a return annotation; also when first bound to a local name and
  passed later (reported where it meets the declared type);
- an ``AsyncMock`` assigned to a sync method of a sync-cache instance, or of a
  mock specced on a sync cache (``cache = MagicMock(spec=SimpleCache);
  cache.get = AsyncMock()``, ``client.memory_cache.get = AsyncMock()``);
- ``patch.object(SyncCache, "get", new_callable=AsyncMock)``,
  ``patch("pkg.SyncCache.get", new=AsyncMock())`` and the ``mocker.patch``
  forms;
- a sync cache class patched to hand out an ``AsyncMock``:
  ``patch("pkg.SimpleCache", return_value=cache)`` with ``cache = AsyncMock()``.

A union with any other class is not reported: the mock may be meant for that member.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from weakref import ReferenceType, ref

from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic
from cachelint.analysis.knowledge import InitParam
from cachelint.analysis.semantic import BindingKind, FileModel, Scope, Visit
from cachelint.analysis.types import ClassRef, FuncRef, Inst, Ty, UnionT, is_untyped, without_none
from cachelint.rules import CLT105

ASYNC_MOCKS = frozenset({"unittest.mock.AsyncMock", "mock.AsyncMock"})
MOCKER_FIXTURES = frozenset({"pytest_mock.MockerFixture", "pytest_mock.plugin.MockerFixture"})
#: Mock classes whose ``spec``/first argument makes them stand for a class.
SPECCED_MOCKS = frozenset(
    {
        "unittest.mock.MagicMock",
        "unittest.mock.Mock",
        "unittest.mock.NonCallableMagicMock",
        "unittest.mock.create_autospec",
        "mock.MagicMock",
        "mock.Mock",
        "mock.create_autospec",
    }
)
PATCHERS = frozenset({"unittest.mock.patch", "mock.patch"})
PATCH_OBJECTS = frozenset({"unittest.mock.patch.object", "mock.patch.object"})
#: pytest-mock's fixture is the conventional, unannotated ``mocker`` parameter.
MOCKER_NAMES = frozenset({"mocker", "module_mocker", "class_mocker", "session_mocker", "package_mocker"})


def _mocker_attribute(ctx: Context, func: ast.expr, scope: Scope, attr: str) -> bool:
    """``mocker.<attr>`` with pytest-mock's fixture as the owner (annotated or by its fixed name)."""
    if not isinstance(func, ast.Attribute) or func.attr != attr:
        return False
    owner = without_none(ctx.model.type_of(func.value, scope))
    if isinstance(owner, Inst) and not is_untyped(owner):
        return owner.qualname in MOCKER_FIXTURES
    return isinstance(func.value, ast.Name) and func.value.id in MOCKER_NAMES


def _is_async_mock_class(ctx: Context, node: ast.expr, scope: Scope) -> bool:
    """``AsyncMock`` itself (the class, as passed to ``new_callable=``)."""
    spelled = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
    if spelled != "AsyncMock" and spelled not in ctx.model.aliases_of(ASYNC_MOCKS):
        return False  # every call passes here: decide on the spelling before typing anything
    callee = ctx.model.type_of(node, scope)
    if isinstance(callee, ClassRef) and callee.qualname in ASYNC_MOCKS:
        return True
    return _mocker_attribute(ctx, node, scope, "AsyncMock")


def _is_unspecced_async_mock(ctx: Context, node: ast.expr, scope: Scope) -> bool:
    if not isinstance(node, ast.Call) or not isinstance(node.func, (ast.Name, ast.Attribute)):
        return False
    if not _is_async_mock_class(ctx, node.func, scope):
        return False
    if node.args:  # AsyncMock(CacheManager): the first positional argument is the spec
        return False
    return not any(kw.arg in ("spec", "spec_set") or kw.arg is None for kw in node.keywords)


def _bound_value(ctx: Context, name: ast.Name, scope: Scope) -> ast.expr | None:
    """The one value a local name is bound to in its scope, if it has exactly one binding."""
    owner = ctx.model.lookup_scope(name.id, scope)
    if owner is None:
        return None
    bindings = owner.bindings.get(name.id, [])
    if len(bindings) != 1 or bindings[0].kind is not BindingKind.VALUE:
        return None
    return bindings[0].expr


def _async_mock_value(ctx: Context, node: ast.expr, scope: Scope) -> bool:
    """An unspecced ``AsyncMock()``, directly or through a local name bound once to one."""
    if isinstance(node, ast.Name):
        value = _bound_value(ctx, node, scope)
        return value is not None and _is_unspecced_async_mock(ctx, value, scope)
    return _is_unspecced_async_mock(ctx, node, scope)


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


def _callee_params(ctx: Context, call: ast.Call, scope: Scope) -> list[InitParam] | None:
    func = call.func
    if isinstance(func, ast.Subscript):  # Repo[CacheManager](cache=...): the generic class itself
        func = func.value
    if isinstance(func, ast.Attribute):
        receiver = without_none(ctx.model.type_of(func.value, scope))
        if isinstance(receiver, Inst):
            found = ctx.knowledge.method_summary(receiver.qualname, func.attr)
            return ctx.knowledge.function_params(*found) if found is not None else None
    callee = ctx.model.type_of(func, scope)
    if isinstance(callee, ClassRef):
        return ctx.knowledge.init_params(callee.qualname)
    if isinstance(callee, FuncRef):
        symbol = ctx.knowledge.index.function_symbol(callee.qualname)
        if symbol is not None:
            return ctx.knowledge.function_params(symbol.summary, symbol.module)
    return None


def _expected(ctx: Context, node: ast.expr, parent: ast.AST | None, scope: Scope) -> tuple[str, Ty | None] | None:
    """Where the mock goes and the type declared there."""
    model = ctx.model
    if isinstance(parent, ast.keyword) and parent.arg is not None:
        call = model.parent(parent)
        if isinstance(call, ast.Call):
            params = _callee_params(ctx, call, scope)
            if params is not None:
                return f"{parent.arg}=", _param_type(ctx, params, None, parent.arg)
        return None
    if isinstance(parent, ast.Call) and node in parent.args:
        position = parent.args.index(node)
        if any(isinstance(arg, ast.Starred) for arg in parent.args[:position]):
            return None
        params = _callee_params(ctx, parent, scope)
        if params is not None:
            return f"argument {position + 1} of {ctx.source(parent.func)}()", _param_type(ctx, params, position, None)
        return None
    if isinstance(parent, ast.AnnAssign) and parent.value is node:
        return ctx.source(parent.target), ctx.knowledge.resolver.resolve(parent.annotation, scope)
    if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0]
        if isinstance(target, (ast.Attribute, ast.Name)):
            return ctx.source(target), model.type_of(target, scope)
        return None
    if isinstance(parent, ast.Return) and parent.value is node:
        function = ctx.enclosing_function(scope)
        if function is not None and function.returns is not None:
            return f"the return value of {function.name}()", ctx.knowledge.resolver.resolve(function.returns, scope)
    return None


def _diagnostic(ctx: Context, node: ast.expr, target: str, cls: str) -> Diagnostic:
    display = ctx.knowledge.display(cls)
    local, _ = ctx.local_name(cls)
    return ctx.report(node, CLT105, target=target.rstrip("="), cls=display, cls_name=local or display, cls_qualname=cls)


def _sync_method(ctx: Context, cls: str, method: str) -> bool:
    info = ctx.knowledge.cache_method(cls, method)
    return info is not None and not info.is_async


def _specced_class(ctx: Context, node: ast.expr, scope: Scope) -> str | None:
    """The sync cache a mock stands for: ``MagicMock(spec=C)``, ``create_autospec(C)``, ``Mock(C)``."""
    if isinstance(node, ast.Name):
        value = _bound_value(ctx, node, scope)
        if value is None:
            return None
        node = value
    if not isinstance(node, ast.Call) or not isinstance(node.func, (ast.Name, ast.Attribute)):
        return None
    callee = ctx.model.type_of(node.func, scope)
    is_mock = (isinstance(callee, (ClassRef, FuncRef)) and callee.qualname in SPECCED_MOCKS) or any(
        _mocker_attribute(ctx, node.func, scope, attr) for attr in ("MagicMock", "Mock", "create_autospec")
    )
    if not is_mock:
        return None
    spec = node.args[0] if node.args else None
    for kw in node.keywords:
        if kw.arg in ("spec", "spec_set"):
            spec = kw.value
    if spec is None:
        return None
    return _sync_cache_class(ctx, spec, scope)


def _sync_cache_class(ctx: Context, node: ast.expr, scope: Scope) -> str | None:
    ty = ctx.model.type_of(node, scope)
    if isinstance(ty, ClassRef) and ctx.knowledge.cache_kind(ty.qualname) == "sync":
        return ty.qualname
    return None


def _replaced_method(ctx: Context, target: ast.Attribute, scope: Scope) -> str | None:
    """``owner.method = AsyncMock()``: the sync cache whose sync ``method`` is replaced."""
    owner = target.value
    cls = ctx.knowledge.sync_cache_of(without_none(ctx.model.type_of(owner, scope)))
    if cls is None:
        cls = _specced_class(ctx, owner, scope)
    if cls is not None and _sync_method(ctx, cls, target.attr):
        return cls
    return None


def _patch_kind(ctx: Context, call: ast.Call, scope: Scope) -> str | None:
    """``"patch"`` / ``"object"`` for ``patch(...)`` / ``patch.object(...)`` (``mocker.`` forms too)."""
    func = call.func
    if not isinstance(func, (ast.Name, ast.Attribute)):
        return None
    spelled = func.id if isinstance(func, ast.Name) else func.attr
    if spelled not in ("patch", "object"):
        return None
    callee = ctx.model.type_of(func, scope)
    name = callee.qualname if isinstance(callee, (ClassRef, FuncRef)) else None
    if name in PATCHERS or _mocker_attribute(ctx, func, scope, "patch"):
        return "patch"
    if isinstance(func, ast.Attribute) and func.attr == "object":
        if name in PATCH_OBJECTS or _mocker_attribute(ctx, func.value, scope, "patch"):
            return "object"
    return None


def _string(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _replacement(ctx: Context, call: ast.Call, scope: Scope, new_position: int) -> ast.expr | None:
    """The ``AsyncMock`` a patch puts in place: ``new=AsyncMock()``, ``new_callable=AsyncMock``."""
    for kw in call.keywords:
        if kw.arg == "new" and _async_mock_value(ctx, kw.value, scope):
            return kw.value
        if kw.arg == "new_callable" and _is_async_mock_class(ctx, kw.value, scope):
            return kw.value
    if len(call.args) > new_position and _async_mock_value(ctx, call.args[new_position], scope):
        return call.args[new_position]
    return None


def _class_by_name(ctx: Context, dotted: str) -> str | None:
    name = ctx.knowledge.index.canonical_name(dotted)
    return name if ctx.knowledge.cache_kind(name) == "sync" else None


def _check_patch(ctx: Context, call: ast.Call, scope: Scope) -> Iterator[Diagnostic]:
    kind = _patch_kind(ctx, call, scope)
    if kind == "object" and len(call.args) >= 2:
        method = _string(call.args[1])
        cls = _sync_cache_class(ctx, call.args[0], scope)
        if cls is None:
            cls = ctx.knowledge.sync_cache_of(without_none(ctx.model.type_of(call.args[0], scope)))
        if method is None or cls is None or not _sync_method(ctx, cls, method):
            return
        replacement = _replacement(ctx, call, scope, 2)
        if replacement is not None:
            yield _diagnostic(ctx, replacement, f"{ctx.knowledge.display(cls)}.{method}", cls)
    elif kind == "patch" and call.args:
        target = _string(call.args[0])
        if target is None or "." not in target:
            return
        owner, _, method = target.rpartition(".")
        cls = _class_by_name(ctx, owner)
        if cls is not None and _sync_method(ctx, cls, method):
            replacement = _replacement(ctx, call, scope, 1)
            if replacement is not None:
                yield _diagnostic(ctx, replacement, f"{ctx.knowledge.display(cls)}.{method}", cls)
            return
        cls = _class_by_name(ctx, target)
        if cls is None:
            return
        for kw in call.keywords:
            # The class patched to hand out an AsyncMock instance.
            if kw.arg == "return_value" and _async_mock_value(ctx, kw.value, scope):
                yield _diagnostic(ctx, kw.value, f"{ctx.knowledge.display(cls)}()", cls)


#: Imports that a file using mocks has (one of them, or a pytest-mock fixture parameter).
_MOCK_IMPORTS = frozenset(
    {
        "unittest",
        "unittest.mock",
        "mock",
        "pytest_mock",
        *ASYNC_MOCKS,
        *SPECCED_MOCKS,
        *PATCHERS,
        *MOCKER_FIXTURES,
    }
)
#: The last file asked about (weakly held) and its answer: calls arrive file by file.
_LAST_FILE: list[tuple[ReferenceType[FileModel], bool]] = []


def _uses_mocks(ctx: Context) -> bool:
    """Whether the file can hold a mock at all: most files cannot, and this check runs on every call."""
    model = ctx.model
    if _LAST_FILE and _LAST_FILE[0][0]() is model:
        return _LAST_FILE[0][1]
    found = bool(model.aliases_of(_MOCK_IMPORTS)) or any(
        name in MOCKER_NAMES for scope in model.scopes if scope.kind == "function" for name in scope.bindings
    )
    _LAST_FILE[:] = [(ref(model), found)]
    return found


@CLT105.on(ast.Call)
def check_call(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
    node = visit.node
    assert isinstance(node, ast.Call)
    if not _uses_mocks(ctx):
        return
    scope = visit.scope
    yield from _check_patch(ctx, node, scope)
    # A local bound to AsyncMock() and passed later: reported where it meets the declared type.
    for arg in node.args:
        if isinstance(arg, ast.Name) and _async_mock_value(ctx, arg, scope):
            yield from _report_at(ctx, arg, node, scope)
        elif isinstance(arg, ast.Starred):
            break
    for keyword in node.keywords:
        if isinstance(keyword.value, ast.Name) and _async_mock_value(ctx, keyword.value, scope):
            yield from _report_at(ctx, keyword.value, keyword, scope)
    if not _is_unspecced_async_mock(ctx, node, scope):
        return
    parent = visit.parent
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Attribute):
        cls = _replaced_method(ctx, parent.targets[0], scope)
        if cls is not None:
            yield _diagnostic(ctx, node, ctx.source(parent.targets[0]), cls)
            return
    yield from _report_at(ctx, node, parent, scope)


def _report_at(ctx: Context, node: ast.expr, parent: ast.AST | None, scope: Scope) -> Iterator[Diagnostic]:
    expected = _expected(ctx, node, parent, scope)
    if expected is None:
        return
    target, ty = expected
    cls = _sync_cache_expected(ctx, ty)
    if cls is not None:
        yield _diagnostic(ctx, node, target, cls)
