"""Running real programs from the tests: one subprocess runner and the command lines built on it.

Every run captures text output, never raises on a non-zero exit (the test
asserts on ``code``), has a timeout (a hung child fails its test instead of
hanging the suite) and runs in a folder the caller names: no test depends on
the directory pytest was started from, so the suite runs the same serially
and under pytest-xdist.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

REPO = Path(__file__).resolve().parents[1]

#: The default hang guard of one run, in seconds: generous because the suite
#: shares the machine; a run that needs longer says so.
TIMEOUT = 300.0

#: pyenv (where the optional 3.12 interpreter usually comes from) picks it by this variable.
PYTHON312_ENV: Mapping[str, str] = {"PYENV_VERSION": "3.12.1"}


@dataclass(frozen=True)
class Run:
    """A finished process: exit code and its decoded output."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


class Runner(Protocol):
    """The ``cachelint`` fixture of ``tests/cli``: this command in a project folder with its own result cache."""

    def __call__(
        self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: str | None = None
    ) -> Run: ...


def run(
    argv: list[str],
    *,
    cwd: Path,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
    timeout: float = TIMEOUT,
) -> Run:
    """Run *argv* in *cwd*.

    *env* changes this process's environment for the child: a value sets the
    variable, ``None`` removes it.
    """
    done = subprocess.run(
        argv,
        cwd=cwd,
        env=_environment(env),
        input=input,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def _environment(changes: Mapping[str, str | None] | None) -> dict[str, str] | None:
    if changes is None:
        return None
    merged = {**os.environ, **changes}
    return {name: value for name, value in merged.items() if value is not None}


def python(
    *args: str,
    cwd: Path,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
    timeout: float = TIMEOUT,
) -> Run:
    """This interpreter (the project's venv) with *args*: ``python(-m, module, ...)``."""
    return run([sys.executable, *args], cwd=cwd, env=env, input=input, timeout=timeout)


def cachelint(
    *args: str,
    cwd: Path,
    env: Mapping[str, str | None] | None = None,
    input: str | None = None,
    timeout: float = TIMEOUT,
) -> Run:
    """The ``cachelint`` command (``python -m cachelint.cli``)."""
    return python("-m", "cachelint.cli", *args, cwd=cwd, env=env, input=input, timeout=timeout)


#: The codemod's own entry point (``cachelint fix`` runs the same code): one place to name its module.
CODEMOD_MODULE = "cachelint.codemod"


def codemod(*args: str, cwd: Path, env: Mapping[str, str | None] | None = None, timeout: float = TIMEOUT) -> Run:
    """The codemod as its own program (``python -m cachelint.codemod``; the checkout's
    ``codemods/fix_cache_calls.py`` is a thin entry point to the same ``main``)."""
    return python("-m", CODEMOD_MODULE, *args, cwd=cwd, env=env, timeout=timeout)


def flake8(*args: str, cwd: Path, env: Mapping[str, str | None] | None = None, timeout: float = TIMEOUT) -> Run:
    """Real flake8 with the cachelint plugin, ``--isolated`` so no stray config changes the verdict."""
    return python("-m", "flake8", "--isolated", *args, cwd=cwd, env=env, timeout=timeout)


#: Commits need an identity; a test machine may have none configured.
GIT_IDENTITY: Mapping[str, str] = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def git(*args: str, cwd: Path, env: Mapping[str, str | None] | None = None) -> str:
    """``git ARGS`` in *cwd* with :data:`GIT_IDENTITY`; its standard output. A failing git fails the test."""
    done = run(["git", *args], cwd=cwd, env={**GIT_IDENTITY, **(env or {})}, timeout=120)
    assert done.code == 0, f"git {' '.join(args)} exited {done.code}: {done.err}"
    return done.out


#: ``python -c`` source: the engine on the file ``argv[1]`` with default settings,
#: printing ``[(line, code), ...]``. It needs only the standard library and the
#: source tree, so it runs under an interpreter that has no cachelint installed.
CHECK_SOURCE_SCRIPT = (
    "import sys; from pathlib import Path; from cachelint.analysis import check_source; "
    "from cachelint.config import Settings; p = Path(sys.argv[1]); "
    "print([(d.line, d.code) for d in check_source(p.read_text(), p, Settings(root=p.parent))])"
)


def python312_check_source(path: Path) -> Run:
    """:data:`CHECK_SOURCE_SCRIPT` on *path* under :func:`python312` with this source tree on its path."""
    interpreter = python312()
    assert interpreter is not None, "the test needs a skipif(python312() is None)"
    env = {**PYTHON312_ENV, "PYTHONPATH": str(REPO)}
    return run([interpreter, "-c", CHECK_SOURCE_SCRIPT, str(path)], cwd=path.parent, env=env)


@functools.cache
def python312() -> str | None:
    """A working Python 3.12 interpreter on ``PATH``, or ``None`` (the tests that need one skip)."""
    found = shutil.which("python3.12")
    if found is None:
        return None
    probe = run([found, "--version"], cwd=REPO, env=PYTHON312_ENV, timeout=60)
    return found if probe.code == 0 and "3.12" in probe.out else None
