"""Counters and latency percentiles for one ``AsyncCacheManager``.

Every lookup is exactly one hit or one miss (a bypassed, faulted, stale or
corrupt lookup is a miss); ``errors`` counts faults raised by the sync cache;
``invalid`` counts entries that could not be read back (stale schema, corrupt,
legacy values that do not validate, values that raise when inspected);
``timeouts`` counts offloaded calls that ran past the manager's ``timeout``
(each is also one of the ``errors``); ``bypassed`` counts calls skipped by the
open breaker or the rollback switch. Latencies cover calls that reached the
sync cache (including decoding), over a bounded window of recent operations.
"""

from __future__ import annotations

import dataclasses
import math
from collections import deque

from .breaker import BreakerState

__all__ = ["CacheStats", "StatsRecorder"]


@dataclasses.dataclass(frozen=True, slots=True)
class CacheStats:
    """A snapshot of a manager's counters; latencies in milliseconds."""

    hits: int
    misses: int
    errors: int
    invalid: int
    bypassed: int
    sets: int
    hit_ratio: float
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    latency_samples: int
    breaker_state: BreakerState
    consecutive_failures: int
    timeouts: int = 0

    @property
    def lookups(self) -> int:
        """Hits plus misses."""
        return self.hits + self.misses


class StatsRecorder:
    """Mutable counters; the manager serializes access."""

    __slots__ = ("bypassed", "errors", "hits", "invalid", "latencies", "misses", "sets", "timeouts")

    def __init__(self, window: int = 1024) -> None:
        if window < 1:
            raise ValueError(f"latency window must be >= 1, got {window}")
        self.hits = 0
        self.misses = 0
        self.errors = 0
        self.invalid = 0
        self.bypassed = 0
        self.sets = 0
        self.timeouts = 0
        self.latencies: deque[float] = deque(maxlen=window)

    def snapshot(self, breaker_state: BreakerState, consecutive_failures: int) -> CacheStats:
        """A frozen copy with the hit ratio and p50/p95 computed now."""
        lookups = self.hits + self.misses
        ordered = sorted(self.latencies)
        return CacheStats(
            hits=self.hits,
            misses=self.misses,
            errors=self.errors,
            invalid=self.invalid,
            bypassed=self.bypassed,
            sets=self.sets,
            hit_ratio=self.hits / lookups if lookups else 0.0,
            latency_p50_ms=_percentile(ordered, 50.0),
            latency_p95_ms=_percentile(ordered, 95.0),
            latency_samples=len(ordered),
            breaker_state=breaker_state,
            consecutive_failures=consecutive_failures,
            timeouts=self.timeouts,
        )


def _percentile(ordered: list[float], pct: float) -> float | None:
    """Nearest-rank percentile of seconds, in milliseconds."""
    if not ordered:
        return None
    rank = max(1, math.ceil(pct / 100.0 * len(ordered)))
    return ordered[rank - 1] * 1000.0
