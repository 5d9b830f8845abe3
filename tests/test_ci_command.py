"""The README's test command is the one CI runs (``.ci/run``), to the letter."""

from __future__ import annotations

import re

from processes import REPO

#: The pytest invocation as CI and the README write it (after the set-up).
PYTEST = re.compile(r"\.venv/bin/python -m pytest\b[^\n#&|;]*")


def _ci_command() -> str:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.splitlines() if PYTEST.fullmatch(line.strip())]
    assert len(commands) == 1, f".ci/run should run pytest exactly once, found {commands}"
    return commands[0]


def _readme_command() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    setup = next(
        line for line in readme.splitlines() if line.startswith("python3 -m venv .venv && ") and "[dev]" in line
    )
    match = PYTEST.search(setup)
    assert match is not None, setup
    return match.group(0).strip()


def test_readme_runs_the_tests_as_ci_does() -> None:
    assert _readme_command() == _ci_command()


def test_ci_fails_when_pytest_collects_nothing() -> None:
    # pytest exits 5 when it collects no test; CI must not read that as a pass.
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert '"$status" -eq 5' in script and "exit 1" in script
