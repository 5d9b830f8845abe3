"""cachelint's own source passes its own rules and flake8's defaults.

Real flake8, in a subprocess, on ``cachelint/``, ``codemods/`` and
``benchmarks/``.  Defaults with a 120-column limit; E203 and W503 conflict
with black-style formatting and E704 with ``...`` stub bodies in protocols, so
they are ignored.  ``--isolated`` keeps any stray config from changing the
verdict.
"""

from __future__ import annotations

import pytest
from processes import REPO, flake8

SOURCES = [name for name in ("cachelint", "codemods", "benchmarks") if (REPO / name).is_dir()]
STYLE = ["--max-line-length", "120", "--extend-ignore", "E203,W503,E704"]


@pytest.mark.parametrize(
    "selection",
    [
        pytest.param(["--select", "CLT", "--extend-select", "CLT104"], id="cachelint-rules"),
        pytest.param(STYLE, id="flake8-defaults"),
    ],
)
def test_own_source_is_clean(selection: list[str]) -> None:
    assert "cachelint" in SOURCES
    done = flake8("--jobs", "1", *selection, *SOURCES, cwd=REPO, timeout=600)
    assert "Traceback" not in done.err, done.err[-3000:]
    assert done.code == 0 and not done.out, done.out
