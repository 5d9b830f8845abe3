# args: --unsafe-fixes
# expect-report: 28:30: CLT106 needs manual fix: dict-style .get() on 'pattern', declared PatternAnalysis (a Pydantic model, not a dict); use attribute access; 'type' is not a field of PatternAnalysis; did you mean 'pattern_type'?
# expect-report: 39:49: CLT106 needs manual fix: dict-style .get() on 'p', declared PatternAnalysis (a Pydantic model, not a dict); use attribute access; 'kind' is not a field of PatternAnalysis
"""Not a re-wrap: an argument that is no dict read of the element, a loop variable used after the loop,
an element of another class. The non-field keys are listed with the closest field; field keys become attributes."""

from __future__ import annotations

from pydantic import BaseModel


class PatternAnalysis(BaseModel):
    pattern_type: str
    description: str
    confidence: float = 0.0


class Recognizer:
    def detect_patterns(self, findings: list[str]) -> list[PatternAnalysis]:
        return [PatternAnalysis(pattern_type="t", description=f) for f in findings]


def analyze(recognizer: Recognizer, findings: list[str]) -> list[PatternAnalysis]:
    patterns: list[PatternAnalysis] = []
    for pattern in recognizer.detect_patterns(findings):
        patterns.append(
            PatternAnalysis(
                pattern_type=pattern.get("type", "unknown"),
                description=pattern.description,
                confidence=0.5,
            )
        )
    return patterns


def after_loop(recognizer: Recognizer, findings: list[str]) -> str:
    out: list[PatternAnalysis] = []
    for p in recognizer.detect_patterns(findings):
        out.append(PatternAnalysis(pattern_type=p.get("kind"), description=p.description))
    return p.description

