"""Shared set-up of the reliability tests: import paths and the corpus location.

Under ``--import-mode=importlib`` no test folder is on ``sys.path``: this one
is added for the program generator beside it, and the repository root for
``benchmarks`` (the engine sweep the accuracy benchmark uses too), which is not
part of the installed distribution.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for entry in (str(HERE), str(REPO)):
    if entry not in sys.path:
        sys.path.insert(0, entry)


@pytest.fixture(scope="session")
def corpus_root() -> Path | None:
    """The real-package corpus when one is built (``$CACHELINT_CORPUS``, the default cache, ``/work/corpus``)."""
    from benchmarks.corpus import find_existing

    return find_existing()
