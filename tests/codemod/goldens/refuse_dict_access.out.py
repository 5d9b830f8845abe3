# expect-report: 23:12: CLT106 needs manual fix: dict-style .get() on 'pattern'
"""Dict-style access on a model (CLT106) is a logic change the codemod never makes."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel


class Pattern(BaseModel):
    confidence: float


def detect() -> list[Pattern]:
    return [Pattern(confidence=0.9)]


async def strong() -> list[Pattern]:
    await asyncio.sleep(0)
    found: list[Pattern] = []
    for pattern in detect():
        if pattern.get("confidence", 0.0) > 0.5:
            found.append(pattern)
    return found
