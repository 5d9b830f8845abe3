"""``plain``: a legacy cached value with its live model instances replaced by their field values.

Pydantic returns an instance of the requested model as it is, without
validating it, so a ``model_construct`` instance (or one mutated after
validation) stored raw by legacy code would reach the caller with whatever its
fields hold. ``plain`` turns every Pydantic model and dataclass instance inside
dicts, lists and tuples into a dict of its field values (a ``RootModel`` into
its root value), which Pydantic then has to validate field by field.

It returns *value* itself when nothing in it needed replacing, so callers can
skip a second validation. Cycles raise ``ValueError``; anything a hostile
value raises on inspection propagates (the codec turns it into a miss).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, RootModel

__all__ = ["plain"]

T = TypeVar("T")


def plain(value: object) -> object:
    """*value* with model and dataclass instances replaced by dicts of their fields (see the module docstring)."""
    return _plain(value, set())


def _plain(value: object, active: set[int]) -> object:
    if isinstance(value, (str, bytes, int, float, bool)) or value is None:
        return value
    if isinstance(value, (dict, list, tuple)):
        return _container(value, active)
    if isinstance(value, BaseModel):
        model = value
        return _enter(model, active, lambda: _model_fields(model, active))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        instance = value
        return _enter(instance, active, lambda: _dataclass_fields(instance, active))
    return value


def _container(value: dict[Any, Any] | list[Any] | tuple[Any, ...], active: set[int]) -> object:
    if isinstance(value, dict):
        pairs = list(value.items())  # one pass over a value that may not iterate the same twice
        converted = _enter(value, active, lambda: [(k, _plain(v, active)) for k, v in pairs])
        if all(new is old for (_, new), (_, old) in zip(converted, pairs, strict=True)):
            return value
        return dict(converted)
    items = list(value)
    plain_items = _enter(value, active, lambda: [_plain(v, active) for v in items])
    if all(new is old for new, old in zip(plain_items, items, strict=True)):
        return value
    return plain_items if isinstance(value, list) else tuple(plain_items)


def _enter(value: object, active: set[int], convert: Callable[[], T]) -> T:
    """``convert()`` with *value* marked as being converted, so a cycle back to it raises."""
    if id(value) in active:
        raise ValueError("a cached value that contains itself")
    active.add(id(value))
    try:
        return convert()
    finally:
        active.discard(id(value))


def _model_fields(model: BaseModel, active: set[int]) -> object:
    # ``__dict__`` holds the fields a ``model_construct`` call was given (a
    # missing required field is simply absent, so validation reports it), and
    # also anything else set on the instance, e.g. a ``cached_property``.
    stored = vars(model)
    if isinstance(model, RootModel):
        if "root" not in stored:
            raise ValueError(f"{type(model).__qualname__} instance without a root value")
        return _plain(stored["root"], active)
    fields = {name: stored[name] for name in type(model).model_fields if name in stored}
    extra = model.__pydantic_extra__
    if extra:
        fields.update(extra)
    return {name: _plain(field, active) for name, field in fields.items()}


def _dataclass_fields(instance: Any, active: set[int]) -> object:
    return {f.name: _plain(getattr(instance, f.name), active) for f in dataclasses.fields(instance) if f.init}
