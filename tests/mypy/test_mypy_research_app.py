"""The research-app fixture through mypy with the plugin: every planted bug, nothing else.

The fixture carries flake8-style ``# error: CLT1xx:col`` markers (owned by the
fixture, shared with the flake8 tests); the plugin must report each
CLT101/102/103/105/106 marker with the rule's mypy code at the same line and
column, and report no other ``cachelint-*`` error (CLT104 is off by default).

mypy runs from the fixture's folder with a ``mypy.ini`` that only loads the
plugin, so the plugin's fallback (the nearest ``pyproject.toml`` of the
current folder) supplies the fixture's ``[tool.cachelint]``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from expectations import expectations
from mypy_cases import run_mypy

from cachelint.rules import BY_CODE

APP = Path(__file__).parent.parent / "fixtures" / "research_app"
MYPY_RULES = frozenset({"CLT101", "CLT102", "CLT103", "CLT105", "CLT106"})
CODE_TO_RULE = {BY_CODE[code].mypy_code: code for code in MYPY_RULES}
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): error: .*  \[(?P<code>cachelint-[a-z-]+)\]$")


def test_research_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nplugins = cachelint.mypy_plugin\n", encoding="utf-8")
    monkeypatch.chdir(APP)
    files = sorted(APP.rglob("*.py"))
    result = run_mypy(files, config, tmp_path / "cache", "--show-column-numbers")
    assert "INTERNAL ERROR" not in result.stdout + result.stderr
    found: set[tuple[Path, int, int, str]] = set()
    for raw in result.stdout.splitlines():
        match = LINE.match(raw)
        if match:
            rule = CODE_TO_RULE.get(match.group("code"), match.group("code"))
            found.add((Path(match.group("path")).resolve(), int(match.group("line")), int(match.group("col")), rule))
    expected = {
        (path.resolve(), item.line, item.col or 0, item.code)
        for path in files
        for item in expectations(path)
        if item.code in MYPY_RULES
    }
    assert len(expected) >= 20  # the fixture's planted CLT101/102/103/105/106 bugs
    assert found == expected, (sorted(expected - found), sorted(found - expected))
