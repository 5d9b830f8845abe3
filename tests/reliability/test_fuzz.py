"""Generated programs never make the engine or the flake8 plugin raise; cache-shaped ones get the codes they must.

Three sources: hypothesmith's grammar-based programs (any syntax, mostly
nonsense), its CST-based programs (valid modules), and
:mod:`reliability_programs` (small modules built around sync/async caches,
dependency dataclasses and AsyncMock, which reach the engine's deep paths).
``CACHELINT_FUZZ_EXAMPLES`` sets the examples per test (200 by default; the
benchmark harness runs 10,000).  ``CACHELINT_DEBUG=1`` (tests/conftest.py)
turns any swallowed engine failure into an exception.
"""

from __future__ import annotations

import ast
import os
import warnings
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from reliability_programs import CALL_CODES, Program, cache_programs

from cachelint import rules
from cachelint.analysis import Diagnostic, check_tree
from cachelint.config import Settings, load_settings
from cachelint.flake8_plugin import CacheLintChecker

EXAMPLES = int(os.environ.get("CACHELINT_FUZZ_EXAMPLES", "200"))
# Hypothesis keeps what it learns about every example of a run in memory
# (gigabytes by 10,000 hypothesmith programs), so big runs are split into
# batches of independent runs; pytest-xdist also spreads batches over cores.
BATCH = 1000
BATCHES = range(-(-EXAMPLES // BATCH))
FUZZ = settings(
    max_examples=min(EXAMPLES, BATCH),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::SyntaxWarning")]


class Files:
    """Where each program is checked.

    Cache-shaped programs are each written to a new file, as flake8 would see
    them: a new name per program, because the project index caches a module's
    summary by path and would otherwise lend one program's classes to the
    next (the engine should prefer the tree it is given; reported).  That cache
    grows with every new name (~40 kB each), so hypothesmith's programs, which
    only have to not crash the engine, share one path that is never written.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0
        self.settings: Settings = load_settings(folder)
        self.shared = folder / "generated.py"

    def write(self, source: str) -> Path:
        self.count += 1
        path = self.folder / f"generated_{self.count}.py"
        path.write_text(source, encoding="utf-8")
        return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return Files(tmp_path_factory.mktemp("fuzz"))


def _parse(source: str) -> ast.Module | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None  # not a program this interpreter accepts: flake8 reports E999 for it


def _check_invariants(
    source: str, tree: ast.Module, where: Path, settings: Settings, diagnostics: list[Diagnostic]
) -> None:
    """What holds for every diagnostic of every program."""
    lines = source.splitlines()
    for d in diagnostics:
        assert d.code in rules.BY_CODE, d
        assert 1 <= d.line <= max(len(lines), 1), d
        assert d.end_line is None or d.end_line >= d.line, d
        assert d.message, d
        if d.code == "CLT101":
            span = "\n".join(lines[d.line - 1 : (d.end_line or d.line)])
            assert "await" in span, f"CLT101 on a line without await: {d.line}: {span!r}"
    again = check_tree(tree, where, settings)
    assert [(d.line, d.col, d.code, d.message) for d in again] == [
        (d.line, d.col, d.code, d.message) for d in diagnostics
    ]


def _plugin_results(tree: ast.Module, where: Path) -> list[tuple[int, int, str]]:
    checker = CacheLintChecker(tree, str(where))
    return [(line, col, text) for line, col, text, _ in checker.run()]


def _check_everything(files: Files, source: str) -> None:
    tree = _parse(source)
    if tree is None:
        return
    where = files.shared
    diagnostics = check_tree(tree, where, files.settings)
    _check_invariants(source, tree, where, files.settings, diagnostics)
    assert _plugin_results(tree, where) == [(d.line, d.col, d.text()) for d in diagnostics]


@pytest.mark.parametrize("batch", BATCHES)
@FUZZ
@given(hypothesmith.from_grammar())
def test_grammar_programs_never_crash(files: Files, batch: int, source: str) -> None:
    _check_everything(files, source)


@pytest.mark.parametrize("batch", BATCHES)
@FUZZ
@given(hypothesmith.from_node())
def test_cst_programs_never_crash(files: Files, batch: int, source: str) -> None:
    _check_everything(files, source)


def _by_line(diagnostics: list[Diagnostic]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for d in diagnostics:
        found.setdefault(d.line, set()).add(d.code)
    return found


@pytest.mark.parametrize("batch", BATCHES)
@FUZZ
@given(cache_programs())
def test_cache_shaped_programs_get_their_codes(files: Files, batch: int, program: Program) -> None:
    tree = ast.parse(program.source)
    where = files.write(program.source)
    diagnostics = check_tree(tree, where, files.settings)
    _check_invariants(program.source, tree, where, files.settings, diagnostics)
    found = _by_line(diagnostics)
    numbered = "\n".join(f"{i:3} {text}" for i, text in enumerate(program.source.splitlines(), 1))
    for line, codes in program.must.items():
        assert codes <= found.get(line, set()), (
            f"line {line}: expected {sorted(codes)}, got {sorted(found.get(line, set()))}\n{numbered}"
        )
    for line, codes in program.never.items():
        assert not codes & found.get(line, set()), (
            f"line {line}: must not get {sorted(codes & found[line])}\n{numbered}"
        )
    # Call codes appear only where the generator put a cache call.
    planted = set(program.must) | set(program.never)
    stray = [d for d in diagnostics if d.code in CALL_CODES and d.line not in planted]
    assert not stray, f"unexpected {stray}\n{numbered}"
    assert _plugin_results(tree, where) == [(d.line, d.col, d.text()) for d in diagnostics]
