"""CLT105 async-mock-for-sync-cache: an ``AsyncMock()`` without a spec where a sync cache is declared.

typeshed types ``AsyncMock`` as a subclass of ``Any``, so mypy accepts one
anywhere and calls no hook that says where it goes.  The check therefore runs
when a module has been type checked (with the other end-of-module checks),
over the ``AsyncMock(...)`` calls the module walk found
(``AsyncMock()``, ``mock.AsyncMock()``, and pytest-mock's
``mocker.AsyncMock()`` with the usual unannotated ``mocker`` fixture), and
reports one where it meets a declared sync cache (:func:`policy.cache_kind`):

- an argument whose parameter is declared a sync cache (a function, a method,
  a class or a subscripted generic class as the callee);
- a target annotated so, a ``return`` from a function declared so;
- a local name bound to the mock, at the call it is later passed to;
- a sync method of a sync-cache instance, or of a ``MagicMock(spec=Cache)``,
  replaced by it (``cache.get = AsyncMock()``);
- ``patch.object(Cache, "get", new_callable=AsyncMock)`` / ``new=AsyncMock()``.
"""

from __future__ import annotations

from mypy.checker import TypeChecker
from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    AssignmentStmt,
    CallExpr,
    Expression,
    MemberExpr,
    MypyFile,
    NameExpr,
    RefExpr,
    ReturnStmt,
    StrExpr,
    TypeInfo,
    Var,
)
from mypy.types import AnyType, Instance, NoneType, Type, UnionType, get_proper_type

from cachelint import catalogue
from cachelint.mypy_plugin import codes, unresolved
from cachelint.mypy_plugin.callee import formal_type
from cachelint.mypy_plugin.retrieval import declared_return
from cachelint.mypy_plugin.state import RunState
from cachelint.mypy_plugin.syntax import ModuleFacts, walk_nodes
from cachelint.rules import BY_CODE

ASYNC_MOCKS = frozenset({"unittest.mock.AsyncMock", "mock.AsyncMock"})
#: pytest-mock's fixture, usually unannotated: ``mocker.AsyncMock`` is ``unittest.mock.AsyncMock``.
MOCKER_NAMES = frozenset({"mocker", "module_mocker", "class_mocker", "session_mocker", "package_mocker"})
_SPEC_MOCKS = frozenset({"MagicMock", "Mock", "NonCallableMagicMock", "create_autospec"})
#: Modules whose import makes a module worth the walk (tests name their mocks through them).
MOCK_MODULES = frozenset({"unittest.mock", "mock", "pytest_mock"})


def might_mock(tree: MypyFile) -> bool:
    """A cheap test before the walk: the module imports a mock library or is a pytest module."""
    name = tree.fullname.rpartition(".")[2]
    if name.startswith("test_") or name.endswith("_test") or name == "conftest":
        return True
    for imported in tree.imports:
        ids = [getattr(imported, "id", "")] + [item[0] for item in getattr(imported, "ids", [])]
        if any(module in MOCK_MODULES or module.startswith("unittest.mock") for module in ids if module):
            return True
    return False


def _is_async_mock(callee: Expression) -> bool:
    if isinstance(callee, RefExpr) and callee.fullname in ASYNC_MOCKS:
        return True
    if isinstance(callee, MemberExpr) and callee.name == "AsyncMock":
        owner = callee.expr
        return isinstance(owner, NameExpr) and owner.name in MOCKER_NAMES
    return False


def _unspecced(call: CallExpr) -> bool:
    if any(kind == ARG_POS for kind in call.arg_kinds):
        return False  # AsyncMock(CacheManager): the first positional argument is the spec
    return not any(name in ("spec", "spec_set") or name is None for name in call.arg_names)


class _Checker:
    def __init__(self, state: RunState, checker: TypeChecker, tree: MypyFile, own: bool) -> None:
        self.state = state
        self.checker = checker
        self.tree = tree
        self.own = own
        self.facts: ModuleFacts = state.facts(tree)
        self.reported: set[tuple[int, int]] = set()

    def text(self, node: Expression) -> str:
        return self.state.sources.text(self.tree.path, node)

    def sync_cache(self, typ: Type | None) -> str | None:
        """The name of the sync cache class ``typ`` declares (``X | None`` included; any other
        union member: None).  A class mypy could not import is judged by its name, through the
        catalogue and the configuration (see :mod:`.unresolved`)."""
        if typ is None:
            return None
        proper = get_proper_type(typ)
        members = proper.items if isinstance(proper, UnionType) else [proper]
        found: str | None = None
        for member in members:
            member = get_proper_type(member)
            if isinstance(member, NoneType):
                continue
            if isinstance(member, AnyType) and member.missing_import_name:
                name = unresolved.imported_name(self.state, member.missing_import_name)
                if unresolved.unresolved_kind(self.state, name) != "sync":
                    return None
                found = found or name.rpartition(".")[2]
                continue
            if not isinstance(member, Instance) or self.state.oracle.cache_kind(member.type) != "sync":
                return None
            found = found or member.type.name
        return found

    def report(self, node: Expression, target: str, cls: str) -> None:
        key = (node.line, node.column)
        if key in self.reported:
            return
        self.reported.add(key)
        args = {"target": target, "cls": cls, "cls_name": cls}
        self.checker.fail(BY_CODE["CLT105"].format(args), node, code=codes.ASYNC_MOCK)

    def type_of(self, expr: Expression) -> Type | None:
        found = self.checker.lookup_type_or_none(expr) if self.own else None
        if found is None and isinstance(expr, NameExpr) and isinstance(expr.node, Var):
            found = expr.node.type
        return found

    # -- where a mock goes --------------------------------------------------------

    def placed(self, node: Expression, mock: Expression) -> None:
        """Report ``mock`` (the call, or a name bound to it) where ``node`` meets a declared sync cache."""
        parent = self.facts.parent.get(id(node))
        if isinstance(parent, CallExpr) and node is not parent.callee:
            index = next(i for i, arg in enumerate(parent.args) if arg is node)
            info = self.sync_cache(formal_type(self.checker if self.own else None, parent, index))
            if info is not None:
                name = parent.arg_names[index]
                target = name if parent.arg_kinds[index] == ARG_NAMED and name else None
                target = target or f"argument {index + 1} of {self.text(parent.callee)}()"
                self.report(node, target, info)
        elif isinstance(parent, AssignmentStmt) and parent.rvalue is node:
            self.assigned(parent, node)
        elif isinstance(parent, ReturnStmt):
            function = self.facts.function.get(id(node))
            info = self.sync_cache(declared_return(function))
            if info is not None and function is not None:
                self.report(node, f"the return value of {function.name}()", info)

    def assigned(self, stmt: AssignmentStmt, node: Expression) -> None:
        if stmt.unanalyzed_type is not None and stmt.type is not None:
            info = self.sync_cache(stmt.type)
            if info is not None:
                self.report(node, self.text(stmt.lvalues[0]), info)
            return
        for lvalue in stmt.lvalues:
            if isinstance(lvalue, MemberExpr):
                self.replaced(lvalue, node)
            elif isinstance(lvalue, NameExpr) and isinstance(lvalue.node, Var) and node is stmt.rvalue:
                self.bound(lvalue)

    def sync_method(self, owner: TypeInfo | str, method: str) -> str | None:
        """The class's shown name when ``method`` is a sync method of the sync cache ``owner``
        (a class mypy could not import is named: the catalogue and the configuration say)."""
        if isinstance(owner, TypeInfo):
            oracle = self.state.oracle
            sync = oracle.cache_kind(owner) == "sync" and oracle.is_sync_method(owner, method)
            return owner.name if sync else None
        entry = catalogue.method(owner, method)
        if (
            unresolved.unresolved_kind(self.state, owner) == "sync"
            and (entry is None or not entry.is_async)
            and (entry is not None or method in self.state.settings.cache_methods)
        ):
            return owner.rpartition(".")[2]
        return None

    def sync_class(self, owner: TypeInfo | str) -> str | None:
        if isinstance(owner, TypeInfo):
            return owner.name if self.state.oracle.cache_kind(owner) == "sync" else None
        return owner.rpartition(".")[2] if unresolved.unresolved_kind(self.state, owner) == "sync" else None

    def replaced(self, lvalue: MemberExpr, node: Expression) -> None:
        """``obj.attr = AsyncMock()``: a sync method of a cache (or of a mock specced on one), or an
        attribute declared a sync cache."""
        owner = self.spec_of(lvalue.expr)
        if owner is None:
            receiver = get_proper_type(self.type_of(lvalue.expr)) if self.type_of(lvalue.expr) else None
            if isinstance(receiver, AnyType) and receiver.missing_import_name:
                owner = unresolved.imported_name(self.state, receiver.missing_import_name)
        if isinstance(owner, str):  # a class mypy could not import: the catalogue says
            cls = self.sync_method(owner, lvalue.name)
            if cls is not None:
                self.report(node, self.text(lvalue), cls)
            return
        if owner is None:
            receiver = get_proper_type(self.type_of(lvalue.expr)) if self.type_of(lvalue.expr) else None
            owner = receiver.type if isinstance(receiver, Instance) else None
            if owner is not None and self.state.oracle.cache_kind(owner) != "sync":
                symbol = owner.get(lvalue.name)
                declared = symbol.node.type if symbol is not None and isinstance(symbol.node, Var) else None
                info = self.sync_cache(declared)
                if info is not None:
                    self.report(node, self.text(lvalue), info)
                return
        if owner is not None and self.state.oracle.cache_kind(owner) == "sync":
            if self.state.oracle.is_sync_method(owner, lvalue.name):
                self.report(node, self.text(lvalue), owner.name)

    def spec_of(self, expr: Expression) -> TypeInfo | str | None:
        """The class ``expr`` is a mock specced on: a name bound to ``MagicMock(spec=Cls)``,
        ``create_autospec(Cls)``..."""
        if not isinstance(expr, NameExpr) or not isinstance(expr.node, Var):
            return None
        var = expr.node
        for node in walk_nodes(self.facts.function.get(id(expr)) or self.tree):
            if not isinstance(node, AssignmentStmt) or not isinstance(node.rvalue, CallExpr):
                continue
            if not any(isinstance(lv, NameExpr) and lv.node is var for lv in node.lvalues):
                continue
            call = node.rvalue
            callee = call.callee
            name = callee.name if isinstance(callee, (NameExpr, MemberExpr)) else None
            if name not in _SPEC_MOCKS:
                continue
            spec: Expression | None = None
            for arg, arg_name, kind in zip(call.args, call.arg_names, call.arg_kinds, strict=True):
                if arg_name in ("spec", "spec_set") or (kind == ARG_POS and arg is call.args[0]):
                    spec = arg
                    break
            if isinstance(spec, RefExpr) and isinstance(spec.node, TypeInfo):
                return spec.node
            if isinstance(spec, RefExpr) and isinstance(spec.node, Var) and spec.node.is_suppressed_import:
                return unresolved.imported_name(self.state, spec.fullname)
        return None

    def bound(self, target: NameExpr) -> None:
        var = target.node
        for read in self.facts.reads.get(id(var), ()):
            if (read.line, read.column) > (target.line, target.column):
                self.placed(read, target)

    def patched(self, call: CallExpr) -> None:
        """``patch.object(Cache, "get", new_callable=AsyncMock)`` and ``new=AsyncMock()``; the same
        through ``patch("pkg.Cache.get", ...)``; ``patch("pkg.Cache", return_value=AsyncMock())``."""
        callee = call.callee
        owner: TypeInfo | str | None
        if isinstance(callee, MemberExpr) and callee.name == "object":
            if len(call.args) < 2 or not isinstance(call.args[1], StrExpr):
                return
            owner, method = self.class_of(call.args[0]), call.args[1].value
        else:
            target = call.args[0]
            assert isinstance(target, StrExpr)
            whole = self.class_named(target.value)
            if whole is not None:
                self.class_patched(call, whole)
                return
            owner_name, _, method = target.value.rpartition(".")
            owner = self.class_named(owner_name) if owner_name else None
        cls = self.sync_method(owner, method) if owner is not None else None
        if cls is None:
            return
        for arg, name in zip(call.args, call.arg_names, strict=True):
            if name == "new_callable" and _is_async_mock(arg):
                self.report(arg, f"{cls}.{method}", cls)
            elif name == "new" and isinstance(arg, CallExpr) and _is_async_mock(arg.callee) and _unspecced(arg):
                self.report(arg, f"{cls}.{method}", cls)

    def class_patched(self, call: CallExpr, owner: TypeInfo | str) -> None:
        """``patch("pkg.Cache", return_value=mock)``: the code under test builds the mock."""
        cls = self.sync_class(owner)
        if cls is None:
            return
        for arg, name in zip(call.args, call.arg_names, strict=True):
            if name == "return_value" and self.is_unspecced_mock(arg):
                self.report(arg, f"{cls}()", cls)

    def is_unspecced_mock(self, expr: Expression) -> bool:
        """``AsyncMock()``, or a name every binding of which (in this module) is one."""
        if isinstance(expr, CallExpr):
            return _is_async_mock(expr.callee) and _unspecced(expr)
        if isinstance(expr, NameExpr) and isinstance(expr.node, Var):
            values = self.facts.bindings.get(id(expr.node), [])
            return bool(values) and all(value is not None and self.is_unspecced_mock(value) for value in values)
        return False

    def class_of(self, expr: Expression) -> TypeInfo | str | None:
        """The class a reference names: mypy's, or the imported name of one it could not import."""
        if isinstance(expr, RefExpr) and isinstance(expr.node, TypeInfo):
            return expr.node
        if isinstance(expr, RefExpr) and isinstance(expr.node, Var) and expr.node.is_suppressed_import:
            return unresolved.imported_name(self.state, expr.fullname)
        return None

    def class_named(self, dotted: str) -> TypeInfo | str | None:
        """The class a dotted name as ``patch`` takes it names: one of the build, or, in a
        package mypy could not import, the name itself (None: not a class of the build)."""
        parts = dotted.split(".")
        for index in range(len(parts) - 1, 0, -1):
            module = self.state.modules.get(".".join(parts[:index]))
            if module is None:
                continue
            node: object = module
            for part in parts[index:]:
                names = node.names if isinstance(node, (MypyFile, TypeInfo)) else None
                symbol = names.get(part) if names is not None else None
                node = symbol.node if symbol is not None else None
            return node if isinstance(node, TypeInfo) else None
        if parts[0] in self.state.modules:
            return None
        return dotted if unresolved.unresolved_kind(self.state, dotted) is not None else None

    def run(self) -> None:
        for call in self.facts.mock_calls:
            if _is_async_mock(call.callee) and _unspecced(call):
                self.placed(call, call)
        for call in self.facts.patch_calls:
            self.patched(call)


def check_module(state: RunState, checker: TypeChecker, tree: MypyFile, own: bool) -> None:
    """Report CLT105 in ``tree`` (see the module docstring)."""
    facts = state.facts(tree)
    if facts.mock_calls or facts.patch_calls:
        _Checker(state, checker, tree, own).run()


__all__ = ["check_module", "might_mock"]
