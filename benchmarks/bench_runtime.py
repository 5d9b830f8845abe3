"""Latency of the typed async cache API against what it replaces.

Side by side in one run, variants alternating in rotated order each round,
medians over rounds, ``time.perf_counter`` only. For a list of 20 small
Pydantic models held in an in-memory sync cache:

* ``AsyncCacheManager.get_list`` hit and miss, inline and offloaded;
* (a) the raw sync ``get`` plus ``TypeAdapter(list[M]).validate_python`` by
  hand (timed as a plain sync loop, without any coroutine overhead);
* (b) aiocache's ``SimpleMemoryCache`` holding the same data, plus the same
  hand validation.

Goals (DESIGN.md, quality bars): a ``get_list`` hit ≤ 1.3× (a) and faster
than (b).

Run: ``python benchmarks/bench_runtime.py [--repeat N]``; or import and call
``run(repeat)``, which returns the figures as a dict.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from pydantic import BaseModel, TypeAdapter  # noqa: E402 - after the path insert

from cachelint.runtime import AsyncCacheManager, CacheKey  # noqa: E402

ITEMS = 20
HIT_GOAL_RATIO = 1.3


class Pattern(BaseModel):
    name: str
    confidence: float
    tags: list[str]
    count: int


class DictCache:
    """The simplest in-memory sync cache: ``get``/``set`` on a dict."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], Any] = {}

    def get(self, cache_type: str, content_key: str) -> Any:
        return self.data.get((cache_type, content_key))

    def set(
        self,
        cache_type: str,
        content_key: str,
        value: Any,
        ttl_override: float | None = None,
    ) -> None:
        self.data[(cache_type, content_key)] = value


def _models() -> list[Pattern]:
    return [Pattern(name=f"pattern-{i}", confidence=i / ITEMS, tags=["a", "b"], count=i) for i in range(ITEMS)]


def _time_sync(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e6


def _time_async(fn: Callable[[], Awaitable[object]], n: int) -> float:
    async def loop() -> float:
        await fn()  # warm the path inside this event loop
        start = time.perf_counter()
        for _ in range(n):
            await fn()
        return (time.perf_counter() - start) / n * 1e6

    return asyncio.run(loop())


def _variants(n: int) -> dict[str, Callable[[], float]]:
    models = _models()
    adapter = TypeAdapter(list[Pattern])
    hit, miss = CacheKey("bench", "hit"), CacheKey("bench", "miss")

    raw_cache = DictCache()
    raw_cache.set(*hit, adapter.dump_python(models, mode="json"))

    def raw_hit() -> object:
        value = raw_cache.get(*hit)
        return None if value is None else adapter.validate_python(value)

    def raw_miss() -> object:
        value = raw_cache.get(*miss)
        return None if value is None else adapter.validate_python(value)

    inline = AsyncCacheManager(DictCache())
    offload = AsyncCacheManager(DictCache(), offload=True)
    asyncio.run(inline.set_list(hit, models))
    asyncio.run(offload.set_list(hit, models))
    assert asyncio.run(inline.get_list(hit, Pattern)) == models

    variants: dict[str, Callable[[], float]] = {
        "raw_hit": lambda: _time_sync(raw_hit, n),
        "raw_miss": lambda: _time_sync(raw_miss, n),
        "get_list_hit": lambda: _time_async(lambda: inline.get_list(hit, Pattern), n),
        "get_list_miss": lambda: _time_async(lambda: inline.get_list(miss, Pattern), n),
        "offload_hit": lambda: _time_async(lambda: offload.get_list(hit, Pattern), max(n // 10, 50)),
        "offload_miss": lambda: _time_async(lambda: offload.get_list(miss, Pattern), max(n // 10, 50)),
    }

    try:
        from aiocache import SimpleMemoryCache  # type: ignore[import-untyped]
    except ImportError:
        return variants
    aio = SimpleMemoryCache()
    data = adapter.dump_python(models, mode="json")
    asyncio.run(aio.set("bench:hit", data))

    async def aio_hit() -> object:
        value = await aio.get("bench:hit")
        return None if value is None else adapter.validate_python(value)

    async def aio_miss() -> object:
        value = await aio.get("bench:miss")
        return None if value is None else adapter.validate_python(value)

    variants["aiocache_hit"] = lambda: _time_async(aio_hit, max(n // 4, 50))
    variants["aiocache_miss"] = lambda: _time_async(aio_miss, max(n // 4, 50))
    return variants


def run(repeat: int = 15, n: int = 2000) -> dict[str, Any]:
    """Measure every variant *repeat* times (rotating the order), return medians in µs and ratios."""
    logging.getLogger("cachelint.runtime").setLevel(logging.WARNING)
    variants = _variants(n)
    names = list(variants)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(repeat):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(variants[name]())
    us = {name: statistics.median(values) for name, values in samples.items()}
    figures: dict[str, Any] = {
        "repeat": repeat,
        "ops_per_sample": n,
        "items": ITEMS,
        "us_per_op": us,
    }
    ratios = {
        "get_list_hit_vs_raw": us["get_list_hit"] / us["raw_hit"],
        "get_list_miss_vs_raw": us["get_list_miss"] / us["raw_miss"],
        "offload_hit_vs_inline": us["offload_hit"] / us["get_list_hit"],
        "offload_miss_vs_inline": us["offload_miss"] / us["get_list_miss"],
    }
    if "aiocache_hit" in us:
        ratios["get_list_hit_vs_aiocache"] = us["get_list_hit"] / us["aiocache_hit"]
        ratios["get_list_miss_vs_aiocache"] = us["get_list_miss"] / us["aiocache_miss"]
    figures["ratios"] = ratios
    figures["aiocache"] = "aiocache_hit" in us
    figures["goals_met"] = {
        "hit_le_1.3x_raw": ratios["get_list_hit_vs_raw"] <= HIT_GOAL_RATIO,
        "hit_faster_than_aiocache": ratios.get("get_list_hit_vs_aiocache", 0.0) < 1.0 if figures["aiocache"] else None,
    }
    return figures


def _print(figures: dict[str, Any]) -> None:
    us, ratios = figures["us_per_op"], figures["ratios"]
    print(
        f"get_list of {figures['items']} models, median of {figures['repeat']} alternating rounds"
        f" ({figures['ops_per_sample']} ops/round)\n"
    )
    print(f"{'variant':<44}{'hit µs':>10}{'miss µs':>10}")
    rows = [
        ("AsyncCacheManager.get_list inline", "get_list"),
        ("AsyncCacheManager.get_list offload", "offload"),
        ("(a) raw sync get + validate", "raw"),
        ("(b) aiocache SimpleMemoryCache + validate", "aiocache"),
    ]
    for label, prefix in rows:
        if f"{prefix}_hit" in us:
            print(f"{label:<44}{us[prefix + '_hit']:>10.2f}{us[prefix + '_miss']:>10.2f}")
        else:
            print(f"{label:<44}{'skipped':>10}{'skipped':>10}")
    print()
    goal = "met" if figures["goals_met"]["hit_le_1.3x_raw"] else "MISSED"
    print(f"hit  vs (a): {ratios['get_list_hit_vs_raw']:.2f}x   goal <= {HIT_GOAL_RATIO}x  {goal}")
    print(f"miss vs (a): {ratios['get_list_miss_vs_raw']:.2f}x")
    if figures["aiocache"]:
        goal = "met" if figures["goals_met"]["hit_faster_than_aiocache"] else "MISSED"
        print(f"hit  vs (b): {ratios['get_list_hit_vs_aiocache']:.2f}x   goal < 1.0x  {goal}")
        print(f"miss vs (b): {ratios['get_list_miss_vs_aiocache']:.2f}x")
    else:
        print("aiocache: skipped (not importable)")
    print(
        f"offload vs inline: hit {ratios['offload_hit_vs_inline']:.1f}x,"
        f" miss {ratios['offload_miss_vs_inline']:.1f}x (inline is the default)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=15, help="alternating rounds (default 15)")
    parser.add_argument("-n", type=int, default=2000, help="operations per round (default 2000)")
    args = parser.parse_args(argv)
    _print(run(args.repeat, args.n))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
