"""Serialization of cached values through Pydantic ``TypeAdapter``.

What reaches the sync cache is JSON-compatible data wrapped in an envelope
tagged with a schema fingerprint::

    {"__cachelint__": 1, "schema": "<sha256>", "data": <JSON-compatible data>}

The fingerprint is the SHA-256 of the type's JSON (validation) schema with
documentation-only keys (``title``, ``description``, ``examples``) removed, so
editing a docstring keeps entries readable while adding, removing or retyping a
field does not. ``list[M]`` and ``M`` have different schemas, hence different
fingerprints; ``get_list(key, M)`` and ``TypeAdapter(list[M])`` share one.

Decoding never returns a wrongly typed value: an envelope for another schema is
``STALE``, anything unreadable is ``CORRUPT``, and an un-enveloped legacy value
(a model instance, a dict, or a list of them, as old code stored) is returned
only if it validates against the requested type (``LEGACY_HIT``), else it is
``LEGACY_INVALID``.

Pydantic passes an instance of the requested model through unvalidated (its
default ``revalidate_instances="never"``), so a legacy value holding live
instances — e.g. built with ``model_construct``, or mutated after validation —
is validated twice: once as stored, which keeps the classes honest (an
instance of another model is still refused), and once with every model and
dataclass instance inside replaced by its field values (see ``plain``), whose
result is what is returned. Nothing a legacy entry holds reaches the caller
unvalidated.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from typing import Any, Final, Generic, TypeVar, final

from pydantic import BaseModel, TypeAdapter
from pydantic.errors import PydanticUserError

from .plain import plain

__all__ = [
    "ABSENT",
    "CORRUPT",
    "EMPTY_LIST_SCHEMA",
    "ENVELOPE_MARK",
    "ENVELOPE_VERSION",
    "HIT",
    "LEGACY_HIT",
    "LEGACY_INVALID",
    "STALE",
    "Codec",
    "Outcome",
    "adapter_codec",
    "list_codec",
    "model_codec",
]

T = TypeVar("T")

ENVELOPE_MARK: Final = "__cachelint__"
ENVELOPE_VERSION: Final = 1
# The fingerprint of an empty list stored without an element type: every
# type that accepts ``[]`` reads it back.
EMPTY_LIST_SCHEMA: Final = "empty-list"

_DOC_KEYS = frozenset({"title", "description", "examples"})
# Schema keywords whose values map *names* (fields, definitions) to schemas:
# their keys are data, not keywords, and must never be stripped.
_NAME_MAPS = frozenset({"properties", "$defs", "definitions", "patternProperties", "dependentSchemas"})


@final
class Outcome:
    """How a raw value read from the sync cache was interpreted.

    A plain slotted object rather than an ``Enum``: it is inspected on every
    read, and enum hashing and ``.value`` are comparatively slow.
    """

    __slots__ = ("found", "name", "unreadable")

    def __init__(self, name: str, *, found: bool = False, unreadable: bool = False) -> None:
        self.name = name
        self.found = found
        self.unreadable = unreadable

    def __repr__(self) -> str:
        return f"Outcome({self.name!r})"


HIT: Final = Outcome("hit", found=True)
LEGACY_HIT: Final = Outcome("legacy_hit", found=True)
ABSENT: Final = Outcome("miss")
STALE: Final = Outcome("stale", unreadable=True)
CORRUPT: Final = Outcome("corrupt", unreadable=True)
LEGACY_INVALID: Final = Outcome("legacy_invalid", unreadable=True)


class Codec(Generic[T]):
    """Encodes values of one type into envelopes and decodes them back."""

    __slots__ = ("accepts_empty_list", "adapter", "fingerprint", "label")

    def __init__(self, adapter: TypeAdapter[T], label: str) -> None:
        self.adapter = adapter
        self.label = label
        self.fingerprint = schema_fingerprint(adapter, label)
        self.accepts_empty_list = _accepts_empty_list(adapter)

    def encode(self, value: T) -> dict[str, Any]:
        """The envelope for *value*; raises if *value* does not serialize as ``T``."""
        data = self.adapter.dump_python(value, mode="json", warnings="error")
        return {
            ENVELOPE_MARK: ENVELOPE_VERSION,
            "schema": self.fingerprint,
            "data": data,
        }

    def decode(self, raw: object) -> tuple[Outcome, T | None]:
        """Interpret *raw*; the value is not ``None`` only for ``HIT`` and ``LEGACY_HIT``."""
        if raw is None:
            return ABSENT, None
        if isinstance(raw, dict):
            if ENVELOPE_MARK in raw:
                return self._decode_envelope(raw)
            return self._decode_legacy(raw)
        if isinstance(raw, (BaseModel, list, tuple)):
            return self._decode_legacy(raw)
        return CORRUPT, None

    def _decode_envelope(self, raw: dict[Any, Any]) -> tuple[Outcome, T | None]:
        if raw[ENVELOPE_MARK] != ENVELOPE_VERSION or "data" not in raw:
            return CORRUPT, None
        data = raw["data"]
        if raw.get("schema") != self.fingerprint:
            if raw.get("schema") == EMPTY_LIST_SCHEMA and data == [] and self.accepts_empty_list:
                return HIT, self.adapter.validate_python([])
            return STALE, None
        try:
            return HIT, self.adapter.validate_python(data)
        except Exception:  # noqa: BLE001 - retried in JSON mode below
            return self._decode_json_mode(data)

    def _decode_json_mode(self, data: object) -> tuple[Outcome, T | None]:
        # Strict models reject JSON-mode data (e.g. ISO datetimes) in Python
        # mode; JSON mode is the exact inverse of how the data was dumped.
        try:
            return HIT, self.adapter.validate_json(json.dumps(data, allow_nan=True))
        except Exception:  # noqa: BLE001 - any validator failure means unreadable
            return CORRUPT, None

    def _decode_legacy(self, raw: object) -> tuple[Outcome, T | None]:
        try:
            value = self.adapter.validate_python(raw)
            data = plain(raw)
            if data is not raw:
                # Instances were passed through as stored: validate their
                # field values (by name, as ``__dict__`` holds them, or alias).
                value = self.adapter.validate_python(data, by_alias=True, by_name=True)
        except Exception:  # noqa: BLE001 - a legacy value that does not validate is a miss
            return LEGACY_INVALID, None
        return LEGACY_HIT, value


def schema_fingerprint(adapter: TypeAdapter[Any], label: str) -> str:
    """SHA-256 (hex) of the adapter's documentation-free JSON schema.

    Types without a JSON schema fall back to *label* (their qualified name),
    which is still stable across processes.
    """
    try:
        schema: object = _strip_docs(adapter.json_schema(mode="validation"))
    except (PydanticUserError, TypeError, ValueError, KeyError):
        schema = {"unschematized": label}
    text = json.dumps(
        {"format": ENVELOPE_VERSION, "schema": schema},
        sort_keys=True,
        separators=(",", ":"),
        default=repr,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _accepts_empty_list(adapter: TypeAdapter[Any]) -> bool:
    try:
        return bool(adapter.validate_python([]) == [])
    except Exception:  # noqa: BLE001
        return False


def _strip_docs(node: object, names: bool = False) -> object:
    if isinstance(node, dict):
        if names:
            return {k: _strip_docs(v) for k, v in node.items()}
        return {k: _strip_docs(v, k in _NAME_MAPS) for k, v in node.items() if k not in _DOC_KEYS}
    if isinstance(node, list):
        return [_strip_docs(item) for item in node]
    return node


_model_codecs: dict[type[BaseModel], Codec[Any]] = {}
_list_codecs: dict[type[BaseModel], Codec[Any]] = {}
_adapter_codecs: weakref.WeakKeyDictionary[TypeAdapter[Any], Codec[Any]] = weakref.WeakKeyDictionary()
_build_lock = threading.Lock()

M = TypeVar("M", bound=BaseModel)


def model_codec(model: type[M]) -> Codec[M]:
    """The (cached) codec for single instances of *model*."""
    codec = _model_codecs.get(model)
    if codec is None:
        with _build_lock:
            codec = _model_codecs.get(model)
            if codec is None:
                codec = Codec(TypeAdapter(model), _qualname(model))
                _model_codecs[model] = codec
    return codec


def list_codec(model: type[M]) -> Codec[list[M]]:
    """The (cached) codec for ``list[model]``."""
    codec = _list_codecs.get(model)
    if codec is None:
        with _build_lock:
            codec = _list_codecs.get(model)
            if codec is None:
                codec = Codec(TypeAdapter(list[model]), f"list[{_qualname(model)}]")  # type: ignore[valid-type]
                _list_codecs[model] = codec
    return codec


def adapter_codec(adapter: TypeAdapter[T]) -> Codec[T]:
    """The codec for a caller's ``TypeAdapter`` (cached while the adapter lives).

    Build adapters once (module level): a fresh adapter per call recomputes
    its fingerprint every time.
    """
    codec = _adapter_codecs.get(adapter)
    if codec is None:
        codec = Codec(adapter, repr(getattr(adapter, "_type", adapter)))
        with _build_lock:
            _adapter_codecs[adapter] = codec
    return codec


def _qualname(tp: type[Any]) -> str:
    return f"{tp.__module__}.{tp.__qualname__}"
