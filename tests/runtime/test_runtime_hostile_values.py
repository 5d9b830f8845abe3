"""A stored value that raises when it is inspected is a logged miss, never the caller's exception.

Decoding looks into what the sync cache returned (``__contains__``, ``.get``,
``__eq__``/``__ne__``, ``__len__``, iteration, attribute lookups made by
``isinstance``); the backend's own exceptions are formatted into log lines.
All of it happens inside the manager's fault boundary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NoReturn

import pytest
from memory_cache import CacheManager
from runtime_support import PatternAnalysis, patterns, run

from cachelint.runtime import AsyncCacheManager, BreakerState, CacheKey
from cachelint.runtime.codec import EMPTY_LIST_SCHEMA, ENVELOPE_MARK, list_codec

KEY = CacheKey("analyze_patterns", "hostile")
FINGERPRINT = list_codec(PatternAnalysis).fingerprint


class Boom(Exception):
    pass


def _boom(*_: object, **__: object) -> NoReturn:
    raise Boom("inspected")


class RaisingGet(dict[str, Any]):
    get = _boom


class RaisingContains(dict[str, Any]):
    __contains__ = _boom


class RaisingCompare:
    __eq__ = _boom
    __ne__ = _boom
    __hash__ = object.__hash__


class RaisingEqList(list[Any]):
    __eq__ = _boom
    __ne__ = _boom


class RaisingIterList(list[Any]):
    __iter__ = _boom
    __len__ = _boom


class RaisingItems(dict[str, Any]):
    items = _boom
    __iter__ = _boom
    __len__ = _boom


class RaisingGetattr:
    def __getattr__(self, name: str) -> NoReturn:
        raise Boom(name)


class RaisingClass:
    @property  # type: ignore[misc]
    def __class__(self) -> NoReturn:  # noqa: PLW3201
        raise Boom("__class__")


def _envelope(**fields: Any) -> dict[str, Any]:
    return {ENVELOPE_MARK: 1, "schema": FINGERPRINT, "data": [], **fields}


# Factories: pytest itself would trip over some of these values at collection.
HOSTILE: list[tuple[str, Callable[[], object]]] = [
    ("envelope whose .get raises", lambda: RaisingGet(_envelope())),
    ("dict whose __contains__ raises", lambda: RaisingContains(_envelope())),
    ("envelope mark whose __ne__ raises", lambda: {ENVELOPE_MARK: RaisingCompare(), "data": []}),
    ("schema whose __ne__ raises", lambda: _envelope(schema=RaisingCompare())),
    ("empty list whose __eq__ raises", lambda: _envelope(schema=EMPTY_LIST_SCHEMA, data=RaisingEqList())),
    ("object whose __getattr__ raises", RaisingGetattr),
    ("object whose __class__ raises", RaisingClass),
    ("legacy list whose __len__ and iteration raise", lambda: RaisingIterList([patterns(1)[0]])),
    ("legacy dict whose items and iteration raise", lambda: RaisingItems(pattern="p", confidence=1.0)),
]


@pytest.mark.parametrize("offload", [False, True], ids=["inline", "offload"])
@pytest.mark.parametrize("stored", [make for _, make in HOSTILE], ids=[name for name, _ in HOSTILE])
def test_a_value_that_raises_when_inspected_is_a_logged_miss(
    sync_cache: CacheManager, stored: Callable[[], object], offload: bool, caplog: pytest.LogCaptureFixture
) -> None:
    sync_cache.set(*KEY, stored())
    cache = AsyncCacheManager(sync_cache, offload=offload)
    with caplog.at_level(logging.WARNING, logger="cachelint.runtime"):
        assert run(cache.get_list(KEY, PatternAnalysis)) is None
    stats = cache.stats()
    assert (stats.misses, stats.invalid, stats.errors) == (1, 1, 0)
    assert cache.breaker_state is BreakerState.CLOSED  # the backend did its job
    assert sync_cache.raw(*KEY) is None  # evicted
    [record] = [r for r in caplog.records if getattr(r, "outcome", None) in ("corrupt", "legacy_invalid")]
    assert record.levelno == logging.WARNING


def test_get_model_and_get_or_compute_survive_a_hostile_value(sync_cache: CacheManager) -> None:
    cache = AsyncCacheManager(sync_cache)
    model = patterns(1)[0]
    sync_cache.set(*KEY, RaisingGetattr())
    assert run(cache.get_model(KEY, PatternAnalysis)) is None
    sync_cache.set(*KEY, RaisingContains(_envelope()))
    assert run(cache.get_or_compute(KEY, PatternAnalysis, lambda: model)) == model
    assert run(cache.get_model(KEY, PatternAnalysis)) == model  # the computed value replaced it


class Unprintable(Exception):
    def __str__(self) -> str:
        raise Boom("__str__")


class UnprintableCache(CacheManager):
    def get(self, cache_type: str, content_key: str) -> Any:
        raise Unprintable

    def set(self, cache_type: str, content_key: str, value: Any, ttl_override: float | None = None) -> None:
        raise Unprintable


@pytest.mark.parametrize("offload", [False, True], ids=["inline", "offload"])
def test_a_backend_exception_that_cannot_be_printed_is_still_a_logged_fault(
    offload: bool, caplog: pytest.LogCaptureFixture
) -> None:
    cache = AsyncCacheManager(UnprintableCache(), offload=offload)

    async def scenario() -> None:
        assert await cache.get_list(KEY, PatternAnalysis) is None
        await cache.set_list(KEY, patterns(1))

    with caplog.at_level(logging.WARNING, logger="cachelint.runtime"):
        run(scenario())
    assert cache.stats().errors == 2
    faults = [r.getMessage() for r in caplog.records if getattr(r, "outcome", None) == "error"]
    assert len(faults) == 2 and all("Unprintable: <unprintable>" in m for m in faults)
