"""Every case file under ``cases/``, through the real mypy with the plugin: exactly its expectations.

One parametrized test over the case files; mypy runs once per case folder
(a folder is a project with its own ``pyproject.toml``), in-process, with a
fresh cache folder, and the messages are split per file.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pytest
from mypy_cases import RunResult, expected_messages, mismatches, run_mypy

CASES = Path(__file__).parent / "cases"
PROJECTS = sorted(p.parent for p in CASES.glob("*/pyproject.toml"))
FILES = [(project, path) for project in PROJECTS for path in sorted(project.rglob("*.py"))]


@functools.cache
def _run(project: Path) -> RunResult:
    files = sorted(project.rglob("*.py"))
    with tempfile.TemporaryDirectory(prefix="cachelint-mypy-") as cache_dir:
        return run_mypy(files, project / "pyproject.toml", Path(cache_dir))


@pytest.mark.parametrize(("project", "path"), FILES, ids=[str(path.relative_to(CASES)) for _, path in FILES])
def test_case(project: Path, path: Path) -> None:
    result = _run(project)
    assert result.status in (0, 1), result.stdout + result.stderr
    assert "INTERNAL ERROR" not in result.stdout + result.stderr
    problems = mismatches(expected_messages(path), result.by_file.get(path.resolve(), []))
    assert not problems, "\n".join(problems)


def test_every_project_has_cases() -> None:
    assert PROJECTS, "no case projects found"
    for project in PROJECTS:
        assert any(expected_messages(path) for path in project.rglob("*.py")), project
