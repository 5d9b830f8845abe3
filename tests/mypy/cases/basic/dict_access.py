"""CLT106: dict-style access on a Pydantic model, beside mypy's own error."""

from __future__ import annotations

from typing import Any

from shop.models import Mapping_, Pattern


def parameter(pattern: Pattern) -> object:
    return pattern.get("confidence", 0.0)  # E: "Pattern" has no attribute "get"  [attr-defined]  # E: dict-style .get() on 'pattern', declared Pattern (a Pydantic model, not a dict); use attribute access ('pattern.confidence')  [cachelint-dict-access-on-model]


def loop(patterns: list[Pattern]) -> list[str]:
    names = []
    for pattern in patterns:
        names.extend(pattern.keys())  # E: "Pattern" has no attribute "keys"  [attr-defined]  # E: dict-style .keys() on 'pattern', declared Pattern (a Pydantic model, not a dict); use attribute access  [cachelint-dict-access-on-model]
    return names


def narrowed(pattern: Pattern | None) -> object:
    if pattern is not None:
        return pattern["kind"]  # E: Value of type "Pattern" is not indexable  [index]  # E: dict-style ["kind"] on 'pattern', declared Pattern (a Pydantic model, not a dict); use attribute access ('pattern.kind')  [cachelint-dict-access-on-model]
    return None


def from_call(patterns: list[Pattern]) -> object:
    return patterns[0].items()  # E: "Pattern" has no attribute "items"  [attr-defined]  # E: dict-style .items() on 'patterns[0]', declared Pattern (a Pydantic model, not a dict); use attribute access  [cachelint-dict-access-on-model]


def model_with_get(mapping: Mapping_) -> str | None:
    return mapping.get("k")


def plain_dict(data: dict[str, Any]) -> Any:
    return data.get("kind")


def attribute_access(pattern: Pattern) -> float:
    return pattern.confidence
