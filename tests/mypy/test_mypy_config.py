"""The plugin's configuration: bad values stop mypy with one line, unknown keys warn,
``strict-retrievals`` switches the ``object`` typing, and a changed table invalidates
mypy's incremental cache (``report_config_data``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mypy_cases import run_mypy

CASE = """\
from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None


def read(cache: CacheManager) -> None:
    reveal_type(cache.get("patterns", "k"))
"""


def _project(folder: Path, cachelint_table: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(
        '[tool.mypy]\nplugins = ["cachelint.mypy_plugin"]\n\n[tool.cachelint]\n' + cachelint_table,
        encoding="utf-8",
    )
    (folder / "case.py").write_text(CASE, encoding="utf-8")
    return folder


def test_bad_value_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path / "p", 'strict-retrievals = "yes"\n')
    result = run_mypy([project / "case.py"], project / "pyproject.toml", tmp_path / "cache")
    err = capsys.readouterr().err + result.stderr
    assert result.status == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("cachelint: error: ")
    assert "'strict-retrievals' must be true or false, got 'yes'" in lines[0]
    assert "Traceback" not in err + result.stdout


def test_unknown_key_warns_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path / "p", "strict-retreivals = false\n")
    result = run_mypy([project / "case.py"], project / "pyproject.toml", tmp_path / "cache")
    err = capsys.readouterr().err
    assert "cachelint: warning:" in err and "unknown key 'strict-retreivals' ignored" in err
    assert result.status == 0
    assert 'Revealed type is "object"' in result.stdout  # the default still applies


@pytest.mark.parametrize(("table", "revealed"), [("", "object"), ("strict-retrievals = false\n", "Any")])
def test_strict_retrievals(tmp_path: Path, table: str, revealed: str) -> None:
    project = _project(tmp_path / "p", table)
    result = run_mypy([project / "case.py"], project / "pyproject.toml", tmp_path / "cache")
    assert f'Revealed type is "{revealed}"' in result.stdout, result.stdout


def test_changed_config_invalidates_incremental_cache(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", "")
    cache = tmp_path / "cache"
    first = run_mypy([project / "case.py"], project / "pyproject.toml", cache, "--incremental")
    assert 'Revealed type is "object"' in first.stdout
    _project(project, "strict-retrievals = false\n")
    second = run_mypy([project / "case.py"], project / "pyproject.toml", cache, "--incremental")
    assert 'Revealed type is "Any"' in second.stdout, second.stdout
