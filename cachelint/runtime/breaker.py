"""Circuit breaker guarding the sync cache.

``CLOSED``: every call goes through. After ``failure_threshold`` consecutive
failures it turns ``OPEN``: calls bypass the cache for ``cooldown_seconds``.
The first call after the cool-down turns it ``HALF_OPEN`` and is the single
probe let through; its success closes the breaker, its failure reopens it for
another cool-down. The clock is injectable (monotonic seconds), so tests need
no sleeping. Not thread-safe by itself: the manager serializes access.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable

__all__ = ["BreakerState", "CircuitBreaker"]


class BreakerState(str, enum.Enum):
    """Where the breaker is in its cycle."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Counts consecutive failures and decides whether a call may proceed."""

    __slots__ = (
        "_clock",
        "_opened_at",
        "_probing",
        "cooldown_seconds",
        "failure_threshold",
        "failures",
        "state",
    )

    def __init__(
        self,
        failure_threshold: int = 5,
        cooldown_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError(f"failure_threshold must be >= 1, got {failure_threshold}")
        if cooldown_seconds < 0:
            raise ValueError(f"cooldown_seconds must be >= 0, got {cooldown_seconds}")
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self.state = BreakerState.CLOSED
        self.failures = 0
        self._opened_at = 0.0
        self._probing = False

    def allow(self) -> bool:
        """Whether the next call may reach the cache; claims the probe when half-open.

        Every ``True`` must be followed by ``record_success`` or ``record_failure``.
        """
        if self.state is BreakerState.CLOSED:
            return True
        if self.state is BreakerState.OPEN:
            if self._clock() - self._opened_at < self.cooldown_seconds:
                return False
            self.state = BreakerState.HALF_OPEN
            self._probing = False
        if self._probing:
            return False
        self._probing = True
        return True

    def record_success(self) -> BreakerState | None:
        """Note a successful call; returns the new state if it changed."""
        self.failures = 0
        if self.state is BreakerState.CLOSED:
            return None
        if self._probing:
            self._probing = False
            self.state = BreakerState.CLOSED
            return self.state
        return None

    def record_failure(self) -> BreakerState | None:
        """Note a failed call; returns the new state if it changed."""
        self.failures += 1
        if self.state is BreakerState.HALF_OPEN:
            if not self._probing:
                return None
            self._probing = False
        elif self.state is BreakerState.OPEN or self.failures < self.failure_threshold:
            return None
        self.state = BreakerState.OPEN
        self._opened_at = self._clock()
        return self.state
