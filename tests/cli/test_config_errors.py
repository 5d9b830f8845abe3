"""A broken ``pyproject.toml`` is one line naming it: exit 2 from ``check`` and ``fix``, no traceback in flake8.

Decoding (not UTF-8), nesting (deeper than the TOML reader recurses) and
type errors (a deep value where a list of strings belongs) each get the same
treatment from all three front ends, and the line stays short.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from processes import Runner, python

BROKEN: dict[str, bytes] = {
    "not-utf8": b'[tool.cachelint]\nexclude = ["caf\xe9"]\n',
    "nested-too-deep": b"[tool.cachelint]\nexclude = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "deep-value-of-wrong-type": b"[tool.cachelint]\nexclude = " + b"[" * 300 + b"]" * 300 + b"\n",
}
APP = "from typing import Any\n\n\nasync def load(cache: Any) -> None:\n    await cache.get('a', 'b')\n"


def _project(tmp_path: Path, case: str) -> Path:
    (tmp_path / "pyproject.toml").write_bytes(BROKEN[case])
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    return tmp_path


def _one_line_naming(stderr: str, config: Path) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr[-2000:]
    assert len(lines) == 1, stderr[-2000:]
    assert str(config) in lines[0] and "internal error" not in lines[0], lines[0]
    assert len(lines[0]) < 300, lines[0]


@pytest.mark.parametrize("case", sorted(BROKEN))
@pytest.mark.parametrize("command", ["check", "fix"])
def test_check_and_fix_exit_2_with_one_line(case: str, command: str, tmp_path: Path, cachelint: Runner) -> None:
    project = _project(tmp_path, case)
    args = ["check", "--no-cache", "."] if command == "check" else ["fix", "--no-progress", "."]
    run = cachelint(*args, cwd=project)
    assert run.code == 2, (run.out, run.err)
    _one_line_naming(run.err, project / "pyproject.toml")
    assert (project / "app.py").read_text(encoding="utf-8") == APP


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_flake8_gives_one_line_and_no_traceback(case: str, tmp_path: Path) -> None:
    project = _project(tmp_path, case)
    # Not --isolated: the broken configuration is the point.
    done = python("-m", "flake8", "--jobs", "1", "--select", "CLT", "app.py", cwd=project, env={"CACHELINT_DEBUG": ""})
    assert done.code != 0
    _one_line_naming(done.err, project / "pyproject.toml")
