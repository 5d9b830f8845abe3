"""The typed async API (cachelint.runtime) is the fix: nothing to report."""

from __future__ import annotations

from cachelint.runtime import AsyncCacheManager, CacheKey, as_async

from shop.cache import CacheManager
from shop.models import Pattern


async def fixed(cache: CacheManager, content: str) -> list[Pattern]:
    manager = as_async(cache)
    key = CacheKey.for_content("patterns", content)
    cached = await manager.get_list(key, Pattern)
    if cached is not None:
        return cached
    patterns = [Pattern(kind="trend")]
    await manager.set_list(key, patterns)
    one = await AsyncCacheManager(cache).get_model(key, Pattern)
    reveal_type(one)  # N: Revealed type is "shop.models.Pattern | None"
    return patterns
