"""A check that fails is said, never read as "nothing found" (issue 11, "no silent drops").

The failures are real: a ``RecursionError`` from a recursion limit the file
is too deep for, and a check that raises.  The raising check is one of ours,
registered in the engine's table for the test; flake8, the CLI and the
codemod are the real front ends.
"""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cachelint.analysis import engine
from cachelint.config import Settings

SOURCE = """\
from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any: ...


async def load(cache: CacheManager) -> Any:
    return await cache.get("patterns", "key")
"""


def _awaited_chain(length: int) -> str:
    chain = ".get('a', 'b')" * length
    return SOURCE + f"\n\nasync def chain(cache: CacheManager) -> None:\n    await cache{chain}\n"


def _broken_check(ctx: object, visit: object) -> Iterator[object]:
    raise ValueError("planted failure")
    yield  # pragma: no cover - makes this a generator like every check


@pytest.fixture
def broken_engine(monkeypatch: pytest.MonkeyPatch) -> str:
    """Every ``ast.Call`` also goes through a check that raises; returns that check's name."""
    monkeypatch.delenv("CACHELINT_DEBUG", raising=False)
    table = {kind: list(checks) for kind, checks in engine._NODE_CHECKS.items()}
    table.setdefault(ast.Call, []).append(_broken_check)
    monkeypatch.setattr(engine, "_NODE_CHECKS", table)
    return f"{__name__}._broken_check"


def test_recursion_error_is_returned_not_swallowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CACHELINT_DEBUG", raising=False)
    source = _awaited_chain(300)
    path = tmp_path / "deep.py"
    path.write_text(source, encoding="utf-8")
    tree = ast.parse(source)
    limit = sys.getrecursionlimit()
    # A real RecursionError, as a host calling from deeper in its stack would hit.
    sys.setrecursionlimit(len(inspect.stack()) + 150)
    try:
        result = engine.analyse(tree, path, Settings(root=tmp_path))
    finally:
        sys.setrecursionlimit(limit)
    assert result.errors, result
    text = result.errors[0].text()
    assert text.startswith("CLT000 cachelint internal error in cachelint.analysis.checks."), text
    assert "RecursionError: too deeply nested to analyse" in text


def test_failing_check_is_one_error_naming_it(tmp_path: Path, broken_engine: str) -> None:
    path = tmp_path / "app.py"
    path.write_text(SOURCE, encoding="utf-8")
    result = engine.analyse(ast.parse(SOURCE), path, Settings(root=tmp_path))
    # The other checks still ran; the failing one is named once, with its line.
    assert [d.code for d in result.diagnostics] == ["CLT101"]
    assert len(result.errors) == 1
    assert result.errors[0].check == broken_engine
    assert "ValueError: planted failure" in result.errors[0].text()


def test_flake8_reports_a_clt000_line(tmp_path: Path, broken_engine: str, capsys: pytest.CaptureFixture[str]) -> None:
    from flake8.main.cli import main as flake8_main

    path = tmp_path / "app.py"
    path.write_text(SOURCE, encoding="utf-8")
    code = flake8_main(["--isolated", "--jobs", "1", "--select", "CLT", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert " CLT101 " in out
    assert f" CLT000 cachelint internal error in {broken_engine} at line 9: ValueError: planted failure" in out


def test_cli_exits_2_naming_file_and_check(
    tmp_path: Path, broken_engine: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cachelint.cli import main

    (tmp_path / "app.py").write_text(SOURCE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--no-cache", "--jobs", "1", "app.py"])
    captured = capsys.readouterr()
    assert code == 2
    assert "app.py:9:12: CLT101" in captured.out  # what the other checks found is still shown
    assert f"app.py: error: internal error in {broken_engine} at line 9: ValueError: planted failure" in captured.err


def test_codemod_leaves_the_file_and_exits_2(
    tmp_path: Path, broken_engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from cachelint.codemod.fix_cache_calls import main

    path = tmp_path / "app.py"
    path.write_text(SOURCE, encoding="utf-8")
    code = main(["--no-progress", "-j", "1", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert f"internal error in {broken_engine}: ValueError: planted failure; left unchanged" in captured.err
    assert path.read_text(encoding="utf-8") == SOURCE
