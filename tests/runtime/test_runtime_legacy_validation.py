"""Legacy entries holding live model instances are validated, never returned as stored.

Legacy code put raw model objects into the sync cache. Pydantic passes an
instance of the requested class through without validating it, so an instance
built with ``model_construct`` (or mutated after validation) used to come back
from ``get_model`` / ``get_list`` with whatever its fields held.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import pytest
from memory_cache import CacheManager
from pydantic import BaseModel, ConfigDict, Field, RootModel, TypeAdapter
from runtime_support import PatternAnalysis, run

from cachelint.runtime import AsyncCacheManager, CacheKey

KEY = CacheKey("analyze_patterns", "legacy")


class Inner(BaseModel):
    score: int


class Outer(BaseModel):
    name: str
    inner: Inner


class Aliased(BaseModel):
    pattern_name: str = Field(alias="patternName")


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str


class Scores(RootModel[list[int]]):
    pass


@dataclasses.dataclass
class Point:
    x: int


class Located(BaseModel):
    where: Point


def _outer_with_bad_inner() -> Outer:
    # The constructor validates ``Outer`` but passes the ``Inner`` instance through.
    return Outer(name="o", inner=Inner.model_construct(score="not a number"))


def _mutated() -> PatternAnalysis:
    model = PatternAnalysis(pattern="p", confidence=0.5)
    model.confidence = "high"  # type: ignore[assignment]  # no validate_assignment
    return model


INVALID_MODELS: list[tuple[str, Any, type[BaseModel]]] = [
    ("wrong field types", PatternAnalysis.model_construct(pattern=123, confidence="high"), PatternAnalysis),
    ("missing required field", PatternAnalysis.model_construct(pattern="p"), PatternAnalysis),
    ("mutated after validation", _mutated(), PatternAnalysis),
    ("invalid nested instance", _outer_with_bad_inner(), Outer),
    ("invalid nested dataclass", Located(where=Point.__new__(Point)), Located),
    ("root model", Scores.model_construct(["x"]), Scores),
    ("inside a legacy dict", {"name": "o", "inner": Inner.model_construct(score="x")}, Outer),
]


@pytest.mark.parametrize(("stored", "model"), [c[1:] for c in INVALID_MODELS], ids=[c[0] for c in INVALID_MODELS])
def test_get_model_refuses_an_invalid_stored_instance(
    sync_cache: CacheManager, stored: Any, model: type[BaseModel]
) -> None:
    sync_cache.set(*KEY, stored)
    cache = AsyncCacheManager(sync_cache)
    assert run(cache.get_model(KEY, model)) is None
    assert cache.stats().invalid == 1
    assert sync_cache.raw(*KEY) is None  # evicted like any unreadable entry


def test_get_list_refuses_a_list_holding_one_invalid_instance(sync_cache: CacheManager) -> None:
    good = PatternAnalysis(pattern="p", confidence=0.5)
    sync_cache.set(*KEY, [good, PatternAnalysis.model_construct(pattern="q", confidence="x")])
    cache = AsyncCacheManager(sync_cache)
    assert run(cache.get_list(KEY, PatternAnalysis)) is None
    assert cache.stats().invalid == 1


def test_valid_constructed_instances_come_back_validated_not_as_stored(sync_cache: CacheManager) -> None:
    stored = PatternAnalysis.model_construct(pattern="p", confidence="0.5", evidence=["e"])
    sync_cache.set("f", "1", stored)
    sync_cache.set("f", "2", [stored, PatternAnalysis(pattern="q", confidence=1)])
    cache = AsyncCacheManager(sync_cache)
    model = run(cache.get_model(CacheKey("f", "1"), PatternAnalysis))
    assert model is not None and model is not stored
    assert model.confidence == 0.5 and isinstance(model.confidence, float)  # validated (coerced)
    listed = run(cache.get_list(CacheKey("f", "2"), PatternAnalysis))
    assert listed is not None and listed[0] is not stored
    assert [m.confidence for m in listed] == [0.5, 1.0]
    assert cache.stats().hits == 2


def test_revalidation_keeps_aliases_extras_and_nested_models(sync_cache: CacheManager) -> None:
    sync_cache.set("f", "alias", Aliased.model_construct(pattern_name="p"))
    sync_cache.set("f", "extra", Loose(name="n", colour="red"))
    sync_cache.set("f", "nested", Outer(name="o", inner=Inner(score=3)))
    sync_cache.set("f", "root", Scores([1, 2]))
    sync_cache.set("f", "dataclass", Located(where=Point(x=1)))
    cache = AsyncCacheManager(sync_cache)

    async def scenario() -> None:
        aliased = await cache.get_model(CacheKey("f", "alias"), Aliased)
        assert aliased is not None and aliased.pattern_name == "p"
        loose = await cache.get_model(CacheKey("f", "extra"), Loose)
        assert loose is not None and loose.model_extra == {"colour": "red"}
        assert await cache.get_model(CacheKey("f", "nested"), Outer) == Outer(name="o", inner=Inner(score=3))
        assert await cache.get_model(CacheKey("f", "root"), Scores) == Scores([1, 2])
        assert await cache.get_model(CacheKey("f", "dataclass"), Located) == Located(where=Point(x=1))

    run(scenario())
    assert cache.stats().hits == 5 and cache.stats().invalid == 0


def test_get_value_revalidates_instances_too(sync_cache: CacheManager) -> None:
    sync_cache.set(*KEY, {"a": PatternAnalysis.model_construct(pattern="p", confidence=[])})
    cache = AsyncCacheManager(sync_cache)
    assert run(cache.get_value(KEY, TypeAdapter(dict[str, PatternAnalysis]))) is None


def test_a_stored_instance_that_contains_itself_is_a_miss(sync_cache: CacheManager) -> None:
    class Node(BaseModel):
        children: list[Node] = []

    node = Node()
    node.children.append(node)
    sync_cache.set(*KEY, node)
    cache = AsyncCacheManager(sync_cache)
    assert run(cache.get_model(KEY, Node)) is None
    assert cache.stats().invalid == 1


def test_only_fields_are_revalidated_not_other_instance_attributes(sync_cache: CacheManager) -> None:
    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid")
        name: str

        @functools.cached_property
        def shout(self) -> str:
            return self.name.upper()

    stored = Strict(name="n")
    assert stored.shout == "N"  # now in the instance's __dict__, but no field
    sync_cache.set(*KEY, stored)
    cache = AsyncCacheManager(sync_cache)
    assert run(cache.get_model(KEY, Strict)) == Strict(name="n")
