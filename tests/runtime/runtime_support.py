"""Shared helpers for the runtime tests: sample models, a fake clock, faulty caches."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from datetime import datetime
from typing import Any, TypeVar

from memory_cache import CacheManager
from pydantic import BaseModel

T = TypeVar("T")


class PatternAnalysis(BaseModel):
    pattern: str
    confidence: float
    evidence: list[str] = []


class Finding(BaseModel):
    title: str
    seen_at: datetime


def patterns(n: int = 3) -> list[PatternAnalysis]:
    return [
        PatternAnalysis(pattern=f"p{i}", confidence=i / 10, evidence=[f"e{i}"])
        for i in range(n)
    ]


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


class FakeClock:
    """Monotonic seconds that only move when told to."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class CacheDown(RuntimeError):
    pass


class InstrumentedCache(CacheManager):
    """A real cache that counts the calls into its get/set/delete and the threads making them.

    ``active`` is how many calls are inside right now, ``max_active`` the most
    ever inside at once, ``entries`` every call that reached the cache and
    ``threads`` the threads that made them. Subclasses add behaviour on entry
    through :meth:`_enter`.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._count_lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.entries = 0
        self.threads: set[threading.Thread] = set()

    def _enter(self, operation: str) -> None:
        with self._count_lock:
            self.active += 1
            self.entries += 1
            self.max_active = max(self.max_active, self.active)
            self.threads.add(threading.current_thread())
        time.sleep(0)  # yield the GIL so an unguarded second caller would overlap

    def _leave(self) -> None:
        with self._count_lock:
            self.active -= 1

    def get(self, cache_type: str, content_key: str) -> Any:
        self._enter("get")
        try:
            return super().get(cache_type, content_key)
        finally:
            self._leave()

    def set(
        self,
        cache_type: str,
        content_key: str,
        value: Any,
        ttl_override: float | None = None,
    ) -> None:
        self._enter("set")
        try:
            super().set(cache_type, content_key, value, ttl_override)
        finally:
            self._leave()

    def delete(self, cache_type: str, content_key: str) -> bool:
        self._enter("delete")
        try:
            return super().delete(cache_type, content_key)
        finally:
            self._leave()


class FlakyCache(InstrumentedCache):
    """A real cache whose get/set/delete raise while ``failing`` is set; ``calls`` counts every attempt."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.failing = False
        self.calls = 0

    def _enter(self, operation: str) -> None:
        self.calls += 1
        if self.failing:
            raise CacheDown(f"{operation} failed")
        super()._enter(operation)
