"""Cache clients mypy cannot see: receivers typed by an import that does not resolve.

When redis-py, Django or a configured vendor cache is not installed where
mypy runs (``ignore_missing_imports``), mypy types ``client: Redis`` as
``Any`` and calls no hook for ``client.get(...)``.  mypy still remembers the
name the ``Any`` stands for (``AnyType.missing_import_name``), which is all
the ``ast`` engine uses for such classes too: the catalogue of well-known
clients (:mod:`cachelint.catalogue`, its module-level instances such as
Django's ``cache``) and the configured ``sync-cache-classes`` with
``cache-methods`` / ``method-signatures``.  So, once the module is checked,
calls on such receivers get CLT101 (awaited or handed to an awaitable
consumer), CLT102 (against the catalogued or configured signature), CLT104
(when the method reaches the store) and CLT103 sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from mypy.checker import TypeChecker
from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    ARG_STAR,
    ARG_STAR2,
    CallExpr,
    Expression,
    FakeInfo,
    FuncDef,
    Import,
    ImportFrom,
    IndexExpr,
    MemberExpr,
    MypyFile,
    NameExpr,
    RefExpr,
    Var,
)
from mypy.types import AnyType, CallableType, Type, UnboundType, UnionType, get_proper_type

from cachelint import catalogue, policy
from cachelint.mypy_plugin import codes
from cachelint.mypy_plugin.state import RunState, Source
from cachelint.mypy_plugin.syntax import ModuleFacts
from cachelint.rules import BY_CODE
from cachelint.signatures import parse_signature_text


@dataclass(frozen=True)
class _Method:
    cls: str  # the class name as shown
    fullname: str
    is_async: bool
    signature: str | None
    data_access: bool
    untyped_return: bool


_CATALOGUED_PACKAGES = frozenset(
    name.split(".", 1)[0] for client in catalogue.CLIENTS for name in client.names
) | frozenset(name.split(".", 1)[0] for name in (*catalogue.INSTANCES, *catalogue.FACTORIES))


def might_have_unresolved(state: RunState, tree: MypyFile) -> bool:
    """A cheap test before the walk: the module imports, from a module mypy does not have,
    a catalogued package or a name the configuration lists as a sync cache."""
    settings = state.settings
    for imported in tree.imports:
        if isinstance(imported, ImportFrom):
            if imported.relative or imported.id in state.modules:
                if _imports_unresolved_name(state, imported):
                    return True
                continue
            if imported.id.split(".", 1)[0] in _CATALOGUED_PACKAGES:
                return True
            for name, _ in imported.names:
                if policy.matches_any(settings.sync_cache_classes, f"{imported.id}.{name}"):
                    return True
        else:
            for module, _ in getattr(imported, "ids", []):
                if module not in state.modules and module.split(".", 1)[0] in _CATALOGUED_PACKAGES:
                    return True
                if module not in state.modules and any(
                    "." in entry and entry.startswith(module + ".") for entry in settings.sync_cache_classes
                ):
                    return True
    return False


def _imports_unresolved_name(state: RunState, imported: ImportFrom) -> bool:
    """``from app.caching import memory_cache`` where that module binds ``memory_cache``
    to a catalogued client mypy could not import (``memory_cache = SimpleCache()``)."""
    tree = state.modules.get(imported.id)
    if tree is None:
        return False
    for name, _ in imported.names:
        symbol = tree.names.get(name)
        node = symbol.node if symbol is not None else None
        missing = _missing_name(node.type) if isinstance(node, Var) else None
        if missing is not None and imported_name(state, missing).split(".", 1)[0] in _CATALOGUED_PACKAGES:
            return True
    return False


def _missing_name(typ: Type | None) -> str | None:
    proper = get_proper_type(typ) if typ is not None else None
    if isinstance(proper, UnionType):
        names = {_missing_name(item) for item in proper.items}
        names.discard(None)
        return (
            names.pop()
            if len(names) == 1
            and all(
                _missing_name(item) is not None or not isinstance(get_proper_type(item), AnyType)
                for item in proper.items
            )
            else None
        )
    if isinstance(proper, AnyType):
        return proper.missing_import_name
    return None


def imported_name(state: RunState, name: str) -> str:
    """mypy names an unresolved ``from m import X`` (or ``import m``) by the importing
    module (``here.X``, ``here.m``): the name as imported (``m.X``, ``m``), read from
    that module's import statements."""
    module, _, local = name.rpartition(".")
    tree = state.modules.get(module)
    if tree is None:
        return name
    for imported in tree.imports:
        if isinstance(imported, ImportFrom) and imported.relative == 0:
            for original, alias in imported.names:
                if (alias or original) == local:
                    return f"{imported.id}.{original}"
        elif isinstance(imported, Import):
            for original, alias in imported.ids:
                if alias == local:
                    return original
                if alias is None and original.split(".", 1)[0] == local:
                    return local
    return name


def unresolved_kind(state: RunState, name: str) -> policy.CacheKind | None:
    """What the catalogue or the configuration says a class mypy could not import is."""
    client = catalogue.client(name)
    if client is not None:
        return client.kind
    settings = state.settings
    if policy.matches_any(settings.not_cache_classes, name):
        return None
    if policy.matches_any(settings.async_cache_classes, name):
        return "async"
    return "sync" if policy.matches_any(settings.sync_cache_classes, name) else None


class _Resolver:
    def __init__(self, state: RunState, checker: TypeChecker, tree: MypyFile, own: bool) -> None:
        self.state = state
        self.checker = checker
        self.tree = tree
        self.own = own
        self.facts: ModuleFacts = state.facts(tree)

    def receiver_name(self, receiver: Expression) -> str | None:
        """The qualified class (or catalogued instance) name an unresolved receiver stands for."""
        if isinstance(receiver, RefExpr) and receiver.fullname in catalogue.INSTANCES:
            return catalogue.INSTANCES[receiver.fullname]
        found: Type | None = self.checker.lookup_type_or_none(receiver) if self.own else None
        if found is not None and _missing_name(found) is None and not isinstance(get_proper_type(found), AnyType):
            return None  # a type mypy resolved: the plugin's hooks judge it
        built = self.value_class(receiver)
        if built is not None:
            return built
        variable = self.variable(receiver)
        if found is None and variable is not None:
            found = variable.type
        name = _missing_name(found)
        if name is None:
            return None
        name = self.imported_name(name)
        if variable is not None and self.is_module(name):
            # ``import redis`` leaves only the module's name in the type: the class is in
            # the parameter's annotation as written, or in the values bound to the name.
            annotated = self.annotated(receiver) if isinstance(receiver, NameExpr) else None
            name = annotated or self.bound_class(variable) or name
        return catalogue.INSTANCES.get(name, name)

    def variable(self, receiver: Expression) -> Var | None:
        """The variable a name, or a ``self.x`` attribute in a method, stands for."""
        if isinstance(receiver, NameExpr) and isinstance(receiver.node, Var):
            return receiver.node
        if isinstance(receiver, MemberExpr) and isinstance(receiver.expr, NameExpr):
            function = self.facts.function.get(id(receiver))
            if isinstance(function, FuncDef) and function.arguments and not isinstance(function.info, FakeInfo):
                if receiver.expr.name == function.arguments[0].variable.name:  # a method's self
                    symbol = function.info.get(receiver.name)
                    if symbol is not None and isinstance(symbol.node, Var):
                        return symbol.node
        return None

    def is_module(self, name: str) -> bool:
        return not (catalogue.client(name) or name in catalogue.INSTANCES or unresolved_kind(self.state, name))

    def dotted(self, expr: Expression) -> str | None:
        """``diskcache.Cache`` as the name it is imported as, when it starts at a name that
        an unresolved import binds (None otherwise: mypy's hooks judge what it resolved)."""
        if isinstance(expr, NameExpr):
            node = expr.node
            missing = _missing_name(node.type) if isinstance(node, Var) else None
            return self.imported_name(missing) if missing is not None else None
        if isinstance(expr, MemberExpr):
            base = self.dotted(expr.expr)
            return f"{base}.{expr.name}" if base is not None else None
        return None

    def value_class(self, value: Expression, depth: int = 0) -> str | None:
        """The catalogued or configured class a value is built as: ``diskcache.Cache(...)``,
        ``redis.Redis.from_url(...)``, ``make_region().configure(...)``, ``caches["default"]``."""
        if isinstance(value, IndexExpr):
            return catalogue.REGISTRIES.get(self.dotted(value.base) or "")
        if isinstance(value, NameExpr) and isinstance(value.node, Var) and depth < 3:
            return self.annotated(value) or self.bound_class(value.node, depth + 1)  # self._redis = client
        if not isinstance(value, CallExpr):
            return None
        callee = value.callee
        name = self.dotted(callee)
        if name is not None:
            if name in catalogue.FACTORIES:
                return catalogue.FACTORIES[name]
            if not self.is_module(name):
                return name
        if isinstance(callee, MemberExpr):
            owner = self.value_class(callee.expr, depth + 1)
            if owner is not None and catalogue.returns_self(owner, callee.name):
                return owner
        return None

    def bound_class(self, var: Var, depth: int = 0) -> str | None:
        """The class of every value bound to ``var`` in this module, when they agree."""
        values = self.facts.bindings.get(id(var), [])
        classes = {self.value_class(value, depth) if value is not None else None for value in values}
        return classes.pop() if len(classes) == 1 else None

    def annotated(self, receiver: NameExpr) -> str | None:
        """A parameter's class as its annotation names it (``client: redis.StrictRedis``)."""
        function = self.facts.function.get(id(receiver))
        if not isinstance(function, FuncDef) or not isinstance(function.unanalyzed_type, CallableType):
            return None
        declared = function.unanalyzed_type.arg_types
        for argument, annotation in zip(function.arguments, declared, strict=False):
            if argument.variable is receiver.node and isinstance(annotation, UnboundType):
                head, _, rest = annotation.name.partition(".")
                symbol = self.tree.names.get(head)
                node = symbol.node if symbol is not None else None
                missing = _missing_name(node.type) if isinstance(node, Var) else None
                if missing is None:
                    return None
                base = self.imported_name(missing)
                return f"{base}.{rest}" if rest else base
        return None

    def imported_name(self, name: str) -> str:
        return imported_name(self.state, name)

    def method(self, owner: str, name: str) -> _Method | None:
        """The method as the catalogue or the configuration describes it, when synchronous."""
        client = catalogue.client(owner)
        shown = owner.rpartition(".")[2]
        if client is not None:
            entry = client.methods.get(name)
            if client.kind != "sync" or entry is None or entry.is_async:
                return None
            return _Method(shown, owner, False, entry.signature, entry.data_access, entry.untyped_return)
        settings = self.state.settings
        if policy.matches_any(settings.async_cache_classes, owner) or policy.matches_any(
            settings.not_cache_classes, owner
        ):
            return None
        if not policy.matches_any(settings.sync_cache_classes, owner) or name not in settings.cache_methods:
            return None
        signature = None
        for key, text in settings.method_signatures.items():
            cls, _, meth = key.rpartition(".")
            if meth == name and policy.matches(cls, owner):
                signature = text
        return _Method(shown, owner, False, signature, True, True)

    def run(self) -> list[Source]:
        from cachelint.mypy_plugin.calls import consumer_of

        sources: list[Source] = []
        for call in self.facts.member_calls:
            callee = call.callee
            assert isinstance(callee, MemberExpr)
            owner = self.receiver_name(callee.expr)
            if owner is None:
                continue
            method = self.method(owner, callee.name)
            if method is None:
                continue
            receiver = self.state.sources.text(self.tree.path, callee.expr)
            args = {"receiver": receiver, "cls": method.cls, "method": callee.name}
            awaited = self.facts.awaited.get(id(call))
            consumer = consumer_of(self.checker if self.own else None, self.facts, call) if awaited is None else None
            if awaited is not None:
                self.checker.fail(BY_CODE["CLT101"].format(args), awaited, code=codes.AWAIT_SYNC)
            elif consumer is not None:
                self.checker.fail(BY_CODE["CLT101"].format(args), call, code=codes.AWAIT_SYNC)
            else:
                function = self.facts.function.get(id(call))
                if (
                    isinstance(function, FuncDef)
                    and function.is_coroutine
                    and method.data_access
                    and self.checker.errors.is_error_code_enabled(codes.BLOCKING_CALL)
                ):
                    blocking = dict(args, function=function.name)
                    self.checker.fail(BY_CODE["CLT104"].format(blocking), call, code=codes.BLOCKING_CALL)
            self.signature(call, method, args)
            if callee.name in policy.CACHE_GETTERS and method.untyped_return and consumer is None:
                sources.append(Source(awaited or call, method.cls, callee.name, method.fullname))
        return sources

    def signature(self, call: CallExpr, method: _Method, args: dict[str, str]) -> None:
        if method.signature is None or any(kind in (ARG_STAR, ARG_STAR2) for kind in call.arg_kinds):
            return
        signature = parse_signature_text(method.signature)
        if signature is None:
            return
        positional = sum(1 for kind in call.arg_kinds if kind == ARG_POS)
        pairs = zip(call.arg_kinds, call.arg_names, strict=True)
        keywords = [name for kind, name in pairs if kind == ARG_NAMED and name]
        problem = signature.bind_problem(positional, keywords)
        if problem is None:
            return
        path = self.tree.path
        shown = [
            f"{name}={self.state.sources.text(path, arg)}" if name else self.state.sources.text(path, arg)
            for arg, name in zip(call.args, call.arg_names, strict=True)
        ]
        details = dict(args, args=", ".join(shown), signature=signature.render(), problem=problem)
        self.checker.fail(BY_CODE["CLT102"].format(details), call, code=codes.CACHE_SIGNATURE)


def check_module(state: RunState, checker: TypeChecker, tree: MypyFile, own: bool) -> list[Source]:
    """Report CLT101/102/104 on unresolved cache receivers of ``tree``; return its CLT103 sources."""
    return _Resolver(state, checker, tree, own).run()
