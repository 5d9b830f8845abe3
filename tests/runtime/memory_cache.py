"""A real in-memory synchronous cache shaped like the research app's ``CacheManager``.

``get(cache_type, content_key)``, ``set(cache_type, content_key, value,
ttl_override=None)`` and ``delete(cache_type, content_key)``, with a maximum
size (least recently used entries evicted first) and TTLs measured by an
injectable clock. Like the original it stores values as given (no copying),
which is what lets legacy code put raw model objects into it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class CacheManager:
    """Synchronous LRU + TTL cache keyed by ``(cache_type, content_key)``."""

    def __init__(
        self,
        max_size: int = 1000,
        default_ttl: float | None = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_size = max_size
        self.default_ttl = default_ttl
        self._clock = clock
        self._entries: OrderedDict[tuple[str, str], tuple[Any, float | None]] = (
            OrderedDict()
        )

    def get(self, cache_type: str, content_key: str) -> Any:
        entry_key = (cache_type, content_key)
        entry = self._entries.get(entry_key)
        if entry is None:
            return None
        value, expires_at = entry
        if expires_at is not None and self._clock() >= expires_at:
            del self._entries[entry_key]
            return None
        self._entries.move_to_end(entry_key)
        return value

    def set(
        self,
        cache_type: str,
        content_key: str,
        value: Any,
        ttl_override: float | None = None,
    ) -> None:
        ttl = self.default_ttl if ttl_override is None else ttl_override
        entry_key = (cache_type, content_key)
        self._entries[entry_key] = (value, None if ttl is None else self._clock() + ttl)
        self._entries.move_to_end(entry_key)
        while len(self._entries) > self.max_size:
            self._entries.popitem(last=False)

    def delete(self, cache_type: str, content_key: str) -> bool:
        return self._entries.pop((cache_type, content_key), None) is not None

    def raw(self, cache_type: str, content_key: str) -> Any:
        """The stored value without touching recency or expiry (for assertions)."""
        entry = self._entries.get((cache_type, content_key))
        return None if entry is None else entry[0]

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)
