"""One engine, two front ends: ``cachelint check`` and ``flake8`` report the same findings.

Both run as real subprocesses over every fixture file (collected when the
tests run, so new fixtures are covered without editing this file) and over
the research-app fixture as a tree.  Two selections are compared: every
rule (``--select CLT``) and each tool's default (where CLT104 is off).
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections import defaultdict
from pathlib import Path

import pytest
from processes import REPO, cachelint, flake8

FIXTURES = REPO / "tests" / "fixtures"
FILES = sorted(path for path in FIXTURES.rglob("*.py") if ".cachelint_cache" not in path.parts)
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ")

Position = tuple[str, int, int, str]  # resolved path, line, column, code
MODES = {
    "select-all": (["--select", "CLT"], ["--select", "CLT"]),
    # flake8's default selection runs every plugin: keep only our codes from it.
    "default": ([], []),
}


def _parse(output: str, *, only_clt: bool) -> dict[str, set[Position]]:
    found: dict[str, set[Position]] = defaultdict(set)
    for line in output.splitlines():
        match = LINE.match(line)
        if match is None or (only_clt and not match["code"].startswith("CLT")):
            continue
        path = str(Path(match["path"]).resolve())
        found[path].add((path, int(match["line"]), int(match["col"]), match["code"]))
    return found


def _env() -> dict[str, str]:
    return {"CACHELINT_CACHE_DIR": tempfile.mkdtemp(prefix="cachelint-parity-")}


@functools.cache
def _flake8(mode: str, targets: tuple[str, ...]) -> dict[str, set[Position]]:
    flags = MODES[mode][0]
    result = flake8(*flags, *targets, cwd=REPO)
    assert result.code in (0, 1), result.err
    return _parse(result.out, only_clt=True)


@functools.cache
def _cachelint(mode: str, targets: tuple[str, ...]) -> dict[str, set[Position]]:
    flags = MODES[mode][1]
    result = cachelint("check", "--no-cache", *flags, *targets, cwd=REPO, env=_env())
    assert result.code in (0, 1), result.err
    assert result.err == ""
    return _parse(result.out, only_clt=False)


ALL_FILES = tuple(str(path) for path in FILES)


def test_there_are_fixtures() -> None:
    assert len(FILES) >= 10


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_same_findings_per_fixture_file(path: Path, mode: str) -> None:
    key = str(path.resolve())
    assert _cachelint(mode, ALL_FILES).get(key, set()) == _flake8(mode, ALL_FILES).get(key, set())


@pytest.mark.parametrize("mode", sorted(MODES))
def test_same_findings_on_the_research_app_tree(mode: str) -> None:
    tree = (str(FIXTURES / "research_app"),)
    ours, theirs = _cachelint(mode, tree), _flake8(mode, tree)
    assert ours == theirs
    # The tree holds the planted incident: a comparison of two empty sets would prove nothing.
    assert any(code == "CLT101" for found in ours.values() for *_, code in found)


def test_the_comparison_sees_findings() -> None:
    assert sum(len(found) for found in _cachelint("select-all", ALL_FILES).values()) >= 20
