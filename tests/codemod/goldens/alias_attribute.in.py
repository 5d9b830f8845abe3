# args: --unsafe-fixes
"""A key that is a Field alias becomes the field's attribute with --unsafe-fixes; a field key is safe."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Pattern(BaseModel):
    pattern_type: str = Field(alias="type")
    confidence: float = 0.0


def kind(pattern: Pattern) -> str:
    return pattern.get("type", "unknown")


def confidence(pattern: Pattern) -> float:
    return pattern["confidence"]
