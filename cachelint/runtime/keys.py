"""Cache keys: the ``(cache_type, content_key)`` pair every sync cache expects.

``CacheKey.for_content`` derives ``content_key`` from arbitrary content as the
SHA-256 of a canonical JSON encoding. The encoding is stable across processes,
Python runs and ``PYTHONHASHSEED`` values: dict keys are sorted, set elements
are ordered by their own canonical encoding, and nothing depends on ``str()``
of an object, a memory address or ``hash()``. Content that has no canonical
JSON form raises ``TypeError``.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError, to_jsonable_python

__all__ = ["CacheKey", "canonical_json"]

_SCALARS = (str, int, float, bool, type(None))


class CacheKey(NamedTuple):
    """Where a value lives in a sync cache: ``get(cache_type, content_key)``."""

    cache_type: str
    content_key: str

    @classmethod
    def for_content(cls, cache_type: str, /, *content: object, **named: object) -> CacheKey:
        """Key for *content*: ``sha256`` of its canonical JSON, in hex.

        Positional and keyword content both count; keyword order does not.
        Raises ``TypeError`` for content without a canonical JSON form.
        """
        positional = [_canonical(item, f"content[{i}]", set()) for i, item in enumerate(content)]
        keywords = {name: _canonical(value, name, set()) for name, value in named.items()}
        payload = _dumps([positional, keywords])
        return cls(cache_type, hashlib.sha256(payload.encode("utf-8")).hexdigest())


def canonical_json(content: object) -> str:
    """The canonical JSON text of *content* (see the module docstring).

    Raises ``TypeError`` naming the unsupported type and where it was found.
    """
    return _dumps(_canonical(content, "content", set()))


def _dumps(canonical: Any) -> str:
    return json.dumps(
        canonical,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=True,
    )


def _canonical(value: object, path: str, active: set[int]) -> Any:
    if isinstance(value, _SCALARS) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, enum.Enum):
        return _canonical(value.value, path, active)
    marker = id(value)
    if marker in active:
        raise TypeError(f"cannot derive a cache key: {path} refers to itself (cyclic content)")
    active.add(marker)
    try:
        return _container(value, path, active)
    finally:
        active.discard(marker)


def _container(value: object, path: str, active: set[int]) -> Any:
    if isinstance(value, BaseModel):
        # Python mode keeps sets as sets, so their order is canonicalised below.
        return _canonical(value.model_dump(mode="python"), path, active)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _canonical(getattr(value, field.name), f"{path}.{field.name}", active)
            for field in dataclasses.fields(value)
        }
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            name = k if isinstance(k, str) else "\x00" + canonical_json(k)
            out[name] = _canonical(v, f"{path}[{k!r}]", active)
        return out
    if isinstance(value, (list, tuple)):
        return [_canonical(item, f"{path}[{i}]", active) for i, item in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        items = [_canonical(item, f"{path}{{...}}", active) for item in value]
        return sorted(items, key=_sort_key)
    try:
        return to_jsonable_python(value, bytes_mode="base64", timedelta_mode="iso8601")
    except PydanticSerializationError:
        raise TypeError(
            f"cannot derive a cache key from {type(value).__module__}.{type(value).__qualname__}"
            f" at {path}: use Pydantic models, dataclasses, dicts, lists, tuples, sets,"
            " enums, datetimes or primitives"
        ) from None


def _sort_key(item: Any) -> str:
    return _dumps(item)
