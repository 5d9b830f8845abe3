"""The shape of a synchronous cache that ``AsyncCacheManager`` can wrap.

Any object with ``get(cache_type, content_key)`` and
``set(cache_type, content_key, value, ...)`` qualifies; parameters are passed
positionally, so their names do not matter. ``delete(cache_type, content_key)``
is optional: when present it is used to evict entries that cannot be read back.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["SupportsDelete", "SyncCache"]


@runtime_checkable
class SyncCache(Protocol):
    """A synchronous two-part-key cache (e.g. the research app's ``CacheManager``)."""

    def get(self, cache_type: str, content_key: str, /) -> object:
        """The stored value, or ``None`` when absent."""

    def set(self, cache_type: str, content_key: str, value: object, /) -> object:
        """Store *value*; extra keyword options such as a TTL may follow."""


@runtime_checkable
class SupportsDelete(Protocol):
    """A sync cache that can evict one entry."""

    def delete(self, cache_type: str, content_key: str, /) -> object:
        """Remove the entry if present."""
