"""Dict-style reads of declared fields (CLT106, inherited ones too) become attribute access: a safe fix."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel


class Base(BaseModel):
    confidence: float


class Pattern(Base):
    name: str


def detect() -> list[Pattern]:
    return [Pattern(confidence=0.9, name="a")]


async def strong() -> list[Pattern]:
    await asyncio.sleep(0)
    found: list[Pattern] = []
    for pattern in detect():
        if pattern.confidence > 0.5:
            found.append(pattern)
    return found


def names(patterns: list[Pattern]) -> list[str]:
    return [p.name for p in patterns] + [(patterns[0]).name]
