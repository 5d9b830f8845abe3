"""Both engines on every fixture: the ``ast`` engine (flake8) and mypy with the plugin agree.

Every file under ``tests/fixtures`` runs through the real flake8 (as
``tests/test_fixtures.py`` runs it) and through the real mypy with the
plugin, once per fixture project (the outermost folder with a
``pyproject.toml``; its own ``[tool.mypy]`` when it has one).  For each file,
the ``(line, code)`` findings of the codes the file's flake8 selection has on
must be the same in both.  A disagreement fails unless
``tests/differential_allowlist.toml`` lists it with the reason the engines
may differ there; a listed entry that no longer differs fails too, so the
list only shrinks.  The two engines share one policy (``cachelint.policy``):
a disagreement is a bug in whichever engine is wrong.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest
from engines import FIXTURES, Finding, flake8_all, mypy_project, selected_codes

from cachelint.rules import BY_CODE

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ALLOWLIST = Path(__file__).parent / "differential_allowlist.toml"
FILES = sorted(FIXTURES.rglob("*.py"))
#: "A handful at most": the allowlist is for what one engine cannot see, not for bugs.
MAX_ALLOWED = 6

Disagreement = tuple[str, int, str, str]  # (file relative to fixtures, line, code, the engine that reports it)


def project_of(path: Path) -> Path:
    """The outermost folder below ``tests/fixtures`` holding a ``pyproject.toml`` above ``path``."""
    found = FIXTURES
    for folder in path.resolve().parents:
        if folder == FIXTURES.resolve():
            break
        if (folder / "pyproject.toml").is_file():
            found = folder
    return found


@functools.cache
def allowlist() -> dict[Disagreement, str]:
    with ALLOWLIST.open("rb") as handle:
        entries = tomllib.load(handle).get("entry", [])
    allowed: dict[Disagreement, str] = {}
    for entry in entries:
        key = (str(entry["file"]), int(entry["line"]), str(entry["code"]), str(entry["engine"]))
        allowed[key] = str(entry["reason"])
    return allowed


def _lines(found: set[Finding], codes: frozenset[str]) -> set[tuple[int, str]]:
    return {(item.line, item.code) for item in found if item.code in codes}


@functools.cache
def disagreements(path: Path) -> frozenset[Disagreement]:
    relative = path.relative_to(FIXTURES).as_posix()
    # A rule whose catalog entry says the mypy plugin does not cover it (``Rule.mypy`` None) is not compared.
    codes = frozenset(code for code in selected_codes(path) if BY_CODE[code].mypy is not None)
    flake8 = _lines(flake8_all().get(path.resolve(), set()), codes)
    run = mypy_project(project_of(path))
    assert "INTERNAL ERROR" not in run.stdout + run.stderr, run.stdout[-3000:] + run.stderr[-3000:]
    assert run.status in (0, 1), run.stdout[-3000:] + run.stderr[-3000:]
    mypy = _lines(run.findings.get(path.resolve(), set()), codes)
    found = {(relative, line, code, "flake8") for line, code in flake8 - mypy}
    found |= {(relative, line, code, "mypy") for line, code in mypy - flake8}
    return frozenset(found)


def _covers(entry: Disagreement, item: Disagreement) -> bool:
    """An entry covers a disagreement of its file and engine; ``line = 0`` is any line of the
    file, ``code = "*"`` any code (one cause across a file, said once)."""
    return entry[0] == item[0] and entry[3] == item[3] and entry[1] in (0, item[1]) and entry[2] in ("*", item[2])


def allowed(item: Disagreement) -> bool:
    return any(_covers(entry, item) for entry in allowlist())


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_engines_agree(path: Path) -> None:
    unlisted = sorted(item for item in disagreements(path) if not allowed(item))
    shown = [f"{file}:{line}: {code} reported by {engine} only" for file, line, code, engine in unlisted]
    assert not unlisted, "\n".join(shown)


def test_allowlist_is_short_and_explained() -> None:
    assert len(allowlist()) <= MAX_ALLOWED
    for key, reason in allowlist().items():
        assert len(reason.split()) >= 5, f"{key}: say why the engines may differ there"
        assert (FIXTURES / key[0]).is_file(), f"{key}: no such fixture file"


def test_allowlist_entries_still_differ() -> None:
    stale = [key for key in allowlist() if not any(_covers(key, item) for item in disagreements(FIXTURES / key[0]))]
    assert not stale, f"allowlisted disagreements that no longer occur (remove them): {stale}"
