"""CLT101: awaiting a synchronous cache method, found through mypy's types."""

from __future__ import annotations

from typing import Any, TypeVar

from shop.cache import AsyncLayeredCache, CacheManager, DualModeCache, LayeredCache
from shop.deps import Deps

C = TypeVar("C", bound=CacheManager)


async def narrowed_optional(deps: Deps) -> None:
    if deps.cache_manager:
        await deps.cache_manager.set("patterns", "k", [1])  # E: `await` on synchronous CacheManager.set() called on 'deps.cache_manager'; wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, or drop the `await`  [cachelint-await-sync]
        await deps.cache_manager.delete("patterns", "k")  # E: `await` on synchronous CacheManager.delete() called on 'deps.cache_manager'; ...


async def inherited(cache: LayeredCache) -> None:
    await cache.set("patterns", "k", 1)  # E: `await` on synchronous LayeredCache.set() called on 'cache'; ...


async def bound_typevar(cache: C) -> C:
    # mypy calls no method hook on a type variable: only its own generic error.
    await cache.delete("patterns", "k")  # E: Incompatible types in "await" (actual type "None", expected type "Awaitable[Any]")  [misc]
    return cache


async def any_method_of_the_class(cache: CacheManager) -> dict[str, int]:
    return await cache.stats()  # E: `await` on synchronous CacheManager.stats() called on 'cache'; ...


async def not_awaited(cache: CacheManager) -> None:
    cache.set("patterns", "k", 1)  # CLT104 is off by default


async def async_override(cache: AsyncLayeredCache) -> Any:
    return await cache.get("patterns", "k")


async def maybe_awaitable(cache: DualModeCache) -> Any:
    return await cache.get("patterns", "k")


async def plain_dict(store: dict[str, int]) -> int | None:
    return store.get("k")
