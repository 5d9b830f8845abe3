"""What the engine knows about classes: caches (sync or async), their methods, models.

Answers come from the class's source through the :class:`ProjectIndex` when
the project has it, else from the configuration (``sync-cache-classes``,
``async-cache-classes``, ``cache-methods``, ``method-signatures``).  Nothing
is guessed from names unless the user opted in with
``receiver-name-patterns``.
"""

from __future__ import annotations

import ast
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cachelint.analysis.index import ClassSummary, FunctionSummary, ModuleSummary, ProjectIndex
from cachelint.analysis.signature import Param, Signature, parse_signature_text
from cachelint.analysis.types import (
    AnnotationResolver,
    ClassRef,
    Inst,
    Ty,
    is_awaitable,
    is_untyped,
)
from cachelint.config import Settings

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
_TRANSPARENT_DECORATORS = ("abstractmethod", "override", "final")


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


class Knowledge:
    """Class-level facts, memoised per process for one configuration."""

    def __init__(self, index: ProjectIndex, settings: Settings, *, installed: bool = False) -> None:
        self.index = index
        # Facts about installed (third-party) packages, looked up only for configured
        # cache classes the project does not define; None until first needed.
        self._installed: Knowledge | None = self if installed else None
        self.settings = settings
        self.resolver = AnnotationResolver(index)
        self._kinds: dict[str, CacheKind | None] = {}
        self._methods: dict[tuple[str, str], MethodInfo | None] = {}
        self._models: dict[str, bool] = {}
        self._generation = index.generation

    def close(self) -> None:
        """Forget everything, breaking reference cycles (see ``engine.knowledge_for``)."""
        self.index.close()
        self._kinds.clear()
        self._methods.clear()
        self._models.clear()
        installed, self._installed = self._installed, None
        if installed is not None and installed is not self:
            installed.close()

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
            self._kinds.clear()
            self._methods.clear()
            self._models.clear()

    def cache_kind(self, qualname: str) -> CacheKind | None:
        """``"sync"``/``"async"`` for a configured cache class or subclass, else None."""
        self._fresh()
        if qualname in self._kinds:
            return self._kinds[qualname]
        kind: CacheKind | None = None
        for item in self._ancestry(qualname):
            name = item.qualname if isinstance(item, ClassSummary) else item
            if any(_matches(entry, name) for entry in self.settings.async_cache_classes):
                kind = "async"
                break
            if any(_matches(entry, name) for entry in self.settings.sync_cache_classes):
                kind = "sync"
                break
        self._kinds[qualname] = kind
        return kind

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
            if isinstance(item, ClassSummary):
                func = item.methods.get(method)
                if func is None:
                    continue
                if self._dynamic(func):
                    # A decorator may change sync-ness and signature (to_async, caching
                    # wrappers, functools.wraps): the engine does not know, so it is silent.
                    return None
                return self._from_source(qualname, func, item.module)
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

    def _installed_method(self, receiver: str, qualname: str, method: str) -> MethodInfo | None:
        """The method as the installed package's source defines it (read, never imported).

        A configured class name like ``CacheManager`` may belong to a library whose
        ``get`` is ``async def``; its source, when the running environment has it,
        outranks the configuration's assumption that the class is synchronous.
        """
        if self._installed is None:
            roots = tuple(
                Path(entry)
                for entry in sys.path
                if entry and os.path.isdir(entry) and ("site-packages" in entry or "dist-packages" in entry)
            )
            self._installed = Knowledge(ProjectIndex(roots), self.settings, installed=True)
        external = self._installed
        summary = external.index.class_summary(qualname)
        if summary is None:
            return None
        for item in external.index.ancestors(summary):
            if isinstance(item, ClassSummary) and method in item.methods:
                func = item.methods[method]
                if external._dynamic(func):
                    return None
                return external._from_source(receiver, func, item.module)
        return None

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

    # -- models --------------------------------------------------------------

    def is_model(self, qualname: str) -> bool:
        """True for Pydantic models (subclasses of a configured model base)."""
        self._fresh()
        if qualname in self._models:
            return self._models[qualname]
        bases = self.settings.model_bases
        result = qualname not in bases and any(
            (item.qualname if isinstance(item, ClassSummary) else item) in bases for item in self._ancestry(qualname)
        )
        self._models[qualname] = result
        return result

    def model_lacks(self, qualname: str, attribute: str) -> bool:
        """True when the model certainly has no ``attribute`` (no project class defines it,
        and every base outside the project is a plain model base)."""
        bases = self.settings.model_bases
        for item in self._ancestry(qualname):
            if isinstance(item, ClassSummary):
                if attribute in item.methods or attribute in item.fields or "__getattr__" in item.methods:
                    return False
            elif item not in bases and item not in ("builtins.object", "typing.Generic"):
                return False
        return True

    # -- attributes ----------------------------------------------------------

    def attribute_type(self, qualname: str, attribute: str) -> Ty | None:
        """The declared type of ``instance.attribute`` for a project class."""
        for item in self._ancestry(qualname):
            if not isinstance(item, ClassSummary):
                return None
            if attribute in item.fields:
                return self.resolver.resolve(item.fields[attribute], item.module)
            if attribute in item.instance_attrs:
                kind, expr = item.instance_attrs[attribute]
                if kind == "ann":
                    return self.resolver.resolve(expr, item.module)
                return self.module_value_type(expr, item.module)
            func = item.methods.get(attribute)
            if func is not None:
                if func.is_property and func.returns is not None:
                    return self.resolver.resolve(func.returns, item.module)
                return None
        return None

    def method_summary(self, qualname: str, method: str) -> tuple[FunctionSummary, ModuleSummary] | None:
        for item in self._ancestry(qualname):
            if not isinstance(item, ClassSummary):
                return None
            func = item.methods.get(method)
            if func is not None:
                return func, item.module
        return None

    def module_value_type(self, expr: ast.expr, module: ModuleSummary) -> Ty | None:
        """Type of a module-level or ``self.x = ...`` value: only constructor calls are read."""
        if isinstance(expr, ast.Call) and isinstance(expr.func, (ast.Name, ast.Attribute)):
            name = module.qualify(expr.func)
            if name is None:
                return None
            name = self.index.canonical_name(name)
            symbol = self.index.lookup(name)
            if symbol is None or symbol[0] == "class":
                return Inst(name)
        return None

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

    def class_of(self, ty: Ty | None) -> str | None:
        if isinstance(ty, Inst):
            return ty.qualname
        if isinstance(ty, ClassRef):
            return ty.qualname
        return None


__all__ = ["Knowledge", "MethodInfo", "InitParam", "Param"]
