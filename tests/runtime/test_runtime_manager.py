"""AsyncCacheManager behaviour: hits and misses, faults, breaker, stats, logging, the rollback switch."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from memory_cache import CacheManager
from pydantic import TypeAdapter
from runtime_support import FakeClock, FlakyCache, PatternAnalysis, patterns, run

from cachelint.runtime import (
    DISABLE_ENV_VAR,
    AsyncCacheManager,
    BreakerState,
    CacheKey,
    CircuitBreaker,
)

KEY = CacheKey("analyze_patterns", "k1")


def _state(subject: AsyncCacheManager | CircuitBreaker) -> BreakerState:
    """Read the state afresh (keeps mypy from narrowing it across calls)."""
    if isinstance(subject, CircuitBreaker):
        return subject.state
    return subject.breaker_state


@pytest.fixture(params=[False, True], ids=["inline", "offload"])
def offload(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_miss_then_hit(sync_cache: CacheManager, offload: bool) -> None:
    cache = AsyncCacheManager(sync_cache, offload=offload)

    async def scenario() -> None:
        assert await cache.get_list(KEY, PatternAnalysis) is None
        assert await cache.get_model(KEY, PatternAnalysis) is None
        await cache.set_list(KEY, patterns(2))
        assert await cache.get_list(KEY, PatternAnalysis) == patterns(2)
        assert await cache.delete(KEY) is True
        assert await cache.get_list(KEY, PatternAnalysis) is None

    run(scenario())
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.sets, stats.errors) == (1, 3, 1, 0)


def test_rejects_things_that_are_not_sync_caches(sync_cache: CacheManager) -> None:
    class AsyncOnly:
        async def get(self, cache_type: str, content_key: str) -> object:
            return None

        async def set(self, cache_type: str, content_key: str, value: object) -> None:
            return None

    with pytest.raises(TypeError, match="is async"):
        AsyncCacheManager(AsyncOnly())  # the Protocol cannot tell; the check can
    with pytest.raises(TypeError, match="no callable get"):
        AsyncCacheManager(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="use as_async"):
        AsyncCacheManager(AsyncCacheManager(sync_cache))  # type: ignore[arg-type]


def test_failing_get_is_a_miss_and_failing_set_is_swallowed(
    offload: bool, caplog: pytest.LogCaptureFixture
) -> None:
    backend = FlakyCache()
    backend.failing = True
    cache = AsyncCacheManager(backend, offload=offload)

    async def scenario() -> None:
        assert await cache.get_list(KEY, PatternAnalysis) is None
        await cache.set_list(KEY, patterns(1))
        assert await cache.delete(KEY) is False
        assert (
            await cache.get_or_compute(KEY, PatternAnalysis, lambda: patterns(1)[0])
            == patterns(1)[0]
        )

    with caplog.at_level(logging.WARNING, logger="cachelint.runtime"):
        run(scenario())
    stats = cache.stats()
    assert stats.errors == 5 and stats.misses == 2 and stats.sets == 0
    faults = [r for r in caplog.records if getattr(r, "outcome", None) == "error"]
    assert len(faults) == 5 and all(r.levelno == logging.WARNING for r in faults)
    assert "CacheDown" in faults[0].getMessage()


def test_breaker_opens_half_opens_and_closes(clock: FakeClock) -> None:
    backend = FlakyCache()
    cache = AsyncCacheManager(
        backend, failure_threshold=3, cooldown_seconds=10, clock=clock
    )

    async def get() -> list[PatternAnalysis] | None:
        return await cache.get_list(KEY, PatternAnalysis)

    backend.failing = True
    for _ in range(3):
        run(get())
    assert cache.breaker_state is BreakerState.OPEN and backend.calls == 3
    run(get())
    run(cache.set_list(KEY, patterns(1)))
    assert backend.calls == 3  # bypassed while open
    assert cache.stats().bypassed == 2

    clock.advance(9.9)
    run(get())
    assert backend.calls == 3
    clock.advance(0.1)
    run(get())  # the probe fails: open again
    assert backend.calls == 4 and _state(cache) is BreakerState.OPEN
    run(get())
    assert backend.calls == 4

    clock.advance(10)
    backend.failing = False
    run(cache.set_list(KEY, patterns(1)))  # the probe succeeds: closed
    assert _state(cache) is BreakerState.CLOSED
    assert run(get()) == patterns(1)
    assert cache.stats().consecutive_failures == 0


def test_half_open_lets_exactly_one_probe_through(clock: FakeClock) -> None:
    breaker = CircuitBreaker(failure_threshold=1, cooldown_seconds=5, clock=clock)
    assert breaker.allow()
    assert breaker.record_failure() is BreakerState.OPEN
    assert not breaker.allow()
    clock.advance(5)
    assert breaker.allow()  # the probe
    assert breaker.state is BreakerState.HALF_OPEN
    assert not breaker.allow() and not breaker.allow()
    assert breaker.record_success() is BreakerState.CLOSED
    assert breaker.allow() and breaker.allow()


def test_breaker_needs_consecutive_failures(clock: FakeClock) -> None:
    breaker = CircuitBreaker(failure_threshold=2, clock=clock)
    for _ in range(5):
        assert breaker.allow()
        breaker.record_failure()
        assert breaker.allow()
        breaker.record_success()
    assert breaker.state is BreakerState.CLOSED
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=0)


def test_breaker_default_is_five_failures_and_thirty_seconds(clock: FakeClock) -> None:
    breaker = CircuitBreaker(clock=clock)
    for _ in range(4):
        breaker.allow()
        breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED
    breaker.allow()
    breaker.record_failure()
    assert _state(breaker) is BreakerState.OPEN
    clock.advance(29.9)
    assert not breaker.allow()
    clock.advance(0.1)
    assert breaker.allow()


def test_stats_counts_ratio_and_percentiles(sync_cache: CacheManager) -> None:
    cache = AsyncCacheManager(sync_cache, latency_window=4)
    empty = cache.stats()
    assert (
        empty.hit_ratio == 0.0
        and empty.latency_p50_ms is None
        and empty.breaker_state is BreakerState.CLOSED
    )

    async def scenario() -> None:
        await cache.set_list(KEY, patterns(2))
        for _ in range(3):
            await cache.get_list(KEY, PatternAnalysis)
        await cache.get_list(CacheKey("other", "x"), PatternAnalysis)

    run(scenario())
    stats = cache.stats()
    assert (stats.hits, stats.misses, stats.lookups, stats.sets) == (3, 1, 4, 1)
    assert stats.hit_ratio == 0.75
    assert stats.latency_samples == 4  # bounded window: 5 operations, 4 kept
    assert stats.latency_p50_ms is not None and stats.latency_p95_ms is not None
    assert 0 < stats.latency_p50_ms <= stats.latency_p95_ms < 1000
    with pytest.raises(AttributeError):
        stats.hits = 0  # type: ignore[misc]


def test_percentiles_are_nearest_rank() -> None:
    from cachelint.runtime.stats import StatsRecorder

    recorder = StatsRecorder(window=100)
    recorder.latencies.extend(i / 1000 for i in range(1, 101))  # 1..100 ms
    snap = recorder.snapshot(BreakerState.CLOSED, 0)
    assert snap.latency_p50_ms == pytest.approx(50.0)
    assert snap.latency_p95_ms == pytest.approx(95.0)


def test_log_records_carry_structured_fields(
    sync_cache: CacheManager, caplog: pytest.LogCaptureFixture
) -> None:
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        await cache.get_list(KEY, PatternAnalysis)
        await cache.set_list(KEY, patterns(1))
        await cache.get_list(KEY, PatternAnalysis)

    with caplog.at_level(logging.DEBUG, logger="cachelint.runtime"):
        run(scenario())
    records = [r for r in caplog.records if r.name == "cachelint.runtime"]
    assert [(r.operation, r.outcome, r.levelno) for r in records] == [  # type: ignore[attr-defined]
        ("get_list", "miss", logging.DEBUG),
        ("set_list", "stored", logging.DEBUG),
        ("get_list", "hit", logging.DEBUG),
    ]
    for record in records:
        assert record.cache_type == "analyze_patterns"  # type: ignore[attr-defined]
        assert record.content_key == "k1"  # type: ignore[attr-defined]
        assert isinstance(record.duration_ms, float) and record.duration_ms >= 0  # type: ignore[attr-defined]


def test_breaker_transitions_are_logged(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    backend = FlakyCache()
    backend.failing = True
    cache = AsyncCacheManager(backend, failure_threshold=1, clock=clock)
    with caplog.at_level(logging.INFO, logger="cachelint.runtime"):
        run(cache.get_list(KEY, PatternAnalysis))
        backend.failing = False
        clock.advance(30)
        run(cache.get_list(KEY, PatternAnalysis))
    outcomes = [
        getattr(r, "outcome", None)
        for r in caplog.records
        if getattr(r, "operation", None) == "breaker"
    ]
    assert outcomes == ["open", "closed"]


def test_rollback_switch_makes_a_pass_through_miss(
    sync_cache: CacheManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = AsyncCacheManager(sync_cache)
    run(cache.set_list(KEY, patterns(1)))
    calls = 0

    async def compute() -> PatternAnalysis:
        nonlocal calls
        calls += 1
        return patterns(1)[0]

    monkeypatch.setenv(DISABLE_ENV_VAR, "1")

    async def disabled() -> None:
        assert await cache.get_list(KEY, PatternAnalysis) is None
        await cache.set_list(CacheKey("t", "new"), patterns(2))
        assert (
            await cache.get_or_compute(CacheKey("t", "c"), PatternAnalysis, compute)
            == patterns(1)[0]
        )
        assert (
            await cache.get_or_compute(CacheKey("t", "c"), PatternAnalysis, compute)
            == patterns(1)[0]
        )

    run(disabled())
    assert calls == 2
    assert ("t", "new") not in sync_cache and ("t", "c") not in sync_cache
    assert sync_cache.raw(*KEY) is not None  # nothing evicted either

    monkeypatch.setenv(DISABLE_ENV_VAR, "0")  # read at call time: back on
    assert run(cache.get_list(KEY, PatternAnalysis)) == patterns(1)


def test_get_or_compute_caches_async_and_sync_results(
    sync_cache: CacheManager, offload: bool
) -> None:
    cache = AsyncCacheManager(sync_cache, offload=offload)
    calls = 0

    async def compute() -> PatternAnalysis:
        nonlocal calls
        calls += 1
        return PatternAnalysis(pattern="p", confidence=1)

    def compute_list() -> list[PatternAnalysis]:
        nonlocal calls
        calls += 1
        return patterns(2)

    adapter = TypeAdapter(list[PatternAnalysis])

    async def scenario() -> None:
        for _ in range(3):
            assert await cache.get_or_compute(
                KEY, PatternAnalysis, compute
            ) == PatternAnalysis(pattern="p", confidence=1)
            assert await cache.get_or_compute(
                CacheKey("l", "1"), adapter, compute_list
            ) == patterns(2)
        # get_or_compute with TypeAdapter(list[M]) shares entries with get_list
        assert await cache.get_list(CacheKey("l", "1"), PatternAnalysis) == patterns(2)

    run(scenario())
    assert calls == 2


def test_get_or_compute_single_flight_and_exceptions(sync_cache: CacheManager) -> None:
    cache = AsyncCacheManager(sync_cache)
    calls = 0

    async def failing() -> PatternAnalysis:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)
        raise ValueError("upstream down")

    async def scenario() -> None:
        results = await asyncio.gather(
            *(cache.get_or_compute(KEY, PatternAnalysis, failing) for _ in range(20)),
            return_exceptions=True,
        )
        assert all(
            isinstance(r, ValueError) and str(r) == "upstream down" for r in results
        )

    run(scenario())
    assert calls == 1
    assert KEY not in sync_cache
    assert cache._inflight == {}


def test_cancelling_one_waiter_does_not_cancel_the_computation(
    sync_cache: CacheManager,
) -> None:
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        gate = asyncio.Event()
        calls = 0

        async def compute() -> PatternAnalysis:
            nonlocal calls
            calls += 1
            await gate.wait()
            return PatternAnalysis(pattern="slow", confidence=0.5)

        first = asyncio.ensure_future(
            cache.get_or_compute(KEY, PatternAnalysis, compute)
        )
        second = asyncio.ensure_future(
            cache.get_or_compute(KEY, PatternAnalysis, compute)
        )
        await asyncio.sleep(0)
        first.cancel()
        await asyncio.sleep(0)
        gate.set()
        assert (await second).pattern == "slow"
        assert first.cancelled() and calls == 1

    run(scenario())
    assert run(cache.get_model(KEY, PatternAnalysis)) == PatternAnalysis(
        pattern="slow", confidence=0.5
    )


def test_ttl_keyword_is_configurable() -> None:
    class TtlCache:
        def __init__(self) -> None:
            self.seen: dict[str, Any] = {}

        def get(self, cache_type: str, content_key: str) -> object:
            return None

        def set(
            self, cache_type: str, content_key: str, value: object, **options: Any
        ) -> None:
            self.seen = options

    backend = TtlCache()
    run(
        AsyncCacheManager(backend, ttl_keyword="expire").set_model(
            KEY, patterns(1)[0], ttl=5
        )
    )
    assert backend.seen == {"expire": 5}


@pytest.mark.parametrize("operation", ["set", "delete"])
def test_a_failing_delete_trips_the_breaker_as_a_failing_set_does(
    clock: FakeClock, offload: bool, operation: str, caplog: pytest.LogCaptureFixture
) -> None:
    backend = FlakyCache()
    backend.failing = True
    cache = AsyncCacheManager(
        backend, offload=offload, failure_threshold=2, cooldown_seconds=10, clock=clock
    )

    async def call() -> bool:
        if operation == "delete":
            return await cache.delete(KEY)
        await cache.set_list(KEY, patterns(1))
        return True

    async def scenario() -> list[bool]:
        results = [await call() for _ in range(3)]  # fail, fail (opens), bypassed
        clock.advance(10)
        backend.failing = False
        results.append(await call())  # the probe succeeds: closed
        return results

    with caplog.at_level(logging.INFO, logger="cachelint.runtime"):
        results = run(scenario())
    stats = cache.stats()
    assert backend.calls == 3  # the call while open never reached the cache
    if operation == "delete":
        assert results == [False, False, False, True]
    assert _state(cache) is BreakerState.CLOSED and stats.consecutive_failures == 0
    # Each call counted once: two faults, one bypass, one success; a delete is no set.
    expected_sets = 1 if operation == "set" else 0
    assert (stats.errors, stats.bypassed, stats.sets) == (2, 1, expected_sets)
    assert stats.latency_samples == 3 and stats.lookups == 0
    faults = [r for r in caplog.records if getattr(r, "outcome", None) == "error"]
    op_name = "set_list" if operation == "set" else "delete"
    assert [getattr(r, "operation", None) for r in faults] == [op_name, op_name]
    breaker = [r.getMessage() for r in caplog.records if getattr(r, "operation", None) == "breaker"]
    assert breaker == [
        "cache circuit breaker opened after 2 consecutive failures; bypassing the cache",
        "cache circuit breaker closed",
    ]


class _Exiting(CacheManager):
    """A cache whose set and delete raise ``SystemExit``: not a fault to swallow."""

    def set(
        self, cache_type: str, content_key: str, value: Any, ttl_override: float | None = None
    ) -> None:
        raise SystemExit(3)

    def delete(self, cache_type: str, content_key: str) -> bool:
        raise SystemExit(3)


@pytest.mark.parametrize("operation", ["set", "delete"])
def test_a_base_exception_from_set_or_delete_propagates_counted_as_one_fault(
    operation: str,
) -> None:
    cache = AsyncCacheManager(_Exiting(), failure_threshold=5)
    call = cache.delete(KEY) if operation == "delete" else cache.set_list(KEY, patterns(1))
    with pytest.raises(SystemExit):
        run(call)
    stats = cache.stats()
    assert stats.consecutive_failures == 1 and _state(cache) is BreakerState.CLOSED
    assert (stats.errors, stats.sets, stats.latency_samples) == (0, 0, 0)
