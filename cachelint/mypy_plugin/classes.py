"""What mypy's resolved classes are to cachelint: sync caches, async caches, Pydantic models.

A class is a cache when it, or a class in its MRO, matches a
``sync-cache-classes`` / ``async-cache-classes`` entry: a bare name matches a
class of that name in any module, a dotted name matches the fully qualified
name or a dotted suffix of it.  The MRO is walked nearest first and, at each
class, an async entry is tried before a sync one, exactly as the ``ast``
engine does, so both engines agree on which classes are caches.

Whether a *method* is synchronous comes from its definition as mypy sees it
(``FuncDef.is_coroutine``, through decorators and overloads): a subclass that
overrides ``get`` with ``async def`` has an async ``get``.
"""

from __future__ import annotations

from typing import Literal

from mypy.nodes import Decorator, FuncDef, OverloadedFuncDef, TypeInfo
from mypy.types import NoneType, ProperType, Type, UnionType, get_proper_type

from cachelint.config import Settings

CacheKind = Literal["sync", "async"]


def matches(entry: str, fullname: str) -> bool:
    """Whether a configured class name (bare or dotted) names the class ``fullname``."""
    if "." in entry:
        return fullname == entry or fullname.endswith("." + entry)
    return fullname.rpartition(".")[2] == entry


class ClassOracle:
    """Answers, memoised per class, the questions the hooks ask about a :class:`TypeInfo`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._kinds: dict[str, CacheKind | None] = {}
        self._models: dict[str, bool] = {}

    def cache_kind(self, info: TypeInfo) -> CacheKind | None:
        """``"sync"``/``"async"`` for a configured cache class or subclass, else None."""
        fullname = info.fullname
        if fullname in self._kinds:
            return self._kinds[fullname]
        kind: CacheKind | None = None
        for base in info.mro:
            if any(matches(entry, base.fullname) for entry in self.settings.async_cache_classes):
                kind = "async"
                break
            if any(matches(entry, base.fullname) for entry in self.settings.sync_cache_classes):
                kind = "sync"
                break
        self._kinds[fullname] = kind
        return kind

    def is_model(self, info: TypeInfo) -> bool:
        """Whether ``info`` is a Pydantic model (or derives from a configured model base)."""
        fullname = info.fullname
        found = self._models.get(fullname)
        if found is None:
            bases = self.settings.model_bases
            extra = self.settings.extra_model_bases
            found = any(
                base.fullname in bases or any(matches(entry, base.fullname) for entry in extra) for base in info.mro
            )
            self._models[fullname] = found
        return found


def is_sync_method(info: TypeInfo, name: str) -> bool | None:
    """True for a plain ``def`` method ``name`` of ``info`` (found along the MRO), False for
    ``async def``, None when ``name`` is not a method (an attribute, or not defined)."""
    symbol = info.get(name)
    node = symbol.node if symbol is not None else None
    if isinstance(node, FuncDef):
        return not node.is_coroutine
    if isinstance(node, Decorator):
        return not node.func.is_coroutine
    if isinstance(node, OverloadedFuncDef):
        items = [item.func if isinstance(item, Decorator) else item for item in node.items]
        if node.impl is not None:
            impl = node.impl.func if isinstance(node.impl, Decorator) else node.impl
            items.append(impl)
        if not items:
            return None
        return not any(item.is_coroutine for item in items if isinstance(item, FuncDef))
    return None


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
