"""With strict-retrievals off and cachelint-await-sync disabled."""

from __future__ import annotations

from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def delete(self, cache_type: str, content_key: str) -> None:
        pass


async def awaited(cache: CacheManager) -> None:
    await cache.delete("patterns", "k")  # E: Incompatible types in "await" (actual type "None", expected type "Awaitable[Any]")  [misc]  # E: "delete" of "CacheManager" does not return a value (it only ever returns None)  [func-returns-value]


def not_strict(cache: CacheManager) -> list[int]:
    cached = cache.get("patterns", "k")
    reveal_type(cached)  # N: Revealed type is "Any"
    return cached  # E: Returning Any from function declared to return "list[int]"  [no-any-return]


def unannotated(cache):  # E: Function is missing a type annotation  [no-untyped-def]
    # mypy checks no unannotated body (no check_untyped_defs): nothing to report.
    return cache.get("patterns")
