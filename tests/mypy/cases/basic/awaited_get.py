"""The seed incident in one function: awaited one-argument get, unvalidated result."""

from __future__ import annotations

from shop.deps import Deps
from shop.models import Pattern


async def analyze(deps: Deps, key: str) -> list[Pattern]:
    if deps.cache_manager:
        cached_result = await deps.cache_manager.get(key)  # E: `await` on synchronous CacheManager.get() called on 'deps.cache_manager'; wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, or drop the `await`  [cachelint-await-sync]  # E: 'deps.cache_manager.get(key)' does not match CacheManager.get(cache_type, content_key): missing required argument 'content_key'; pass the arguments the method declares  [cachelint-cache-signature]  # E: Missing positional argument "content_key" in call to "get" of "CacheManager"  [call-arg]
        reveal_type(cached_result)  # N: Revealed type is "object"
        if cached_result:
            return cached_result  # E: 'cached_result' comes from CacheManager.get() (untyped) and is returned without validation; validate it with TypeAdapter(list[Pattern]).validate_python(...) or use AsyncCacheManager.get_model/get_list  [cachelint-untyped-retrieval]  # E: Incompatible return value type (got "object", expected "list[Pattern]")  [return-value]
    return []


async def silenced(deps: Deps) -> None:
    if deps.cache_manager:
        await deps.cache_manager.delete("patterns", "k")  # type: ignore[cachelint-await-sync]
