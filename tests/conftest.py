"""Suite-wide settings: engine failures raise instead of being swallowed."""

from __future__ import annotations

import os

import pytest

# The engine yields nothing for a construct it fails on (never crash a user's lint run);
# under test such a failure must be loud.
os.environ.setdefault("CACHELINT_DEBUG", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    # Goldens change only when asked: `pytest --update-goldens` (see tests/codemod).
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite tests/codemod/goldens/*.out.py from the codemod's current output",
    )
