# expect-report: 22:5: CLT106 needs manual fix: assignment or deletion through a subscript is left for review
# expect-report: 23:14: CLT106 needs manual fix: the default is an expression whose evaluation the fix would drop
# expect-report: 24:27: CLT106 needs manual fix: dict-style .items() on 'pattern'
"""CLT106 reads the codemod leaves: a noqa'd one (not listed either), a subscript assignment,
a default whose evaluation would be dropped, a dict method with no attribute equivalent."""

from __future__ import annotations

from pydantic import BaseModel


class Pattern(BaseModel):
    confidence: float


def fallback() -> float:
    return 0.0


def use(pattern: Pattern) -> object:
    first = pattern.get("confidence")  # noqa: CLT106
    pattern["confidence"] = 1.0
    second = pattern.get("confidence", fallback())
    return first, second, pattern.items()
