# expect-report: 15:12: CLT106 unsafe fix available: use pattern.pattern_type ('type' is the alias of field 'pattern_type')
"""Without --unsafe-fixes the alias fix is listed; the safe field fix still applies."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Pattern(BaseModel):
    pattern_type: str = Field(alias="type")
    confidence: float = 0.0


def kind(pattern: Pattern) -> str:
    return pattern.get("type", "unknown")


def confidence(pattern: Pattern) -> float:
    return pattern["confidence"]
