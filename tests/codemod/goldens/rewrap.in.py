# args: --unsafe-fixes
"""The incident's re-wrap (CLT106): models rebuilt from dict reads of elements that already are those models."""

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
                description=pattern["description"],
                confidence=pattern.get("confidence", 0.0),
            )
        )
    return patterns


def again(recognizer: Recognizer, findings: list[str]) -> list[PatternAnalysis]:
    return [PatternAnalysis(pattern_type=p.get("type"), description=p.get("description")) for p in recognizer.detect_patterns(findings)]
