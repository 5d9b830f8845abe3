"""Fixtures for the ``cachelint.runtime`` tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# Under ``--import-mode=importlib`` test directories are not on ``sys.path``;
# the helper modules next to this file (memory_cache, runtime_support) are.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from memory_cache import CacheManager  # noqa: E402 - importable only after the path insert
from runtime_support import FakeClock  # noqa: E402

from cachelint.runtime import DISABLE_ENV_VAR  # noqa: E402


@pytest.fixture(autouse=True)
def _cache_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rollback switch is off unless a test turns it on."""
    monkeypatch.delenv(DISABLE_ENV_VAR, raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sync_cache(clock: FakeClock) -> CacheManager:
    return CacheManager(max_size=100, clock=clock)
