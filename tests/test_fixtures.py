"""Every fixture file, through the real flake8: exactly the marked findings, nothing else.

One parametrized test over ``tests/fixtures/**/*.py``.  A ``# flake8-args:``
header adds flake8 arguments; its word ``DEFAULT`` runs flake8 with its
default selection instead of ``--select CLT`` (how CLT104's opt-in is tested).  Files are linted in
batches (one flake8 process per distinct ``# flake8-args`` header) and the
results split per file, because a flake8 start-up per file would dominate.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from pathlib import Path

import pytest
from expectations import Expected, expectations, extra_args
from pending import pending
from processes import REPO, flake8

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(FIXTURES.rglob("*.py"))
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>CLT\d{3}) ")


@functools.cache
def _flake8(args: tuple[str, ...]) -> dict[Path, set[Expected]]:
    files = [str(path) for path in FILES if extra_args(path) == args]
    # DEFAULT: flake8's own default selection (CLT104 then stays off unless extend-selected);
    # otherwise only our codes are selected.
    selection = [] if "DEFAULT" in args else ["--select", "CLT"]
    flags = [arg for arg in args if arg != "DEFAULT"]
    result = flake8(*selection, *flags, *files, cwd=REPO)
    assert result.code in (0, 1), result.err
    found: dict[Path, set[Expected]] = defaultdict(set)
    for line in result.lines:
        match = LINE.match(line)
        if match is None and selection:
            raise AssertionError(f"unexpected flake8 output: {line}")
        if match is None:
            continue
        found[Path(match["path"]).resolve()].add(Expected(int(match["line"]), match["code"], int(match["col"])))
    return found


def test_fixture_files_exist() -> None:
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_fixture(path: Path) -> None:
    expected = expectations(path)
    if path.name.endswith("_ok.py"):
        assert not expected, "an *_ok.py fixture must not carry error markers"
    actual = _flake8(extra_args(path)).get(path.resolve(), set())
    # A marker without a column matches a finding of that code on that line at any column.
    loose = {(e.line, e.code) for e in expected if e.col is None}
    actual_cmp = {Expected(a.line, a.code, None) if (a.line, a.code) in loose else a for a in actual}
    # Markers whose engine feature is still being built (tests/fixture_pending.toml) may go either way.
    waiting = pending(path, "flake8")
    actual_cmp = {a for a in actual_cmp if (a.line, a.code) not in waiting}
    assert sorted(actual_cmp) == sorted(e for e in expected if (e.line, e.code) not in waiting)
