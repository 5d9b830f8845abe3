"""One path from text to plan (:mod:`cachelint.codemod.planning`): the engine's own model, its failures said.

Files on disk (``process``) and texts in memory (``text``: standard input,
the language server, ``check --fix``) both go through ``plan_source``, which
calls :func:`cachelint.analysis.analyse` once and plans on the model the
engine built.  A check that failed is reported and the text is not planned
around it.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from codemod_snippets import FIXABLE

from cachelint.analysis import engine, semantic
from cachelint.codemod.planning import Failed, Planned, plan_source
from cachelint.codemod.process import Options, process
from cachelint.codemod.text import fix_text, plan_text
from cachelint.config import load_settings


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records each ``FileModel.build`` (the real one runs): which module was modelled."""
    seen: list[str] = []
    real = semantic.FileModel.build

    def counted(self: semantic.FileModel) -> semantic.FileModel:
        seen.append(self.module.name)
        return real(self)

    monkeypatch.setattr(semantic.FileModel, "build", counted)
    return seen


def test_the_planner_plans_on_the_engines_model(tmp_path: Path, builds: list[str]) -> None:
    path = tmp_path / "app.py"
    planned = plan_source(path, FIXABLE, load_settings(tmp_path), include_blocking=False)
    assert isinstance(planned, Planned)
    assert [edit.method for edit in planned.plan.calls] == ["get_list"]
    assert builds == ["app"]  # the engine's, and no second one


def test_a_file_fixed_on_disk_is_modelled_once_before_the_proof(tmp_path: Path, builds: list[str]) -> None:
    path = tmp_path / "app.py"
    path.write_text(FIXABLE, encoding="utf-8")
    result = process(path, path.read_bytes(), os.stat(path), Options())
    assert result.errors == [] and result.new is not None
    assert builds == ["app", "app"]  # the engine on the file, then the engine re-checking the rewrite


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


def test_a_failed_check_is_an_error_not_a_smaller_plan(tmp_path: Path, broken_engine: str) -> None:
    path = tmp_path / "app.py"
    settings = load_settings(tmp_path)
    planned = plan_source(path, FIXABLE, settings, include_blocking=False)
    assert isinstance(planned, Failed), planned
    assert planned.lines == (
        f"{path}:19: internal error in {broken_engine}: ValueError: planted failure; left unchanged",
    )
    # The in-memory front ends (standard input, the language server, check --fix) say it too, and fix nothing.
    assert plan_text(path, FIXABLE, settings, include_blocking=False) == planned.lines[0]
    fixed = fix_text(path, FIXABLE, settings)
    assert fixed.text is None
    assert fixed.error == planned.lines[0]


def test_an_unparsable_text_is_one_line(tmp_path: Path) -> None:
    planned = plan_source(tmp_path / "bad.py", "def f(:\n", load_settings(tmp_path), include_blocking=False)
    assert isinstance(planned, Failed)
    assert len(planned.lines) == 1 and planned.lines[0].startswith(f"{tmp_path / 'bad.py'}:1: ")
