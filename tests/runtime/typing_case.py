"""Type-checked by test_runtime_typing.py (mypy --strict); not imported at runtime by the tests."""

from __future__ import annotations

from pydantic import BaseModel, TypeAdapter
from typing_extensions import reveal_type

from cachelint.runtime import AsyncCacheManager, CacheKey, SyncCache, as_async


class PatternAnalysis(BaseModel):
    pattern: str
    confidence: float


class CacheManager:
    """The research app's sync cache, as it is declared there."""

    def get(self, cache_type: str, content_key: str) -> object:
        return None

    def set(
        self,
        cache_type: str,
        content_key: str,
        value: object,
        ttl_override: int | None = None,
    ) -> None:
        return None

    def delete(self, cache_type: str, content_key: str) -> None:
        return None


async def compute_one() -> PatternAnalysis:
    return PatternAnalysis(pattern="p", confidence=1.0)


def compute_many() -> list[PatternAnalysis]:
    return []


async def use(sync_cache: CacheManager, maybe: CacheManager | None) -> None:
    protocol_view: SyncCache = sync_cache
    cache = AsyncCacheManager(protocol_view)
    key = CacheKey.for_content("analyze_patterns", ["chunk"])
    many = await cache.get_list(key, PatternAnalysis)
    reveal_type(many)  # R: list-of-model-or-none
    one = await cache.get_model(key, PatternAnalysis)
    reveal_type(one)  # R: model-or-none
    computed = await cache.get_or_compute(key, PatternAnalysis, compute_one)
    reveal_type(computed)  # R: model
    adapter = TypeAdapter(list[PatternAnalysis])
    computed_many = await cache.get_or_compute(key, adapter, compute_many)
    reveal_type(computed_many)  # R: list-of-model
    reveal_type(as_async(sync_cache))  # R: manager
    reveal_type(as_async(maybe))  # R: manager-or-none
    reveal_type(as_async(None))  # R: none
    await cache.set_list(key, [PatternAnalysis(pattern="p", confidence=1.0)])
    await cache.set_model(key, PatternAnalysis(pattern="p", confidence=0.5), ttl=60)
