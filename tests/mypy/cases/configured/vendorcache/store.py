from __future__ import annotations

from typing import Any, Awaitable, Protocol


class Store:
    def get(self, key: str) -> Any:
        return None

    def put(self, key: str, value: object) -> None:
        pass


class AsyncStore(Store):
    """Configured async: its methods hand back awaitables at run time."""

    def fetch(self, key: str) -> Awaitable[Any]:
        raise NotImplementedError


class CacheLike(Protocol):
    def get(self, cache_type: str, content_key: str) -> Any: ...

    def set(self, cache_type: str, content_key: str, value: object) -> None: ...
