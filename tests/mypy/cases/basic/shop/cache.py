"""The sync cache of the case project, plus subclasses and look-alikes."""

from __future__ import annotations

from typing import Any, Awaitable, Union


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any, ttl_override: int | None = None) -> None:
        pass

    def delete(self, cache_type: str, content_key: str) -> None:
        pass

    def stats(self) -> dict[str, int]:
        return {}


class LayeredCache(CacheManager):
    """Inherits every method: still a sync cache."""


class AsyncLayeredCache(CacheManager):
    """Overrides get as a coroutine: its get is async, its set still sync."""

    async def get(self, cache_type: str, content_key: str) -> Any:
        return None


ResponseT = Union[Awaitable[Any], Any]


class DualModeCache(CacheManager):
    """redis-py style: one plain def whose result may be awaitable."""

    def get(self, cache_type: str, content_key: str) -> ResponseT:
        return None


class TypedCache(CacheManager):
    """A get with a declared, precise return: not an untyped retrieval."""

    def get(self, cache_type: str, content_key: str) -> bytes | None:
        return None
