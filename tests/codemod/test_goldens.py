"""Whole-file goldens: ``case.in.py`` through the codemod must give ``case.out.py`` exactly.

Header comments in the ``.in`` file: ``# args: ...`` (extra command-line
flags) and ``# expect-report: LINE:COL: CODE needs manual fix: REASON-PREFIX``
(every "needs manual fix" line the run must print, and no other).  A refusal
golden's ``.out`` equals its ``.in``.  Each golden is also run a second time
(idempotence), compiled, and linted for CLT101/CLT102 by the engine.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
from processes import run

from cachelint.analysis import check_source
from cachelint.codemod.fix_cache_calls import main
from cachelint.config import load_settings

GOLDENS = Path(__file__).parent / "goldens"
RUFF = Path(sys.executable).with_name("ruff")
CASES = sorted(p.name[: -len(".in.py")] for p in GOLDENS.glob("*.in.py"))
_MANUAL = re.compile(r"^(?P<path>.+?):(?P<rest>\d+:\d+: CLT\d+ (?:needs manual fix|unsafe fix available): .*)$")


def _headers(text: str, name: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith(f"# {name}:")]


def _run(path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main([str(path), "--no-progress", "-j", "1", *args])
    out = capsys.readouterr().out
    reports = [m["rest"] for m in map(_MANUAL.match, out.splitlines()) if m]
    return code, reports


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], update_goldens: bool) -> None:
    source = (GOLDENS / f"{case}.in.py").read_text(encoding="utf-8")
    args = [arg for line in _headers(source, "args") for arg in shlex.split(line)]
    expected_reports = _headers(source, "expect-report")
    target = tmp_path / f"{case}.py"
    target.write_text(source, encoding="utf-8")

    code, reports = _run(target, args, capsys)
    assert code == 0
    result = target.read_text(encoding="utf-8")
    golden = GOLDENS / f"{case}.out.py"
    if update_goldens:
        golden.write_text(result, encoding="utf-8")
    assert golden.exists(), f"no {golden.name}: run pytest tests/codemod --update-goldens and review it"
    assert result == golden.read_text(encoding="utf-8")
    if case.startswith("refuse_"):
        assert result == source, "a refusal golden must leave the file untouched"
    else:
        assert result != source, "a rewrite golden must change something"

    assert len(reports) == len(expected_reports), reports
    for want, got in zip(sorted(expected_reports), sorted(reports), strict=True):
        assert got.startswith(want), (got, want)

    compile(result, str(target), "exec", dont_inherit=True)
    # An import block ruff's isort rules accepted still passes: added imports land in their section.
    original = tmp_path / "original" / f"{case}.py"
    original.parent.mkdir()
    original.write_text(source, encoding="utf-8")
    if _isort_clean(original):
        assert _isort_clean(target), f"{case}: the codemod broke ruff --select I"
    left = [d for d in check_source(result, target, load_settings(target)) if d.code in ("CLT101", "CLT102")]
    reported = {tuple(r.split(":", 3)[:3]) for r in reports}
    for d in left:
        assert (str(d.line), str(d.col + 1), f" {d.code} needs manual fix") in {
            (a, b, c.split(" needs")[0] + " needs manual fix") for a, b, c in reported
        }, f"unreported {d.text()} at {d.line}:{d.col + 1}"

    again, _ = _run(target, [*args, "--check"], capsys)
    assert again == 0, "a second run would change the file again"
    assert target.read_text(encoding="utf-8") == result


def _isort_clean(path: Path) -> bool:
    command = [str(RUFF), "check", "--isolated", "--line-length", "120", "--select", "I", path.name]
    return run(command, cwd=path.parent).code == 0
