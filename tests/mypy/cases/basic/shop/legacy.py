"""Another class named CacheManager (a bare configured name matches it too)."""

from __future__ import annotations

from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str, /) -> Any:
        return None

    def __delitem__(self, key: str, retry: bool = True) -> None:
        pass

    def batch(self, size: int) -> CacheManager:
        return self

    def __enter__(self) -> CacheManager:
        return self

    def __exit__(self, *exc: object) -> None:
        pass
