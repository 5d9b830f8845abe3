"""Thousands of concurrent tasks: nothing lost, no exception, the sync cache never entered twice at once."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from runtime_support import InstrumentedCache, PatternAnalysis, run

from cachelint.runtime import AsyncCacheManager, CacheKey

TASKS = 3000
DATA_KEYS = 40
COMPUTE_KEYS = 25


def _payload(i: int) -> list[PatternAnalysis]:
    return [
        PatternAnalysis(pattern=f"k{i}", confidence=i / 100, evidence=[str(j)])
        for j in range(3)
    ]


@pytest.mark.parametrize("offload", [False, True], ids=["inline", "offload"])
def test_mixed_concurrent_operations(offload: bool) -> None:
    backend = InstrumentedCache(max_size=10_000)
    cache = AsyncCacheManager(backend, offload=offload)
    computed: Counter[int] = Counter()

    def compute_for(i: int):  # type: ignore[no-untyped-def]
        async def compute() -> PatternAnalysis:
            computed[i] += 1
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            return PatternAnalysis(pattern=f"c{i}", confidence=1.0)

        return compute

    async def one(n: int) -> None:
        kind = n % 3
        if kind == 0:
            i = n % COMPUTE_KEYS
            value = await cache.get_or_compute(
                CacheKey("compute", str(i)), PatternAnalysis, compute_for(i)
            )
            assert value == PatternAnalysis(pattern=f"c{i}", confidence=1.0)
        elif kind == 1:
            i = n % DATA_KEYS
            await cache.set_list(CacheKey("data", str(i)), _payload(i))
        else:
            i = n % DATA_KEYS
            got = await cache.get_list(CacheKey("data", str(i)), PatternAnalysis)
            assert got is None or got == _payload(i)

    async def scenario() -> None:
        results = await asyncio.gather(
            *(one(n) for n in range(TASKS)), return_exceptions=True
        )
        errors = [r for r in results if isinstance(r, BaseException)]
        assert errors == []
        for i in range(DATA_KEYS):  # nothing lost: every write is readable
            assert await cache.get_list(
                CacheKey("data", str(i)), PatternAnalysis
            ) == _payload(i)

    run(scenario())
    assert backend.max_active == 1
    assert backend.entries >= TASKS * 2 // 3
    assert computed == Counter({i: 1 for i in range(COMPUTE_KEYS)})
    stats = cache.stats()
    assert stats.errors == 0 and stats.invalid == 0
    assert stats.sets == TASKS // 3 + COMPUTE_KEYS
    assert cache._inflight == {}


def test_threads_sharing_one_manager_never_overlap_in_the_cache() -> None:
    """Several event loops in several threads, one manager: still one caller at a time."""
    import threading

    backend = InstrumentedCache(max_size=10_000)
    cache = AsyncCacheManager(backend)
    failures: list[BaseException] = []

    def worker(w: int) -> None:
        async def scenario() -> None:
            for n in range(150):
                key = CacheKey("shared", str(n % 10))
                await cache.set_list(key, _payload(n % 10))
                got = await cache.get_list(key, PatternAnalysis)
                assert got == _payload(n % 10)

        try:
            asyncio.run(scenario())
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert backend.max_active == 1
    stats = cache.stats()
    assert stats.hits == 6 * 150 and stats.sets == 6 * 150
