"""Codemod tests: ``--update-goldens`` (or CACHELINT_UPDATE_GOLDENS=1) rewrites ``goldens/*.out.py``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# Tests import the shared sources in codemod_snippets.py (importlib import mode puts no test folder on sys.path).
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    flag = bool(request.config.getoption("--update-goldens", default=False))
    return flag or os.environ.get("CACHELINT_UPDATE_GOLDENS", "") not in ("", "0")
