"""mypy --strict infers the typed API's results: ``list[M] | None``, ``M | None``, ``M``.

Runs the real mypy on ``typing_case.py``, whose ``reveal_type`` lines carry an
expectation marker ``# R: name``; writes nothing to the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api")

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CASE = HERE / "typing_case.py"

EXPECTED = {
    "list-of-model-or-none": "list[PatternAnalysis] | None",
    "model-or-none": "PatternAnalysis | None",
    "model": "PatternAnalysis",
    "list-of-model": "list[PatternAnalysis]",
    "manager": "AsyncCacheManager",
    "manager-or-none": "AsyncCacheManager | None",
    "none": "None",
}


def _normalize(revealed: str) -> str:
    """Spell a revealed type the same way across mypy versions and module names."""
    revealed = revealed.replace("builtins.", "")
    revealed = re.sub(r"[\w.]*\.(PatternAnalysis|AsyncCacheManager)\b", r"\1", revealed)
    old_optional = re.fullmatch(r"Union\[(.*), None\]", revealed)
    return f"{old_optional.group(1)} | None" if old_optional else revealed


def test_revealed_types(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(REPO)  # so mypy finds the cachelint package
    stdout, stderr, status = api.run(
        [
            "--strict",
            "--config-file",
            "",
            "--python-version",
            "3.10",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            str(CASE),
        ]
    )
    assert status == 0, stdout + stderr
    revealed = {
        int(m.group(1)): _normalize(m.group(2))
        for m in re.finditer(
            r"typing_case\.py:(\d+): note: Revealed type is \"(.*)\"", stdout
        )
    }
    expected = {
        lineno: EXPECTED[m.group(1)]
        for lineno, line in enumerate(CASE.read_text().splitlines(), start=1)
        if (m := re.search(r"# R: ([\w-]+)$", line))
    }
    assert len(expected) == len(EXPECTED)
    assert revealed == expected, stdout
