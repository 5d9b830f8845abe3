"""What the engine knows about classes: caches (sync or async), their methods, models.

Answers come from the class's source through the :class:`ProjectIndex` when
the project has it, else from the configuration (``sync-cache-classes``,
``async-cache-classes``, ``cache-methods``, ``method-signatures``).  Nothing
is guessed from names unless the user opted in with
``receiver-name-patterns``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from typing import Literal

from cachelint import catalogue, policy
from cachelint.analysis.behaviour import Bodies, MethodBody, Wrapper, decorator_wrapper, method_body
from cachelint.analysis.index import (
    ClassSummary,
    ClassSymbol,
    DeclarationKind,
    Declared,
    FunctionSummary,
    FunctionSymbol,
    ModuleSummary,
    ProjectIndex,
)
from cachelint.analysis.types import (
    ANY,
    SELF,
    AnnotationResolver,
    ClassNamespace,
    ClassRef,
    Inst,
    Namespace,
    Ty,
    TypeVarT,
    Untyped,
    canonical,
    is_awaitable,
    is_untyped,
    join,
    substitute,
    type_vars,
    without_none,
)
from cachelint.config import Settings
from cachelint.signatures import Kind, Param, Signature, parse_signature_text

#: Generic standard-library classes whose source the engine does not read (no
#: typeshed at run time): (class, method) -> index of the type argument the
#: method returns.  ``ContextVar[T].get()`` is ``T``.
STDLIB_GENERIC_RETURNS: dict[tuple[str, str], int] = {
    ("contextvars.ContextVar", "get"): 0,
    ("queue.Queue", "get"): 0,
    ("queue.LifoQueue", "get"): 0,
    ("queue.PriorityQueue", "get"): 0,
    ("queue.SimpleQueue", "get"): 0,
    ("queue.Queue", "get_nowait"): 0,
    ("asyncio.Queue", "get_nowait"): 0,
    ("collections.deque", "pop"): 0,
    ("collections.deque", "popleft"): 0,
}
#: ``pydantic.TypeAdapter(T)``: its ``validate_*`` methods return ``T``.
TYPE_ADAPTERS = frozenset({"pydantic.TypeAdapter", "pydantic.type_adapter.TypeAdapter"})
ADAPTER_METHODS = frozenset({"validate_python", "validate_json", "validate_strings"})
_GENERIC_BASES = frozenset({"typing.Generic", "typing.Protocol", "typing_extensions.Protocol"})
#: Bindings of a class's type parameters: TypeVar qualname -> argument.
TypeArgs = dict[str, Ty]

CacheKind = Literal["sync", "async"]

_DATACLASS_DECORATORS = (
    "dataclass",
    "dataclasses.dataclass",
    "pydantic.dataclasses.dataclass",
    "attr.s",
    "attr.attrs",
    "attr.define",
    "attr.frozen",
    "attr.mutable",
    "attrs.define",
    "attrs.frozen",
    "attrs.mutable",
)


# Decorators that leave a method's sync-ness and signature as written.
_TRANSPARENT_DECORATORS = (
    "abstractmethod",
    "override",
    "final",
    "staticmethod",
    "classmethod",
    "functools.lru_cache",
    "functools.cache",
    "typing.overload",
)
_AS_WRITTEN = Wrapper("none", True)
_UNKNOWN_WRAPPER = Wrapper("unknown", False)
COROUTINE = "collections.abc.Coroutine"


@dataclass(frozen=True)
class MethodInfo:
    """A method of a cache class as the engine knows it."""

    cls: str  # display name of the class the receiver is (not where the method is defined)
    name: str
    is_async: bool
    signature: Signature | None
    returns: Ty | None
    #: True when the return annotation is absent, ``Any`` or ``object``.
    untyped_return: bool
    #: True when the method is a plain ``def`` that hands back an awaitable.
    returns_awaitable: bool
    #: Whether it reaches the store, when known without reading the body (the catalogue says).
    data_access: bool | None = None
    #: An unannotated plain ``def`` whose body must still show that it returns no awaitable.
    returns_unread: bool = False


@dataclass(frozen=True)
class InitParam:
    name: str
    position: int | None  # None: keyword-only
    annotation: ast.expr | None
    module: ModuleSummary


def _matches(entry: str, qualname: str) -> bool:
    if "." in entry:
        return qualname == entry or qualname.endswith("." + entry)
    return qualname.rpartition(".")[2] == entry


def _positional(signature: Signature) -> int | None:
    """Positional parameters after ``self`` (None with ``*args``): see ``policy.MethodFacts``."""
    if any(param.kind is Kind.VAR_POSITIONAL for param in signature.params):
        return None
    return len(signature.positional_params())


class Knowledge:
    """Class-level facts, memoised per process for one configuration."""

    def __init__(self, index: ProjectIndex, settings: Settings) -> None:
        self.index = index
        self.settings = settings
        self.resolver = AnnotationResolver(index)
        self._kinds: dict[str, CacheKind | None] = {}
        self._methods: dict[tuple[str, str], MethodInfo | None] = {}
        self._models: dict[str, bool] = {}
        self._wrappers: dict[str, Wrapper] = {}
        self._method_bodies: dict[tuple[str, str], MethodBody | None] = {}
        self._bodies = Bodies()
        self._bases: dict[str, tuple[tuple[str, tuple[Ty, ...]], ...]] = {}
        self._params: dict[str, tuple[TypeVarT, ...]] = {}
        self._typed: dict[tuple[str, tuple[Ty, ...]], list[tuple[ClassSummary | str, TypeArgs]]] = {}
        self._generation = index.generation

    def close(self) -> None:
        """Forget everything, breaking reference cycles (see ``engine.knowledge_for``)."""
        self.index.close()
        self._forget()

    # -- caches --------------------------------------------------------------

    def _ancestry(self, qualname: str) -> list[ClassSummary | str]:
        summary = self.index.class_summary(qualname)
        if summary is None:
            return [qualname]
        return self.index.ancestors(summary)

    def _fresh(self) -> None:
        """Drop memos made before the index replaced a summary (an edited file)."""
        if self._generation != self.index.generation:
            self._generation = self.index.generation
            self._forget()

    def _forget(self) -> None:
        """Clear every memo (one list, so a new memo cannot be missed by close or _fresh)."""
        self._kinds.clear()
        self._methods.clear()
        self._models.clear()
        self._bases.clear()
        self._params.clear()
        self._typed.clear()
        self._wrappers.clear()
        self._method_bodies.clear()
        self._bodies.clear()

    def cache_kind(self, qualname: str) -> CacheKind | None:
        """``"sync"``/``"async"`` for a cache class or subclass, else None (``policy.cache_kind``)."""
        self._fresh()
        if qualname in self._kinds:
            return self._kinds[qualname]
        self._kinds[qualname] = None  # a class reached again while judging itself is no cache
        settings = self.settings
        kind = policy.cache_kind(
            self.cache_facts(qualname),
            sync_classes=settings.sync_cache_classes,
            async_classes=settings.async_cache_classes,
            excluded_classes=settings.not_cache_classes,
        )
        self._kinds[qualname] = kind
        return kind

    def cache_facts(self, qualname: str) -> policy.ClassFacts:
        """The class as :func:`cachelint.policy.cache_kind` judges it: MRO names, and the methods
        with known source that it reads (:func:`cachelint.policy.judged_method`)."""
        ancestry = self._ancestry(qualname)
        mro = tuple(item.qualname if isinstance(item, ClassSummary) else item for item in ancestry)
        settings = self.settings
        configured = any(
            policy.matches_any((*settings.sync_cache_classes, *settings.async_cache_classes), name) for name in mro
        )
        methods: dict[str, policy.MethodFacts] = {}
        # Only the methods the judgement reads (resolving every return annotation of
        # every receiver's class would cost more than the rest of the check).
        named = any(policy.is_cache_name(name) for name in mro if name != "builtins.object")
        for item in ancestry:
            if not isinstance(item, ClassSummary):
                continue
            if catalogue.client(item.qualname) is not None:
                break  # the catalogue, not the (shared sync/async) source, describes a client
            if item.module.installed and not configured:
                # Structure recognises *project* classes: an installed HTTP session has a
                # get and a delete too.  An installed class's methods count only for a
                # class configured by name, whose source outranks the name.
                continue
            for name, func in item.methods.items():
                if name not in methods and policy.judged_method(name, named=named):
                    methods[name] = self._method_facts(func, item.module)
        return policy.ClassFacts(qualname, mro, methods)

    def _method_facts(self, func: FunctionSummary, module: ModuleSummary) -> policy.MethodFacts:
        returns = self.resolver.resolve(func.returns, module) if func.returns is not None else None
        return policy.MethodFacts(
            name=func.name,
            is_async=func.is_async,
            decorators=self.decorator_effect(func, module).effect,
            returns_awaitable=not func.is_async
            and (is_awaitable(returns) or (func.returns is not None and returns is None)),
            positional=_positional(func.signature),
        )

    def display(self, qualname: str) -> str:
        return qualname.rpartition(".")[2]

    def cache_method(self, qualname: str, method: str) -> MethodInfo | None:
        """The method ``method`` of sync cache class ``qualname``, or None if not known."""
        self._fresh()
        key = (qualname, method)
        if key in self._methods:
            return self._methods[key]
        info = self._cache_method(qualname, method) if self.cache_kind(qualname) == "sync" else None
        self._methods[key] = info
        return info

    def _cache_method(self, qualname: str, method: str) -> MethodInfo | None:
        for item in self._ancestry(qualname):
            name = item.qualname if isinstance(item, ClassSummary) else item
            client = catalogue.client(name)
            if client is not None:
                entry = client.methods.get(method)
                if entry is None:
                    return None
                info = self._from_catalogue(qualname, entry)
                source = item.methods.get(method) if isinstance(item, ClassSummary) else None
                if source is not None:  # its own source has the exact parameters; the catalogue the sync-ness
                    info = replace(info, signature=source.signature)
                return info
            if isinstance(item, ClassSummary):
                func = item.methods.get(method)
                if func is None:
                    continue
                return self._from_project(qualname, func, item.module)
            # A base outside the project: its installed source, else the configuration.
            if not any(_matches(entry, item) for entry in self.settings.sync_cache_classes):
                return None
            installed = self._installed_method(qualname, item, method)
            if installed is not None:
                return installed
            if method in self.settings.cache_methods:
                return MethodInfo(
                    cls=self.display(qualname),
                    name=method,
                    is_async=False,
                    signature=self._configured_signature(item, method),
                    returns=None,
                    untyped_return=True,
                    returns_awaitable=False,
                )
            return None
        return None

    def _from_catalogue(self, qualname: str, entry: catalogue.ClientMethod) -> MethodInfo:
        return MethodInfo(
            cls=self.display(qualname),
            name=entry.name,
            is_async=entry.is_async,
            signature=parse_signature_text(entry.signature),
            returns=None,
            untyped_return=entry.untyped_return,
            returns_awaitable=False,
            data_access=entry.data_access,
        )

    def _from_project(self, qualname: str, func: FunctionSummary, module: ModuleSummary) -> MethodInfo | None:
        """A project method through its decorators: None unless proven sync or async."""
        wrapper = self.decorator_effect(func, module)
        facts = self._method_facts(func, module)
        verdict = policy.method_is_sync(facts)
        if verdict is None:
            return None
        info = self._from_source(qualname, func, module)
        if verdict and func.returns is None:
            # Whether it hands back an awaitable is read from its body only when a
            # finding depends on it (``returns_unread``; see ``proven_sync``).
            info = replace(info, returns_unread=True)
        if not verdict and not info.is_async:
            info = replace(info, is_async=True)  # an ``async def`` wrapper
        if not wrapper.keeps_signature:
            info = replace(info, signature=None)
        return info

    def _installed_method(self, receiver: str, qualname: str, method: str) -> MethodInfo | None:
        """The method as the installed package's source defines it (read, never imported).

        A configured class name like ``CacheManager`` may belong to a library whose
        ``get`` is ``async def``; its source, when the running environment has it,
        outranks the configuration's assumption that the class is synchronous.
        The index reads installed packages itself (see ``ProjectIndex.module``).
        """
        summary = self.index.class_summary(qualname)
        if summary is None:
            return None
        for item in self.index.ancestors(summary):
            if isinstance(item, ClassSummary) and method in item.methods:
                return self._from_source(receiver, item.methods[method], item.module)
        return None

    def installed_sources(self) -> tuple[str, ...]:
        """Installed files (site-packages) the engine has read in this process: a check's
        result depends on them as on the project's own modules."""
        return self.index.installed_sources()

    def _configured_signature(self, qualname: str, method: str) -> Signature | None:
        for name, text in self.settings.method_signatures.items():
            owner, _, meth = name.rpartition(".")
            if meth == method and _matches(owner, qualname):
                return parse_signature_text(text)
        return None

    def _from_source(self, qualname: str, func: FunctionSummary, module: ModuleSummary) -> MethodInfo:
        returns = self.resolver.resolve(func.returns, module) if func.returns is not None else None
        return MethodInfo(
            cls=self.display(qualname),
            name=func.name,
            is_async=func.is_async,
            signature=func.signature,
            returns=returns,
            untyped_return=func.returns is None or is_untyped(returns),
            returns_awaitable=not func.is_async
            and (is_awaitable(returns) or (func.returns is not None and returns is None)),
        )

    @staticmethod
    def _dynamic(func: FunctionSummary) -> bool:
        return any(not d.endswith(_TRANSPARENT_DECORATORS) for d in func.decorators)

    def decorator_effect(self, func: FunctionSummary, module: ModuleSummary) -> Wrapper:
        """How ``func``'s decorators leave it, outermost deciding (see ``behaviour.decorator_wrapper``)."""
        effect: Wrapper = _AS_WRITTEN
        for name in func.decorators:
            found = self._decorator(name)
            if found.effect == "unknown":
                return found
            if found.effect != "none":
                effect = found if effect.effect == "none" else Wrapper(effect.effect, False)
            elif not found.keeps_signature:
                effect = Wrapper(effect.effect, False)
        return effect

    def _decorator(self, name: str) -> Wrapper:
        if name in self._wrappers:
            return self._wrappers[name]
        if name.endswith(_TRANSPARENT_DECORATORS):
            found = _AS_WRITTEN
        else:
            found = _UNKNOWN_WRAPPER
            symbol = self.index.function_symbol(self.index.canonical_name(name))
            if symbol is not None:
                func = symbol.summary
                node = self._bodies.function(symbol.module.path, func.name, func.line)
                if node is not None:
                    found = decorator_wrapper(node)
        self._wrappers[name] = found
        return found

    def _body(self, func: FunctionSummary, module: ModuleSummary) -> MethodBody | None:
        key = (str(module.path), func.qualname)
        if key in self._method_bodies:
            return self._method_bodies[key]
        node = self._bodies.function(module.path, func.name, func.line)
        body = None if node is None else method_body(node, module.qualify)
        self._method_bodies[key] = body
        return body

    def proven_sync(self, qualname: str, method: str) -> bool:
        """Whether a sync cache method known to :meth:`cache_method` cannot hand back an
        awaitable: an unannotated one must not ``return loop.run_in_executor(...)`` and the like."""
        info = self.cache_method(qualname, method)
        if info is None or info.is_async:
            return False
        if not info.returns_unread:
            return True
        found = self.method_summary(qualname, method)
        body = self._body(*found) if found is not None else None
        return body is not None and not body.may_return_awaitable

    def data_access(self, qualname: str, method: str, _depth: int = 0) -> bool:
        """Whether ``method`` of sync cache ``qualname`` reaches a store (CLT104's blocking I/O).

        Catalogued clients say so per method.  A project method does when its
        body does file, network or process I/O, calls a method of a catalogued
        client or of another cache held in ``self.x``, or calls such a method
        of ``self``.  Key builders and status getters do not.
        """
        info = self.cache_method(qualname, method)
        if info is None or _depth > 4:
            return False
        if info.data_access is not None:
            return info.data_access
        if method in self.settings.cache_methods and any(
            policy.matches_any(self.settings.sync_cache_classes, name) for name in self.cache_facts(qualname).mro
        ):
            return True  # a class configured as a sync cache: its cache methods are its store
        found = self.method_summary(qualname, method)
        if found is None:
            return False
        body = self._body(*found)
        if body is None:
            return False
        if body.io:
            return True
        if any(self.data_access(qualname, called, _depth + 1) for called in body.self_calls if called != method):
            return True
        for attribute, called in body.attr_calls:
            ty = without_none(self.attribute_type(qualname, attribute))
            if not isinstance(ty, Inst):
                continue
            if policy.is_io_method(ty.qualname, called):
                return True
            if self.cache_kind(ty.qualname) == "sync" and self.data_access(ty.qualname, called, _depth + 1):
                return True
        return False

    # -- models --------------------------------------------------------------

    def class_facts(self, qualname: str) -> policy.ClassFacts:
        """The class as :mod:`cachelint.policy` judges it: its MRO and class decorators."""
        ancestry = self._ancestry(qualname)
        mro = tuple(item.qualname if isinstance(item, ClassSummary) else item for item in ancestry)
        decorators = tuple(d for item in ancestry if isinstance(item, ClassSummary) for d in item.decorators)
        return policy.ClassFacts(qualname, (qualname, *mro[1:]), decorators=decorators)

    def is_model(self, qualname: str) -> bool:
        """True for Pydantic models (see :func:`cachelint.policy.is_model`)."""
        self._fresh()
        if qualname in self._models:
            return self._models[qualname]
        result = policy.is_model(self.class_facts(qualname), self.settings.extra_model_bases)
        self._models[qualname] = result
        return result

    def model_lacks(self, qualname: str, attribute: str) -> bool:
        """True when the model certainly has no ``attribute`` (no class along its MRO whose
        source is known defines it, and every other base is a plain model base)."""
        bases = policy.DEFAULT_MODEL_BASES
        extra = self.settings.extra_model_bases
        for item in self._ancestry(qualname):
            if isinstance(item, ClassSummary):
                if attribute in item.methods or attribute in item.fields or "__getattr__" in item.methods:
                    return False
            elif (
                item not in bases
                and not policy.matches_any(extra, item)
                and item not in ("builtins.object", "typing.Generic")
            ):
                return False
        return True

    # -- generics ------------------------------------------------------------

    def _namespace(self, cls: ClassSummary) -> Namespace:
        """Where the class's annotations are written: its module, plus PEP 695 parameters."""
        if not cls.type_params:
            return cls.module
        return ClassNamespace(cls.module, {name: TypeVarT(f"{cls.qualname}.{name}") for name in cls.type_params})

    def _class_bases(self, cls: ClassSummary) -> tuple[tuple[str, tuple[Ty, ...]], ...]:
        """Each base's qualified name with its type arguments (``Repository[User]``)."""
        found = self._bases.get(cls.qualname)
        if found is not None:
            return found
        namespace = self._namespace(cls)
        out: list[tuple[str, tuple[Ty, ...]]] = []
        for base in cls.bases:
            target = base.value if isinstance(base, ast.Subscript) else base
            name = cls.module.qualify(target)
            if name is None:
                continue
            name = self.index.canonical_name(name)
            args: tuple[Ty, ...] = ()
            if isinstance(base, ast.Subscript):
                resolved = self.resolver.resolve(base, namespace)
                if isinstance(resolved, Inst):
                    args = resolved.args
            out.append((name, args))
        found = tuple(out)
        self._bases[cls.qualname] = found
        return found

    def type_params(self, cls: ClassSummary) -> tuple[TypeVarT, ...]:
        """The class's type parameters, in order: PEP 695 ``class C[T]``, ``Generic[T, U]``
        (or ``Protocol[T]``), else the type variables of its bases in order of appearance."""
        found = self._params.get(cls.qualname)
        if found is not None:
            return found
        if cls.type_params:
            found = tuple(TypeVarT(f"{cls.qualname}.{name}") for name in cls.type_params)
        else:
            bases = self._class_bases(cls)
            explicit = [args for name, args in bases if name in _GENERIC_BASES and args]
            collected: list[TypeVarT] = []
            for args in explicit[:1] or [args for _, args in bases]:
                for arg in args:
                    type_vars(arg, collected)
            found = tuple(collected)
        self._params[cls.qualname] = found
        return found

    def _bind(self, cls: ClassSummary, args: tuple[Ty, ...]) -> TypeArgs:
        params = self.type_params(cls)
        if not params or not args:
            return {}  # a bare generic: its type variables stay unbound (unknown)
        if len(args) != len(params):
            return {param.qualname: ANY for param in params}
        return {param.qualname: arg for param, arg in zip(params, args, strict=True)}

    def typed_ancestry(self, qualname: str, args: tuple[Ty, ...] = ()) -> list[tuple[ClassSummary | str, TypeArgs]]:
        """:meth:`ProjectIndex.ancestors` with each class's type parameters bound.

        ``class UserRepo(Repository[User])`` binds ``Repository``'s ``T`` to
        ``User``; ``Page[Item]`` binds ``Page``'s own parameter to ``Item``.
        """
        self._fresh()
        key = (qualname, args)
        found = self._typed.get(key)
        if found is None:
            found = self._typed[key] = self._typed_ancestry(qualname, args)
        return found

    def _typed_ancestry(self, qualname: str, args: tuple[Ty, ...]) -> list[tuple[ClassSummary | str, TypeArgs]]:
        summary = self.index.class_summary(qualname)
        if summary is None:
            return [(qualname, {})]
        out: list[tuple[ClassSummary | str, TypeArgs]] = []
        seen: set[str] = set()
        stack: list[tuple[ClassSummary | str, TypeArgs, int]] = [(summary, self._bind(summary, args), 0)]
        while stack:
            item, binding, depth = stack.pop()
            key = item.qualname if isinstance(item, ClassSummary) else item
            if key in seen or depth > 16:
                continue
            seen.add(key)
            out.append((item, binding))
            if isinstance(item, str):
                continue
            pending: list[tuple[ClassSummary | str, TypeArgs, int]] = []
            for name, base_args in self._class_bases(item):
                base = self.index.class_summary(name)
                if base is None:
                    pending.append((name, {}, depth + 1))
                    continue
                bound = tuple(substitute(arg, binding) or ANY for arg in base_args)
                pending.append((base, self._bind(base, bound), depth + 1))
            stack.extend(reversed(pending))  # depth-first in base order, as ``ancestors``
        return out

    def constructor_args(
        self, qualname: str, call: ast.Call, argument_type: Callable[[ast.expr], Ty | None]
    ) -> tuple[Ty, ...]:
        """The type arguments a constructor call of generic class ``qualname`` fixes, as mypy
        infers them: a parameter of ``__init__`` annotated ``type[T]`` takes the class its
        argument names (``Repository(User)``: ``T`` is ``User``), one annotated ``T`` its
        argument's type.  A parameter nothing fixes is ``Any``; when none is fixed, or the
        call spreads ``*args``/``**kwargs``, the answer is ``()``: a bare generic, unknown.
        ``argument_type`` gives the type of an argument expression where the call is written.
        """
        if any(isinstance(arg, ast.Starred) for arg in call.args) or any(kw.arg is None for kw in call.keywords):
            return ()
        summary = self.index.class_summary(qualname)
        params = self.type_params(summary) if summary is not None else ()
        if not params:
            return ()
        found_init = self._init_of(qualname, params)
        if found_init is None:
            return ()
        init, item, binding = found_init
        wanted = {param.qualname for param in params}
        fixed: dict[str, Ty] = {}
        signature = init.signature
        namespace = self._namespace(item)
        arguments: list[tuple[int | None, str | None, ast.expr]] = [
            (position, None, arg) for position, arg in enumerate(call.args)
        ]
        arguments += [(None, kw.arg, kw.value) for kw in call.keywords]
        for position, keyword, arg in arguments:
            param = signature.param_for(position, keyword)
            if param is None or param.annotation is None:
                continue
            annotation, wants_class = param.annotation, False
            if isinstance(annotation, ast.Subscript) and isinstance(annotation.value, (ast.Name, ast.Attribute)):
                base = namespace.qualify(annotation.value)
                if base is not None and canonical(self.index.canonical_name(base)) == "builtins.type":
                    annotation, wants_class = annotation.slice, True
            var = substitute(self.resolver.resolve(annotation, namespace), binding)
            if not isinstance(var, TypeVarT) or var.qualname not in wanted or var.qualname in fixed:
                continue
            found = argument_type(arg)
            if wants_class:
                found = Inst(found.qualname) if isinstance(found, ClassRef) else None
            if found is not None and not isinstance(found, Untyped):
                fixed[var.qualname] = found
        if not fixed:
            return ()
        return tuple(fixed.get(param.qualname, ANY) for param in params)

    def _init_of(
        self, qualname: str, params: tuple[TypeVarT, ...]
    ) -> tuple[FunctionSummary, ClassSummary, TypeArgs] | None:
        """The ``__init__`` a generic class's instances run, with the class that defines it and
        that class's type parameters bound to ``qualname``'s own; None when it is not readable."""
        for item, binding in self.typed_ancestry(qualname, params):
            if not isinstance(item, ClassSummary):
                return None
            init = item.methods.get("__init__")
            if init is not None:
                return init, item, binding
        return None

    def _member_type(self, annotation: ast.expr, cls: ClassSummary, binding: TypeArgs) -> Ty | None:
        return substitute(self.resolver.resolve(annotation, self._namespace(cls)), binding)

    # -- attributes ----------------------------------------------------------

    def attribute_type(self, qualname: str, attribute: str, args: tuple[Ty, ...] = ()) -> Ty | None:
        """The declared type of ``instance.attribute`` for a class whose source is known,
        with the instance's type arguments ``args`` substituted."""
        for item, binding in self.typed_ancestry(qualname, args):
            if not isinstance(item, ClassSummary):
                return None
            if attribute in item.fields:
                return self._member_type(item.fields[attribute], item, binding)
            if attribute in item.instance_attrs:
                declared = item.instance_attrs[attribute]
                if declared.kind is DeclarationKind.ANNOTATED:
                    return self._member_type(declared.expr, item, binding)
                return substitute(self.module_value_type(declared.expr, self._namespace(item)), binding)
            func = item.methods.get(attribute)
            if func is not None:
                if func.is_property and func.returns is not None:
                    binding = {**binding, SELF.qualname: Inst(qualname, args)}
                    return self._member_type(func.returns, item, binding)
                return None
        return None

    def method_return(self, receiver: Inst, method: str) -> Ty | None:
        """What calling ``receiver.method(...)`` returns, by the method's return annotation
        (type arguments and ``Self`` substituted; an ``async def`` gives a coroutine).

        Also answers for a class object's classmethods (``M.from_row(...)``): pass
        the class as the receiver instance.
        """
        index = STDLIB_GENERIC_RETURNS.get((receiver.qualname, method))
        if index is not None:
            return receiver.args[index] if len(receiver.args) > index else None
        if receiver.qualname in TYPE_ADAPTERS and method in ADAPTER_METHODS:
            return receiver.args[0] if receiver.args else None
        for item, binding in self.typed_ancestry(receiver.qualname, receiver.args):
            if not isinstance(item, ClassSummary):
                return None
            func = item.methods.get(method)
            if func is None:
                continue
            if func.returns is None:
                return None
            result = self._member_type(func.returns, item, {**binding, SELF.qualname: receiver})
            if result is not None and func.is_async:
                return Inst(COROUTINE, (ANY, ANY, result))
            return result
        return None

    def method_summary(self, qualname: str, method: str) -> tuple[FunctionSummary, ModuleSummary] | None:
        for item in self._ancestry(qualname):
            if not isinstance(item, ClassSummary):
                return None
            func = item.methods.get(method)
            if func is not None:
                return func, item.module
        return None

    def function_return(self, func: FunctionSummary, module: ModuleSummary) -> Ty | None:
        """What calling a module-level function returns (a coroutine for ``async def``)."""
        if func.returns is None:
            return None
        result = self.resolver.resolve(func.returns, module)
        if result is not None and func.is_async:
            return Inst(COROUTINE, (ANY, ANY, result))
        return result

    def module_value_type(self, expr: ast.expr, module: Namespace, depth: int = 0) -> Ty | None:
        """Type of a module-level or ``self.x = ...`` value, as a summary keeps it.

        Read: constructor calls (``Repo[M](...)`` with its type arguments),
        ``TypeAdapter(T)``, ``cast(T, x)``, calls of functions whose return is
        annotated (``self.cache = get_cache()``), a parameter's annotation, and
        ``a or b`` / ``a if c else b`` as the join of their sides.
        """
        if depth > 8:
            return None
        if isinstance(expr, Declared):
            return self.resolver.resolve(expr.annotation, module)
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or) and expr.values:
            sides = [self.module_value_type(value, module, depth + 1) for value in expr.values]
            return join([*(without_none(side) for side in sides[:-1]), sides[-1]])
        if isinstance(expr, ast.IfExp):
            return join(
                [
                    self.module_value_type(expr.body, module, depth + 1),
                    self.module_value_type(expr.orelse, module, depth + 1),
                ]
            )
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        if isinstance(func, ast.Subscript):
            generic = self.resolver.resolve(func, module)
            return generic if isinstance(generic, Inst) and self._is_class(generic.qualname) else None
        if not isinstance(func, (ast.Name, ast.Attribute)):
            return None
        name = module.qualify(func)
        if name is None:
            return None
        name = self.index.canonical_name(name)
        if name in policy.CAST_CALLS:
            return self.resolver.resolve(expr.args[0], module) if expr.args else None
        if name in TYPE_ADAPTERS:
            inner = self.resolver.resolve(expr.args[0], module) if expr.args else None
            return Inst(name, (inner,)) if inner is not None else Inst(name)
        if name in catalogue.FACTORIES:  # redis.Redis.from_url(...), dogpile's make_region()
            return Inst(catalogue.FACTORIES[name])
        symbol = self.index.lookup(name)
        if symbol is None:
            owner, _, attr = name.rpartition(".")
            if owner and self.index.class_summary(owner) is not None:  # Settings.create(): a classmethod
                return self.method_return(Inst(owner), attr)
        if symbol is None or isinstance(symbol, ClassSymbol):
            return Inst(name)
        if isinstance(symbol, FunctionSymbol):
            return self.function_return(symbol.summary, symbol.module)
        return None

    def _is_class(self, qualname: str) -> bool:
        """A class the engine may instantiate: one whose source says so, or one it cannot see."""
        symbol = self.index.lookup(qualname)
        return symbol is None or isinstance(symbol, ClassSymbol)

    def init_params(self, qualname: str) -> list[InitParam] | None:
        """Parameters of the class's constructor with their annotations, if the source says."""
        ancestry = self._ancestry(qualname)
        for item in ancestry:
            if not isinstance(item, ClassSummary):
                break
            init = item.methods.get("__init__")
            if init is not None:
                return self._params_of(init.signature, item.module)
        generated = self.is_model(qualname) or any(
            isinstance(item, ClassSummary) and any(d.endswith(_DATACLASS_DECORATORS) for d in item.decorators)
            for item in ancestry
        )
        if not generated:
            return None
        params: list[InitParam] = []
        seen: set[str] = set()
        kw_only = self.is_model(qualname)
        for item in reversed([i for i in ancestry if isinstance(i, ClassSummary)]):
            for name, annotation in item.fields.items():
                if name in item.non_init_fields or name in seen:
                    continue
                seen.add(name)
                position = None if kw_only else len(params)
                params.append(InitParam(name, position, annotation, item.module))
        return params

    def function_params(self, func: FunctionSummary, module: ModuleSummary) -> list[InitParam]:
        return self._params_of(func.signature, module)

    @staticmethod
    def _params_of(signature: Signature, module: ModuleSummary) -> list[InitParam]:
        out: list[InitParam] = []
        positional = signature.positional_params()
        for param in signature.params:
            position = positional.index(param) if param in positional else None
            out.append(InitParam(param.name, position, param.annotation, module))
        return out

    def sync_cache_of(self, ty: Ty | None) -> str | None:
        """The qualified class name when ``ty`` is an instance of a sync cache class."""
        if isinstance(ty, Inst) and self.cache_kind(ty.qualname) == "sync":
            return ty.qualname
        return None

    def cache_named(self, name: str) -> str | None:
        """The configured sync cache class a receiver of unknown type is taken for, by its
        name: only when the user opted in with ``receiver-name-patterns``."""
        settings = self.settings
        patterns = settings.receiver_name_patterns
        if patterns and settings.sync_cache_classes and any(fnmatchcase(name, pattern) for pattern in patterns):
            return settings.sync_cache_classes[0]
        return None

    def class_of(self, ty: Ty | None) -> str | None:
        if isinstance(ty, Inst):
            return ty.qualname
        if isinstance(ty, ClassRef):
            return ty.qualname
        return None


__all__ = ["Knowledge", "MethodInfo", "InitParam", "Param"]
