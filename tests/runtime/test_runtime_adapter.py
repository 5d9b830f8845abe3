"""as_async: one manager per sync cache, managers and None passed through."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from memory_cache import CacheManager
from runtime_support import PatternAnalysis, patterns, run

from cachelint.runtime import AsyncCacheManager, CacheKey, as_async

KEY = CacheKey("t", "k")


class BareSlotCache:
    """Neither attributes nor weak references."""

    __slots__ = ("data",)

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], Any] = {}

    def get(self, cache_type: str, content_key: str) -> Any:
        return self.data.get((cache_type, content_key))

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        self.data[(cache_type, content_key)] = value


class SlotCache(BareSlotCache):
    """A sync cache that refuses new attributes but can be weakly referenced."""

    __slots__ = ("__weakref__",)


def test_none_and_managers_pass_through(sync_cache: CacheManager) -> None:
    assert as_async(None) is None
    manager = AsyncCacheManager(sync_cache)
    assert as_async(manager) is manager


def test_same_sync_cache_gets_one_shared_manager(sync_cache: CacheManager) -> None:
    first = as_async(sync_cache)
    second = as_async(sync_cache)
    assert isinstance(first, AsyncCacheManager) and first is second
    assert first.sync_cache is sync_cache
    run(first.set_list(KEY, patterns(1)))
    assert run(second.get_list(KEY, PatternAnalysis)) == patterns(1)
    assert second.stats().sets == 1 and second.stats().hits == 1
    assert as_async(CacheManager()) is not first


def test_memo_for_objects_without_attributes() -> None:
    cache = SlotCache()
    first = as_async(cache)
    assert as_async(cache) is first
    bare = BareSlotCache()
    assert isinstance(as_async(bare), AsyncCacheManager)  # a fresh manager, still works
    run(as_async(bare).set_list(KEY, patterns(1)))
    assert run(as_async(bare).get_list(KEY, PatternAnalysis)) == patterns(1)


def test_memo_does_not_keep_caches_alive() -> None:
    cache = CacheManager()
    slot_cache = SlotCache()
    as_async(cache)
    as_async(slot_cache)
    refs: list[weakref.ref[Any]] = [weakref.ref(cache), weakref.ref(slot_cache)]
    del cache, slot_cache
    gc.collect()
    assert all(ref() is None for ref in refs)


def test_raw_sync_cache_from_getattr_works() -> None:
    class Deps:
        def __init__(self, **kwargs: Any) -> None:
            for name, value in kwargs.items():
                setattr(self, name, value)

    deps = Deps(cache_manager=CacheManager())
    cache = as_async(getattr(deps, "cache_manager", None))
    assert cache is not None
    run(cache.set_model(KEY, patterns(1)[0]))
    assert run(cache.get_model(KEY, PatternAnalysis)) == patterns(1)[0]
    assert as_async(getattr(Deps(), "cache_manager", None)) is None


def test_rejects_non_caches() -> None:
    with pytest.raises(TypeError, match="not a sync cache"):
        as_async(42)  # type: ignore[call-overload]
