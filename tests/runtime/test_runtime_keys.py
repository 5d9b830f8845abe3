"""CacheKey: direct construction and deterministic content keys."""

from __future__ import annotations

import dataclasses
import enum
import textwrap
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import pytest
from processes import REPO, python
from pydantic import BaseModel
from runtime_support import PatternAnalysis

from cachelint.runtime import CacheKey
from cachelint.runtime.keys import canonical_json


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclasses.dataclass
class Chunk:
    text: str
    tags: frozenset[str]


class Query(BaseModel):
    terms: set[str]
    limit: int


def test_direct_construction_is_a_hashable_pair() -> None:
    key = CacheKey("analyze_patterns", "abc")
    cache_type, content_key = key
    assert (cache_type, content_key) == ("analyze_patterns", "abc")
    assert key.cache_type == "analyze_patterns" and key.content_key == "abc"
    assert {key: 1}[CacheKey("analyze_patterns", "abc")] == 1
    with pytest.raises(AttributeError):
        key.cache_type = "other"  # type: ignore[misc]


def test_for_content_is_sha256_hex_and_keeps_cache_type() -> None:
    key = CacheKey.for_content("analyze_patterns", ["chunk one", "chunk two"])
    assert key.cache_type == "analyze_patterns"
    assert len(key.content_key) == 64
    assert int(key.content_key, 16) >= 0


def test_dict_order_is_irrelevant() -> None:
    a = CacheKey.for_content("t", {"b": 1, "a": [1, 2], "c": {"y": 1, "x": 2}})
    b = CacheKey.for_content("t", {"c": {"x": 2, "y": 1}, "a": [1, 2], "b": 1})
    assert a == b


def test_keyword_order_is_irrelevant_but_values_matter() -> None:
    assert CacheKey.for_content("t", depth=2, mode="x") == CacheKey.for_content(
        "t", mode="x", depth=2
    )
    assert CacheKey.for_content("t", depth=2) != CacheKey.for_content("t", depth=3)
    assert CacheKey.for_content("t", 2) != CacheKey.for_content("t", depth=2)


def test_list_order_and_types_matter() -> None:
    assert CacheKey.for_content("t", [1, 2]) != CacheKey.for_content("t", [2, 1])
    assert CacheKey.for_content("t", 1) != CacheKey.for_content("t", "1")
    assert CacheKey.for_content("t", True) != CacheKey.for_content("t", 1)
    assert CacheKey.for_content("t", {1: "a"}) != CacheKey.for_content("t", {"1": "a"})


def test_sets_are_order_independent() -> None:
    assert CacheKey.for_content("t", {"b", "a", "c"}) == CacheKey.for_content(
        "t", {"c", "a", "b"}
    )
    assert CacheKey.for_content("t", frozenset({3, 1})) == CacheKey.for_content(
        "t", {1, 3}
    )


def test_models_dataclasses_enums_and_datetimes() -> None:
    when = datetime(2025, 1, 16, 12, 0, tzinfo=timezone.utc)
    content = [
        PatternAnalysis(pattern="p", confidence=0.5),
        Chunk(text="x", tags=frozenset({"b", "a"})),
        Colour.RED,
        when,
        date(2025, 1, 16),
        timedelta(seconds=90),
        Decimal("1.50"),
        UUID(int=7),
        b"\x00\xff",
        Query(terms={"z", "y"}, limit=3),
        (1, None, 2.5),
    ]
    key = CacheKey.for_content("t", content)
    assert key == CacheKey.for_content("t", list(content))
    assert key != CacheKey.for_content("t", [*content[:2], Colour.BLUE, *content[3:]])
    # A model and the same data as a dict share a key: the key is about content.
    assert CacheKey.for_content(
        "t", PatternAnalysis(pattern="p", confidence=0.5)
    ) == CacheKey.for_content("t", {"pattern": "p", "confidence": 0.5, "evidence": []})


def test_unsupported_content_raises_type_error() -> None:
    class Opaque:
        pass

    with pytest.raises(
        TypeError, match=r"cannot derive a cache key from .*Opaque at content\[0\]\[1\]"
    ):
        CacheKey.for_content("t", [1, Opaque()])
    with pytest.raises(TypeError, match="cannot derive"):
        CacheKey.for_content("t", lambda: 1)


def test_cyclic_content_raises_type_error() -> None:
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(TypeError, match="cyclic"):
        CacheKey.for_content("t", loop)
    shared = [1]
    assert CacheKey.for_content("t", [shared, shared])  # repetition is not a cycle


def test_canonical_json_is_compact_and_sorted() -> None:
    assert canonical_json({"b": 1, "a": (1, 2)}) == '{"a":[1,2],"b":1}'


_SCRIPT = textwrap.dedent(
    """
    import dataclasses, enum
    from datetime import datetime, timezone
    from pydantic import BaseModel
    from cachelint.runtime import CacheKey

    class Colour(enum.Enum):
        RED = "red"

    @dataclasses.dataclass
    class Chunk:
        text: str
        tags: frozenset

    class Query(BaseModel):
        terms: set[str]
        limit: int

    content = {
        "words": {"alpha", "beta", "gamma", "delta", "epsilon"},
        "chunk": Chunk("x", frozenset({"k1", "k2", "k3"})),
        "query": Query(terms={"q1", "q2", "q3", "q4"}, limit=5),
        "when": datetime(2025, 1, 16, tzinfo=timezone.utc),
        "colour": Colour.RED,
    }
    print(CacheKey.for_content("analyze_patterns", content, depth=2).content_key)
    """
)


def test_stable_across_processes_and_hash_seeds() -> None:
    keys = set()
    for seed in ("0", "1", "12345"):
        done = python("-c", _SCRIPT, cwd=REPO, env={"PYTHONHASHSEED": seed})
        assert done.code == 0, done.err
        keys.add(done.out.strip())
    assert len(keys) == 1
    assert len(keys.pop()) == 64
