"""What mypy's resolved classes and types are to cachelint, judged by :mod:`cachelint.policy` alone.

This module only *describes*: a :class:`~mypy.nodes.TypeInfo` becomes a
:class:`policy.ClassFacts` (its MRO's fully qualified names, its methods as
:class:`policy.MethodFacts` with their decorators' effect and awaitable
returns, its class decorators), and a mypy :class:`~mypy.types.Type` becomes
a :class:`policy.TypeFacts`.  Every judgement -- is it a sync or async cache,
a Pydantic model, a structured type a raw value must not meet, is a method
proven synchronous -- is the policy's, the same function the ``ast`` engine
calls, so both engines decide alike.

mypy sees a decorated method's *resulting* type: a wrapper typed to return
what the method returns (the ``functools.wraps`` pattern, ``Callable[P, R]``
in and out) keeps it synchronous, one whose result is a coroutine makes it
asynchronous, and an untyped decorator (no inferred type) leaves it unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from mypy.nodes import (
    ARG_OPT,
    ARG_POS,
    ARG_STAR,
    CallExpr,
    Decorator,
    Expression,
    FuncDef,
    MemberExpr,
    MypyFile,
    NameExpr,
    OverloadedFuncDef,
    RefExpr,
    ReturnStmt,
    SymbolNode,
    TypeInfo,
    Var,
)
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    LiteralType,
    NoneType,
    ProperType,
    TupleType,
    Type,
    TypedDictType,
    TypeType,
    TypeVarType,
    UninhabitedType,
    UnionType,
    get_proper_type,
)

from cachelint import catalogue, policy
from cachelint.config import Settings
from cachelint.mypy_plugin.syntax import walk_nodes
from cachelint.policy import CacheKind

#: Decorators that leave a method as written (the ``ast`` engine's transparent set).
_TRANSPARENT = frozenset(
    {
        "abc.abstractmethod",
        "typing.override",
        "typing_extensions.override",
        "typing.final",
        "typing_extensions.final",
        "builtins.staticmethod",
        "builtins.classmethod",
        "builtins.property",
        "functools.cached_property",
    }
)
_AWAITABLES = frozenset({"typing.Awaitable", "typing.Coroutine", "asyncio.futures.Future", "_asyncio.Future"})
#: Modules whose classes are the language's and typeshed's: their methods say nothing
#: about a project class's structure (the ``ast`` engine does not read them either).
_LANGUAGE_MODULES = frozenset({"builtins", "typing", "typing_extensions", "abc", "collections.abc", "_typeshed"})


def is_awaitable_type(typ: Type | None) -> bool:
    """A declared return that is, or may be, awaitable (``Awaitable``, ``Coroutine``, a union
    holding one, a TypeVar bound to one)."""
    proper = get_proper_type(typ) if typ is not None else None
    if isinstance(proper, TypeVarType):
        proper = get_proper_type(proper.upper_bound)
    if isinstance(proper, UnionType):
        return any(is_awaitable_type(item) for item in proper.items)
    if isinstance(proper, Instance):
        return any(base.fullname in _AWAITABLES for base in proper.type.mro)
    return False


def _decorator_names(decorators: list[Expression]) -> list[str]:
    names: list[str] = []
    for expr in decorators:
        target = expr.callee if isinstance(expr, CallExpr) else expr
        names.append(target.fullname if isinstance(target, RefExpr) and target.fullname else "?")
    return names


def _may_return_awaitable(func: FuncDef) -> bool:
    """An unannotated ``def`` whose returns include a call known to make an awaitable
    (``loop.run_in_executor(...)``), the ``ast`` engine's rule for unannotated methods."""
    for node in walk_nodes(func.body):
        if isinstance(node, ReturnStmt) and isinstance(node.expr, CallExpr):
            callee = node.expr.callee
            if isinstance(callee, (NameExpr, MemberExpr)) and callee.name in policy.AWAITABLE_MAKERS:
                return True
    return False


def _positional(func: FuncDef) -> int | None:
    """Positional parameters after ``self`` (None with ``*args``): see ``policy.MethodFacts``."""
    kinds = func.arg_kinds
    if any(kind == ARG_STAR for kind in kinds):
        return None
    count = sum(1 for kind in kinds if kind in (ARG_POS, ARG_OPT))
    return count if func.is_static else max(count - 1, 0)


def _method_facts(name: str, node: SymbolNode | None) -> policy.MethodFacts | None:
    facts = _unpositioned_facts(name, node)
    func = node.func if isinstance(node, Decorator) else node
    if facts is None or not isinstance(func, FuncDef):
        return facts
    return replace(facts, positional=_positional(func))


def _unpositioned_facts(name: str, node: SymbolNode | None) -> policy.MethodFacts | None:
    if isinstance(node, FuncDef):
        returned = node.type.ret_type if isinstance(node.type, CallableType) else None
        awaitable = not node.is_coroutine and is_awaitable_type(returned)
        return policy.MethodFacts(name, node.is_coroutine, "none", awaitable)
    if isinstance(node, Decorator):
        func = node.func
        own = func.type.ret_type if isinstance(func.type, CallableType) else None
        names = _decorator_names(node.original_decorators)
        if all(decorator in _TRANSPARENT for decorator in names):
            return policy.MethodFacts(name, func.is_coroutine, "none", not func.is_coroutine and is_awaitable_type(own))
        if node.var.type is None:
            return None  # not type checked yet: the decorated type is still unknown (see ClassOracle.settled)
        decorated = get_proper_type(node.var.type)
        if not isinstance(decorated, CallableType):
            return policy.MethodFacts(name, func.is_coroutine, "unknown")
        result = get_proper_type(decorated.ret_type)
        if isinstance(result, Instance) and result.type.fullname == "typing.Coroutine":
            return policy.MethodFacts(name, func.is_coroutine, "async")
        return policy.MethodFacts(name, func.is_coroutine, "sync", is_awaitable_type(result))
    if isinstance(node, OverloadedFuncDef):
        items = [item.func if isinstance(item, Decorator) else item for item in node.items]
        funcs = [item for item in items if isinstance(item, FuncDef)]
        if not funcs:
            return None
        is_async = all(item.is_coroutine for item in funcs)
        awaitable = any(is_awaitable_type(item.type.ret_type) for item in funcs if isinstance(item.type, CallableType))
        return policy.MethodFacts(name, is_async, "none", not is_async and awaitable)
    return None


def class_facts(info: TypeInfo, stubs: Callable[[str], bool] = lambda module: False) -> policy.ClassFacts:
    """``info`` as :mod:`cachelint.policy` judges a class (see the module docstring).

    Methods of classes defined in stubs (typeshed, ``.pyi`` files) and installed packages
    are left out, as the ``ast`` engine leaves out methods it does not read: they say what
    a method returns, not what a project class is (``functools._lru_cache_wrapper`` is no
    cache, nor is a ``CacheSettings(BaseModel)`` by ``BaseModel``'s methods).
    """
    mro = [base.fullname for base in info.mro]
    # mypy models TypedDict and NamedTuple classes on private bases; the policy names the public ones.
    if info.typeddict_type is not None and "typing.TypedDict" not in mro:
        mro.insert(1, "typing.TypedDict")
    if info.tuple_type is not None and info.fullname != "builtins.tuple" and "typing.NamedTuple" not in mro:
        mro.insert(1, "typing.NamedTuple")
    methods: dict[str, policy.MethodFacts] = {}
    decorators: list[str] = []
    for base in info.mro:
        if base.module_name in _LANGUAGE_MODULES:
            continue
        decorators.extend(_decorator_names(base.defn.decorators))
        if "dataclass" in base.metadata and not any(name.endswith(".dataclass") for name in decorators):
            decorators.append("dataclasses.dataclass")
        if "attrs" in base.metadata:
            decorators.append("attr.s")
        if catalogue.client(base.fullname) is not None:
            break  # the catalogue, not the (shared sync/async) source, describes a client
        if stubs(base.module_name):
            continue
        for name, symbol in base.names.items():
            if name not in methods:
                facts = _method_facts(name, symbol.node)
                if facts is not None:
                    methods[name] = facts
    return policy.ClassFacts(info.fullname, tuple(mro), methods, tuple(decorators))


def _unsettled(info: TypeInfo, stubs: Callable[[str], bool] = lambda module: False) -> bool:
    """Whether a decorated method along the MRO has not been type checked yet (its decorated
    type, hence its sync-ness, is not known until mypy checks the defining module)."""
    for base in info.mro:
        if base.module_name in _LANGUAGE_MODULES or stubs(base.module_name):
            continue
        for symbol in base.names.values():
            node = symbol.node
            if isinstance(node, Decorator) and node.var.type is None and not node.var.is_property:
                if not all(name in _TRANSPARENT for name in _decorator_names(node.original_decorators)):
                    return True
    return False


def method_facts(info: TypeInfo, name: str) -> policy.MethodFacts | None:
    """Method ``name`` of ``info`` along its MRO, as the policy sees it (None: not a method)."""
    symbol = info.get(name)
    return _method_facts(name, symbol.node if symbol is not None else None)


class ClassOracle:
    """The policy's answers about mypy's classes for one configuration, memoised per class."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._kinds: dict[str, CacheKind | None] = {}
        self._facts: dict[str, policy.ClassFacts] = {}
        #: every module of the build (mypy's ``set_modules``)
        self.modules: Mapping[str, MypyFile] = {}
        #: unannotated methods whose body may return an awaitable (see :meth:`read_bodies`)
        self._awaitable_bodies: set[str] = set()

    def _is_stub(self, module: str) -> bool:
        # Stubs and installed packages: the ast engine does not read their methods either.
        tree = self.modules.get(module)
        return tree is None or tree.is_stub or "site-packages" in tree.path or "dist-packages" in tree.path

    def facts(self, info: TypeInfo) -> policy.ClassFacts:
        found = self._facts.get(info.fullname)
        if found is None:
            found = class_facts(info, self._is_stub)
            if self.settled(info):
                self._facts[info.fullname] = found
        return found

    def settled(self, info: TypeInfo) -> bool:
        """Whether what is known of ``info`` is final: answers about an unsettled class (a
        decorated method mypy has not checked yet) must not be remembered."""
        return info.fullname in self._facts or not _unsettled(info, self._is_stub)

    def cache_kind(self, info: TypeInfo) -> CacheKind | None:
        """``"sync"``/``"async"``/None, by :func:`policy.cache_kind`."""
        fullname = info.fullname
        if fullname in self._kinds:
            return self._kinds[fullname]
        settings = self.settings
        kind = policy.cache_kind(
            self.facts(info),
            sync_classes=settings.sync_cache_classes,
            async_classes=settings.async_cache_classes,
            excluded_classes=settings.not_cache_classes,
        )
        if self.settled(info):
            self._kinds[fullname] = kind
        return kind

    def is_model(self, info: TypeInfo) -> bool:
        """A Pydantic model (:func:`policy.is_model`): ``BaseModel`` itself is not one."""
        return policy.is_model(self.facts(info), self.settings.extra_model_bases)

    def is_sync_method(self, info: TypeInfo, name: str) -> bool:
        """Whether ``info.name`` is proven synchronous (catalogue first, then the definition)."""
        catalogued = policy.catalogued_method(self.facts(info), name)
        symbol = info.get(name)
        defined_in = symbol.node.info if symbol is not None and isinstance(symbol.node, (FuncDef, Decorator)) else None
        if catalogued is not None and (defined_in is None or catalogue.client(defined_in.fullname) is not None):
            return not catalogued.is_async
        facts = method_facts(info, name)
        if facts is None or policy.method_is_sync(facts) is not True:
            return False
        # As in the ast engine, the class is judged by its methods' declarations and
        # an unannotated body that returns an awaitable at each call of the method.
        node = symbol.node if symbol is not None else None
        return not (isinstance(node, FuncDef) and self._returns_awaitable(node))

    def _returns_awaitable(self, func: FuncDef) -> bool:
        if func.fullname in self._awaitable_bodies:
            return True
        return not func.is_coroutine and func.unanalyzed_type is None and _may_return_awaitable(func)

    def _may_be_cache(self, info: TypeInfo) -> bool:
        """A cheap test before reading bodies: a store method, a cache-like name, a configured name."""
        return (
            any(name in info.names for name in policy.GET_METHODS)
            or any(policy.is_cache_name(base.fullname) for base in info.mro)
            or any(policy.matches_any(self.settings.sync_cache_classes, base.fullname) for base in info.mro)
        )

    def read_bodies(self, tree: MypyFile) -> None:
        """Note the unannotated methods of ``tree``'s classes that may return an awaitable,
        before mypy frees the module's function bodies (calls in later modules ask)."""
        if self._is_stub(tree.fullname):
            return  # stubs and installed packages: their bodies are not read (see _is_stub)
        for symbol in tree.names.values():
            info = symbol.node
            if not isinstance(info, TypeInfo) or info.module_name != tree.fullname or not self._may_be_cache(info):
                continue
            for method in info.names.values():
                func = method.node
                if isinstance(func, FuncDef) and self._returns_awaitable(func):
                    self._awaitable_bodies.add(func.fullname)

    def data_access(self, info: TypeInfo, method: str, depth: int = 0) -> bool:
        """Whether ``method`` of sync cache ``info`` reaches its store (CLT104: blocking I/O).

        The ``ast`` engine's rule: the catalogue says so per method; a method a
        configured sync class lists in ``cache-methods`` does; a project method
        does when its body does file, network or process I/O, or calls such a
        method of ``self`` or of a cache held in ``self.x``.  Key builders and
        status getters do not.
        """
        facts = self.facts(info)
        catalogued = policy.catalogued_method(facts, method)
        if catalogued is not None:
            return catalogued.data_access
        settings = self.settings
        if method in settings.cache_methods and any(
            policy.matches_any(settings.sync_cache_classes, name) for name in facts.mro
        ):
            return True
        definition = method_definition(info, method)
        if definition is None or depth > 4:
            return False
        return self._body_reaches_store(info, definition, depth)

    def _body_reaches_store(self, info: TypeInfo, func: FuncDef, depth: int) -> bool:
        self_name = func.arguments[0].variable.name if func.arguments else "self"
        for node in walk_nodes(func.body):
            if not isinstance(node, CallExpr):
                continue
            callee = node.callee
            if isinstance(callee, RefExpr) and callee.fullname and policy.is_io_call(callee.fullname):
                return True
            if not isinstance(callee, MemberExpr):
                continue
            if callee.name in policy.FILE_METHODS:
                return True
            receiver = callee.expr
            if isinstance(receiver, NameExpr) and receiver.name == self_name:
                if callee.name != func.name and self.data_access(info, callee.name, depth + 1):
                    return True
            elif isinstance(receiver, MemberExpr) and isinstance(receiver.expr, NameExpr):
                if receiver.expr.name != self_name:
                    continue
                symbol = info.get(receiver.name)
                declared = symbol.node.type if symbol is not None and isinstance(symbol.node, Var) else None
                held = without_none(declared) if declared is not None else None
                if not isinstance(held, Instance):
                    continue
                if policy.is_io_method(held.type.fullname, callee.name):
                    return True
                if self.cache_kind(held.type) == "sync" and self.data_access(held.type, callee.name, depth + 1):
                    return True
        return False

    def type_facts(self, typ: Type | None, depth: int = 0) -> policy.TypeFacts | None:
        """``typ`` as :class:`policy.TypeFacts` (None: nothing the policy can read)."""
        if typ is None or depth > 8:
            return None
        proper = get_proper_type(typ)
        if isinstance(proper, AnyType):
            return policy.TypeFacts("any")
        if isinstance(proper, (NoneType, UninhabitedType)):
            return policy.TypeFacts("none")
        if isinstance(proper, UnionType):
            members = tuple(self.type_facts(item, depth + 1) or policy.TypeFacts("unknown") for item in proper.items)
            return policy.TypeFacts("union", args=members)
        if isinstance(proper, TypeVarType):
            bound = get_proper_type(proper.upper_bound)
            is_object = isinstance(bound, Instance) and bound.type.fullname == "builtins.object"
            return policy.TypeFacts(
                "typevar", proper.name, bound=None if is_object else self.type_facts(bound, depth + 1)
            )
        if isinstance(proper, TypedDictType):
            proper = proper.fallback
        if isinstance(proper, LiteralType):
            proper = proper.fallback
        if isinstance(proper, TupleType):
            fallback = proper.partial_fallback
            if fallback.type.fullname != "builtins.tuple":
                proper = fallback  # a NamedTuple class
            else:
                args = tuple(self.type_facts(item, depth + 1) or policy.TypeFacts("unknown") for item in proper.items)
                return policy.TypeFacts("instance", "builtins.tuple", args[:1])
        if isinstance(proper, Instance):
            args = tuple(self.type_facts(arg, depth + 1) or policy.TypeFacts("unknown") for arg in proper.args)
            return policy.TypeFacts("instance", proper.type.fullname, args, self.facts(proper.type))
        if isinstance(proper, TypeType):
            return policy.TypeFacts("unknown")
        return policy.TypeFacts("unknown")

    def sink(self, declared: Type | None, *, typevars: bool = False) -> policy.SinkFacts | None:
        """The structured type ``declared`` demands of a raw value (:func:`policy.typed_sink`)."""
        return policy.typed_sink(
            self.type_facts(declared), extra_model_bases=self.settings.extra_model_bases, typevars=typevars
        )


def method_definition(info: TypeInfo, name: str) -> FuncDef | None:
    """The ``FuncDef`` of method ``name`` (through one decorator), for parameter defaults."""
    symbol = info.get(name)
    node = symbol.node if symbol is not None else None
    if isinstance(node, Decorator):
        return node.func
    if isinstance(node, FuncDef):
        return node
    return None


def without_none(typ: Type) -> ProperType | None:
    """``X | None`` -> ``X``; a union of several other members -> None (not one class)."""
    proper = get_proper_type(typ)
    if isinstance(proper, UnionType):
        rest = [item for item in proper.items if not isinstance(get_proper_type(item), NoneType)]
        if len(rest) != 1:
            return None
        proper = get_proper_type(rest[0])
    return proper
