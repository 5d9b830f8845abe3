"""cachelint's own source passes its own rules and flake8's defaults.

Real flake8, in a subprocess, on ``cachelint/``, ``codemods/`` and
``benchmarks/``.  Defaults with a 120-column limit; E203 and W503 conflict
with black-style formatting and E704 with ``...`` stub bodies in protocols, so
they are ignored.  ``--isolated`` keeps any stray config from changing the
verdict.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = [name for name in ("cachelint", "codemods", "benchmarks") if (REPO / name).is_dir()]
STYLE = ["--max-line-length", "120", "--extend-ignore", "E203,W503,E704"]


def _flake8(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--jobs", "1", *args, *SOURCES],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


@pytest.mark.parametrize(
    "selection",
    [
        pytest.param(["--select", "CLT", "--extend-select", "CLT104"], id="cachelint-rules"),
        pytest.param(STYLE, id="flake8-defaults"),
    ],
)
def test_own_source_is_clean(selection: list[str]) -> None:
    assert "cachelint" in SOURCES
    done = _flake8(*selection)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == 0 and not done.stdout, done.stdout
