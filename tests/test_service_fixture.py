"""The realistic async-service fixture (issue 10): exact in flake8, the CLI and the mypy plugin.

``tests/fixtures/service`` is a small service of the kind cachelint's users
write: pydantic-ai tools taking ``RunContext[Deps]``, FastAPI routes with
``Depends``, a generic repository, module singletons and factories, and
pytest-mock tests.  It runs with no ``[tool.cachelint]`` section.  Its bugs
carry ``# error: CLT1xx[:col]`` markers; the lines that look like bugs and are
correct carry ``# ok: CLT1xx`` (the codes that must *not* be reported there),
so precision is measured, not assumed.  flake8's exactness is checked by
``tests/test_fixtures.py``; this module checks the CLI and mypy, and the
fixture's balance of positives and true negatives.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from engines import FIXTURES, Finding, Findings, cli_findings, mypy_project, selected_codes
from expectations import expectations
from pending import pending

SERVICE = FIXTURES / "service"
FILES = sorted(SERVICE.rglob("*.py"))
OK = re.compile(r"#\s*ok:\s*(?P<codes>CLT\d{3}(?:\s*,\s*CLT\d{3})*)")


def true_negatives(path: Path) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = OK.search(line)
        if match:
            found.update((number, code.strip()) for code in match.group("codes").split(","))
    return found


def _problems(path: Path, found: Findings, engine: str) -> list[str]:
    codes = selected_codes(path)
    waiting = pending(path, engine)
    expected = {e for e in expectations(path) if (e.line, e.code) not in waiting}
    actual = {a for a in found.get(path.resolve(), set()) if a.code in codes and (a.line, a.code) not in waiting}
    problems = []
    for item in sorted(expected):
        hits = [a for a in actual if (a.line, a.code) == (item.line, item.code)]
        if not hits:
            problems.append(f"missing    {item.line}: {item.code}")
        elif item.col is not None and all(a.col != item.col for a in hits):
            problems.append(f"column     {item.line}: {item.code} expected col {item.col}, got {hits[0].col}")
    marked = {(e.line, e.code) for e in expected}
    problems += [f"unexpected {a.line}:{a.col}: {a.code}" for a in sorted(actual) if (a.line, a.code) not in marked]
    return problems


def test_balance() -> None:
    positives = sum(len(expectations(path)) for path in FILES)
    negatives = sum(len(true_negatives(path)) for path in FILES)
    assert positives >= 60
    assert negatives >= positives
    for path in FILES:
        overlap = {(e.line, e.code) for e in expectations(path)} & true_negatives(path)
        assert not overlap, f"{path}: a line both marked and ok for the same code: {overlap}"


@pytest.fixture(scope="module")
def cli() -> Findings:
    return cli_findings(FILES)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SERVICE)) for p in FILES])
def test_cli(cli: Findings, path: Path) -> None:
    problems = _problems(path, cli, "flake8")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SERVICE)) for p in FILES])
def test_mypy(path: Path) -> None:
    run = mypy_project(SERVICE)
    assert run.status in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
    assert "INTERNAL ERROR" not in run.stdout + run.stderr
    problems = _problems(path, run.findings, "mypy")
    assert not problems, "\n".join(problems)


def test_mypy_reports_only_cachelint_codes_it_knows() -> None:
    run = mypy_project(SERVICE)
    codes = {item.code for items in run.findings.values() for item in items}
    assert codes <= {"CLT101", "CLT102", "CLT103", "CLT104", "CLT105", "CLT106"}, codes
    assert isinstance(next(iter(run.findings.values()), set()), set)
    assert all(isinstance(item, Finding) for items in run.findings.values() for item in items)
