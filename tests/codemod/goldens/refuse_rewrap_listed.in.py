# expect-report: 29:30: CLT106 unsafe fix available: use the elements themselves: patterns.extend(recognizer.detect_patterns(findings)); the field mapping pattern_type<-'type', description<-'description', confidence<-'confidence' is dropped
# expect-report: 30:29: CLT106 unsafe fix available: use the elements themselves
# expect-report: 31:28: CLT106 unsafe fix available: use the elements themselves
# expect-report: 38:42: CLT106 unsafe fix available: use the elements themselves: list(recognizer.detect_patterns(findings))
# expect-report: 38:69: CLT106 unsafe fix available: use the elements themselves
"""Without --unsafe-fixes the re-wrap is listed for each dict read it would remove, and nothing changes."""

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
