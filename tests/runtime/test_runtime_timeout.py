"""``timeout=``: a hanging backend cannot keep a request waiting past it.

The backend here really hangs (a worker thread blocks on an event inside
``get``/``set``) and is released at the end of each test. Timing bounds are
generous (the machine is shared); what is asserted exactly is that the call
came back *while the backend was still hung*, what was counted, and that no
second thread ever entered the cache.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from memory_cache import CacheManager
from runtime_support import FakeClock, InstrumentedCache, PatternAnalysis, patterns, run

from cachelint.runtime import AsyncCacheManager, BreakerState, CacheKey

KEY = CacheKey("analyze_patterns", "slow")
TIMEOUT = 0.2
# Far above TIMEOUT, far below "hung": a call that took this long was stalled.
STALLED = 3.0


class HangingCache(InstrumentedCache):
    """A real cache whose calls block while ``hang`` is set, until ``release`` is."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hang = threading.Event()
        self.release = threading.Event()

    def _enter(self, operation: str) -> None:
        super()._enter(operation)
        if self.hang.is_set():
            self.release.wait(30)


@pytest.fixture
def backend() -> Iterator[HangingCache]:
    cache = HangingCache()
    yield cache
    cache.release.set()  # let the worker thread finish its hung call and exit


def _wait_for(condition: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the worker thread"
        time.sleep(0.01)


def _idle(cache: AsyncCacheManager) -> bool:
    # The worker has returned from its hung call (not just the backend):
    # until then new calls rightly fail fast.
    worker = cache._worker  # noqa: SLF001 - no public view of the worker thread
    return worker is not None and worker.busy_for() == 0.0


def _timed(coro: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = run(coro)
    return result, time.perf_counter() - start


def test_a_hanging_get_is_a_miss_at_the_timeout(backend: HangingCache, caplog: pytest.LogCaptureFixture) -> None:
    cache = AsyncCacheManager(backend, offload=True, timeout=TIMEOUT)
    backend.hang.set()
    with caplog.at_level(logging.WARNING, logger="cachelint.runtime"):
        result, elapsed = _timed(cache.get_list(KEY, PatternAnalysis))
    assert result is None
    assert backend.active == 1  # came back while the backend call is still hung
    assert TIMEOUT * 0.9 <= elapsed < STALLED
    stats = cache.stats()
    assert (stats.misses, stats.errors, stats.timeouts, stats.hits) == (1, 1, 1, 0)
    assert stats.consecutive_failures == 1
    [record] = [r for r in caplog.records if getattr(r, "outcome", None) == "timeout"]
    assert record.levelno == logging.WARNING and getattr(record, "operation", None) == "get_list"


def test_a_hanging_set_is_abandoned_and_its_late_result_dropped(
    backend: HangingCache, caplog: pytest.LogCaptureFixture
) -> None:
    cache = AsyncCacheManager(backend, offload=True, timeout=TIMEOUT)
    backend.hang.set()
    with caplog.at_level(logging.INFO, logger="cachelint.runtime"):
        _, elapsed = _timed(cache.set_list(KEY, patterns(1)))
        assert elapsed < STALLED and backend.active == 1
        backend.hang.clear()
        backend.release.set()
        _wait_for(lambda: _idle(cache))
    # (A previous test's released worker may log its own late get_list here.)
    [late] = [r for r in caplog.records if getattr(r, "operation", None) == "set_list" and r.levelno == logging.INFO]
    assert "after its caller timed out" in late.getMessage()
    stats = cache.stats()
    # The backend call could not be interrupted: the write landed late, but
    # was counted once, as the timeout its caller saw.
    assert (stats.sets, stats.errors, stats.timeouts) == (0, 1, 1)
    assert backend.raw(*KEY)["data"] == [p.model_dump() for p in patterns(1)]


def test_timeouts_open_the_breaker_and_nothing_queues_behind_a_hung_call(
    backend: HangingCache, clock: FakeClock
) -> None:
    cache = AsyncCacheManager(
        backend, offload=True, timeout=TIMEOUT, failure_threshold=3, cooldown_seconds=30, clock=clock
    )
    backend.hang.set()

    async def burst() -> list[Any]:
        return await asyncio.gather(*(cache.get_list(CacheKey("k", str(i)), PatternAnalysis) for i in range(5)))

    results, elapsed = _timed(burst())
    assert results == [None] * 5 and elapsed < STALLED
    # The first call is hung in the backend; the four queued behind it timed
    # out too and never reach the cache, even once it recovers.
    assert cache.stats().timeouts == 5
    assert cache.breaker_state is BreakerState.OPEN

    _, elapsed = _timed(cache.get_list(KEY, PatternAnalysis))  # bypassed: no wait at all
    assert elapsed < TIMEOUT and cache.stats().bypassed == 1

    clock.advance(30)  # the probe: the worker is still busy past its timeout, so it fails at once
    _, elapsed = _timed(cache.get_list(KEY, PatternAnalysis))
    assert elapsed < TIMEOUT and cache.breaker_state is BreakerState.OPEN
    assert cache.stats().timeouts == 6

    backend.hang.clear()
    backend.release.set()
    _wait_for(lambda: _idle(cache))
    time.sleep(0.1)  # the skipped jobs drain
    assert backend.entries == 1 and len(backend.threads) == 1

    clock.advance(30)  # recovered: the next probe closes the breaker
    run(cache.set_list(KEY, patterns(2)))
    assert cache.breaker_state is BreakerState.CLOSED
    assert run(cache.get_list(KEY, PatternAnalysis)) == patterns(2)


def test_the_worker_is_one_daemon_thread_that_does_not_hold_up_exit(backend: HangingCache) -> None:
    cache = AsyncCacheManager(backend, offload=True, timeout=TIMEOUT)
    backend.hang.set()
    run(cache.get_list(KEY, PatternAnalysis))  # asyncio.run returned: its shutdown did not wait for the hung call
    [worker] = backend.threads
    assert worker.is_alive() and worker.daemon and worker.name == "cachelint-cache-HangingCache"


def test_a_healthy_backend_is_unaffected_by_the_timeout(sync_cache: CacheManager) -> None:
    cache = AsyncCacheManager(sync_cache, offload=True, timeout=5.0)
    key = CacheKey("t", "fast")

    async def scenario() -> None:
        assert await cache.get_list(key, PatternAnalysis) is None
        await cache.set_list(key, patterns(3))
        assert await cache.get_list(key, PatternAnalysis) == patterns(3)
        assert await cache.get_or_compute(CacheKey("t", "c"), PatternAnalysis, lambda: patterns(1)[0]) == patterns(1)[0]
        assert await cache.delete(key) is True

    run(scenario())
    stats = cache.stats()
    assert (stats.timeouts, stats.errors, stats.hits, stats.sets) == (0, 0, 1, 2)
    assert cache.timeout == 5.0 and "timeout=5.0" in repr(cache)


def test_timeout_needs_offload_and_a_positive_number(sync_cache: CacheManager) -> None:
    with pytest.raises(ValueError, match="needs offload=True"):
        AsyncCacheManager(sync_cache, timeout=1.0)
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="must be > 0"):
            AsyncCacheManager(sync_cache, offload=True, timeout=bad)
    assert AsyncCacheManager(sync_cache, offload=True).timeout is None


def test_a_hung_backend_does_not_starve_the_default_executor(backend: HangingCache) -> None:
    # Without ``timeout``: the calls wait for the backend, but they hold one
    # thread between them, so the loop's default executor stays free.
    cache = AsyncCacheManager(backend, offload=True)
    backend.hang.set()

    async def scenario() -> float:
        calls = [asyncio.ensure_future(cache.get_list(CacheKey("k", str(i)), PatternAnalysis)) for i in range(20)]
        await asyncio.sleep(0.05)
        try:
            start = time.perf_counter()
            assert await asyncio.wait_for(asyncio.to_thread(lambda: 42), STALLED) == 42
            elapsed = time.perf_counter() - start
            assert backend.active == 1 and not any(call.done() for call in calls)
        finally:
            backend.hang.clear()
            backend.release.set()
        assert await asyncio.gather(*calls) == [None] * 20
        return elapsed

    assert run(scenario()) < STALLED
    assert backend.entries == 20 and len(backend.threads) == 1
