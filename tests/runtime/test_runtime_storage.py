"""What reaches the sync cache, and what comes back: envelopes, schemas, legacy and corrupt entries."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from memory_cache import CacheManager
from pydantic import BaseModel, ConfigDict, TypeAdapter
from runtime_support import Finding, PatternAnalysis, patterns, run

from cachelint.runtime import AsyncCacheManager, CacheKey
from cachelint.runtime.codec import ENVELOPE_MARK, list_codec, model_codec

KEY = CacheKey("analyze_patterns", "k1")


def _is_json_data(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json_data(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_is_json_data(v) for v in value)
    return value is None or isinstance(value, (str, int, float, bool))


def test_set_list_stores_a_json_compatible_envelope(sync_cache: CacheManager) -> None:
    cache = AsyncCacheManager(sync_cache)
    run(cache.set_list(KEY, patterns(2)))
    raw = sync_cache.raw(*KEY)
    assert _is_json_data(raw)
    assert raw[ENVELOPE_MARK] == 1
    assert raw["schema"] == list_codec(PatternAnalysis).fingerprint
    assert raw["data"] == [
        {"pattern": "p0", "confidence": 0.0, "evidence": ["e0"]},
        {"pattern": "p1", "confidence": 0.1, "evidence": ["e1"]},
    ]
    json.dumps(raw)  # really JSON


def test_round_trip_single_and_list(sync_cache: CacheManager) -> None:
    cache = AsyncCacheManager(sync_cache)
    finding = Finding(title="t", seen_at=datetime(2025, 1, 16, tzinfo=timezone.utc))

    async def scenario() -> None:
        await cache.set_model(CacheKey("f", "1"), finding)
        await cache.set_list(KEY, patterns(3))
        got = await cache.get_model(CacheKey("f", "1"), Finding)
        assert got == finding and isinstance(got, Finding)
        items = await cache.get_list(KEY, PatternAnalysis)
        assert items == patterns(3)
        assert all(isinstance(p, PatternAnalysis) for p in items or [])

    run(scenario())


def test_values_read_back_are_copies(sync_cache: CacheManager) -> None:
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        await cache.set_list(KEY, patterns(1))
        first = await cache.get_list(KEY, PatternAnalysis)
        assert first is not None
        first[0].evidence.append("mutated")
        assert await cache.get_list(KEY, PatternAnalysis) == patterns(1)

    run(scenario())


def test_single_and_list_do_not_mix(sync_cache: CacheManager) -> None:
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        await cache.set_model(KEY, patterns(1)[0])
        assert await cache.get_list(KEY, PatternAnalysis) is None

    run(scenario())
    assert KEY not in sync_cache  # evicted as stale


def test_empty_list_round_trips_without_a_model_class(sync_cache: CacheManager) -> None:
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        await cache.set_list(KEY, [])
        assert await cache.get_list(KEY, PatternAnalysis) == []
        assert await cache.get_value(KEY, TypeAdapter(list[Finding])) == []
        assert await cache.get_model(KEY, PatternAnalysis) is None

    run(scenario())


def test_schema_change_is_a_miss_and_evicts(sync_cache: CacheManager) -> None:
    writer = AsyncCacheManager(sync_cache)
    run(writer.set_list(KEY, patterns(2)))

    class PatternAnalysis(BaseModel):  # the next deploy: a field changed type
        pattern: str
        confidence: str
        evidence: list[str] = []

    reader = AsyncCacheManager(sync_cache)
    assert run(reader.get_list(KEY, PatternAnalysis)) is None
    assert KEY not in sync_cache
    assert reader.stats().invalid == 1


def test_docstring_edits_keep_the_fingerprint() -> None:
    class A(BaseModel):
        """Old docs."""

        description: str
        title: int

    class B(BaseModel):
        """New docs, same fields (including ones named like schema keywords)."""

        description: str
        title: int

    class C(BaseModel):
        description: str
        title: str

    assert model_codec(A).fingerprint == model_codec(B).fingerprint
    assert model_codec(A).fingerprint != model_codec(C).fingerprint


def test_legacy_raw_dict_that_validates_is_returned_as_model(
    sync_cache: CacheManager,
) -> None:
    sync_cache.set("f", "1", {"pattern": "p", "confidence": 0.5})
    sync_cache.set(
        "f",
        "2",
        [
            {"pattern": "p", "confidence": 0.5},
            PatternAnalysis(pattern="q", confidence=1),
        ],
    )
    sync_cache.set("f", "3", PatternAnalysis(pattern="r", confidence=0.1))
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        assert await cache.get_model(
            CacheKey("f", "1"), PatternAnalysis
        ) == PatternAnalysis(pattern="p", confidence=0.5)
        assert await cache.get_list(CacheKey("f", "2"), PatternAnalysis) == [
            PatternAnalysis(pattern="p", confidence=0.5),
            PatternAnalysis(pattern="q", confidence=1),
        ]
        assert await cache.get_model(
            CacheKey("f", "3"), PatternAnalysis
        ) == PatternAnalysis(pattern="r", confidence=0.1)

    run(scenario())
    assert cache.stats().hits == 3


def test_legacy_values_that_do_not_validate_are_misses(
    sync_cache: CacheManager,
) -> None:
    sync_cache.set("f", "1", {"unrelated": True})
    sync_cache.set("f", "2", [{"pattern": "p"}])  # missing field
    sync_cache.set(
        "f", "3", Finding(title="x", seen_at=datetime(2025, 1, 1))
    )  # another model
    sync_cache.set(
        "f", "4", PatternAnalysis(pattern="p", confidence=1)
    )  # a model where a list is wanted
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        assert await cache.get_model(CacheKey("f", "1"), PatternAnalysis) is None
        assert await cache.get_list(CacheKey("f", "2"), PatternAnalysis) is None
        assert await cache.get_model(CacheKey("f", "3"), PatternAnalysis) is None
        assert await cache.get_list(CacheKey("f", "4"), PatternAnalysis) is None

    run(scenario())
    assert len(sync_cache) == 0
    assert cache.stats().invalid == 4


# Ids are spelled out, not repr(): an object's repr carries its address, which
# differs between pytest-xdist workers and makes their collections disagree.
@pytest.mark.parametrize(
    "garbage",
    [
        pytest.param(b"\x80\x04\x95garbage", id="pickle-bytes"),
        pytest.param("not json at all", id="text"),
        pytest.param('{"pattern": "p", "confidence": 0.5}', id="json-text"),  # JSON text is not an entry
        pytest.param(12345, id="int"),
        pytest.param(3.5, id="float"),
        pytest.param(object(), id="object"),
        pytest.param({ENVELOPE_MARK: 2, "schema": "x", "data": {}}, id="envelope-unknown-version"),
        pytest.param({ENVELOPE_MARK: 1, "schema": "x"}, id="envelope-no-data"),
        pytest.param({ENVELOPE_MARK: "1", "data": []}, id="envelope-version-as-text"),
    ],
)
def test_corrupt_entries_are_misses_and_evicted(
    sync_cache: CacheManager, garbage: Any
) -> None:
    sync_cache.set(*KEY, garbage)
    cache = AsyncCacheManager(sync_cache)
    assert run(cache.get_model(KEY, PatternAnalysis)) is None
    assert KEY not in sync_cache
    assert cache.stats().invalid == 1


def test_envelope_with_right_schema_but_bad_data_is_corrupt(
    sync_cache: CacheManager,
) -> None:
    fingerprint = model_codec(PatternAnalysis).fingerprint
    sync_cache.set(
        *KEY, {ENVELOPE_MARK: 1, "schema": fingerprint, "data": {"pattern": 1}}
    )
    cache = AsyncCacheManager(sync_cache)
    assert run(cache.get_model(KEY, PatternAnalysis)) is None
    assert KEY not in sync_cache


def test_without_delete_unreadable_entries_stay_but_still_miss() -> None:
    class NoDelete:
        def __init__(self) -> None:
            self.data: dict[tuple[str, str], object] = {}

        def get(self, cache_type: str, content_key: str) -> object:
            return self.data.get((cache_type, content_key))

        def set(self, cache_type: str, content_key: str, value: object) -> None:
            self.data[(cache_type, content_key)] = value

    backend = NoDelete()
    backend.set(*KEY, "garbage")
    cache = AsyncCacheManager(backend)
    assert run(cache.get_model(KEY, PatternAnalysis)) is None
    assert backend.data[KEY] == "garbage"


def test_strict_models_round_trip_json_mode_data(sync_cache: CacheManager) -> None:
    class Strict(BaseModel):
        model_config = ConfigDict(strict=True)
        when: datetime
        tags: tuple[str, ...]

    value = Strict(when=datetime(2025, 1, 16, tzinfo=timezone.utc), tags=("a", "b"))
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        await cache.set_model(KEY, value)
        assert await cache.get_model(KEY, Strict) == value

    run(scenario())


def test_type_adapter_values(sync_cache: CacheManager) -> None:
    adapter = TypeAdapter(dict[str, list[int]])
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        await cache.set_value(KEY, adapter, {"a": [1, 2]})
        assert await cache.get_value(KEY, adapter) == {"a": [1, 2]}
        assert await cache.get_value(KEY, TypeAdapter(list[int])) is None

    run(scenario())


def test_unserializable_values_are_not_stored(
    sync_cache: CacheManager, caplog: pytest.LogCaptureFixture
) -> None:
    cache = AsyncCacheManager(sync_cache)
    adapter = TypeAdapter(list[int])
    not_ints: Any = ["not", "ints"]
    run(cache.set_value(KEY, adapter, not_ints))
    assert KEY not in sync_cache
    assert any(getattr(r, "outcome", None) == "unserializable" for r in caplog.records)


def test_ttl_is_passed_to_the_sync_cache(sync_cache: CacheManager, clock: Any) -> None:
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        await cache.set_list(KEY, patterns(1), ttl=10)
        clock.advance(5)
        assert await cache.get_list(KEY, PatternAnalysis) == patterns(1)
        clock.advance(6)
        assert await cache.get_list(KEY, PatternAnalysis) is None

    run(scenario())


def test_memory_cache_lru_and_ttl(clock: Any) -> None:
    cache = CacheManager(max_size=2, default_ttl=10, clock=clock)
    cache.set("t", "a", 1)
    cache.set("t", "b", 2)
    assert cache.get("t", "a") == 1  # a is now most recent
    cache.set("t", "c", 3)
    assert cache.get("t", "b") is None and cache.get("t", "a") == 1
    cache.set("t", "d", 4, ttl_override=100)
    clock.advance(10)
    assert cache.get("t", "d") == 4 and cache.get("t", "c") is None
    assert cache.delete("t", "d") and not cache.delete("t", "d")
