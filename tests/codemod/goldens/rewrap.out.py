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
    patterns.extend(recognizer.detect_patterns(findings))
    return patterns


def again(recognizer: Recognizer, findings: list[str]) -> list[PatternAnalysis]:
    return list(recognizer.detect_patterns(findings))
