"""Fixtures for the ``cachelint`` command tests: run the real command in a subprocess.

Every run gets its own result-cache folder (``CACHELINT_CACHE_DIR``) so tests
never share or pollute a cache, and never write into the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


class Runner(Protocol):
    def __call__(self, *args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run: ...


def run_command(argv: list[str], *, cwd: Path, env: dict[str, str]) -> Run:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)
    return Run(result.returncode, result.stdout, result.stderr)


@pytest.fixture
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cachelint-cache")


@pytest.fixture
def cachelint(cache_dir: Path, tmp_path: Path) -> Runner:
    """``cachelint ARGS`` as a subprocess (``python -m cachelint.cli``), cwd ``tmp_path`` by default."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
        full_env = {**os.environ, "CACHELINT_CACHE_DIR": str(cache_dir), **(env or {})}
        return run_command([sys.executable, "-m", "cachelint.cli", *args], cwd=cwd or tmp_path, env=full_env)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a file below ``tmp_path`` (parents created); returns its path."""

    def do(relative: str, text: str) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return do


CACHE_CLASS = """\
from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        pass
"""

#: CLT101 on line 5 (the awaited sync ``set``); nothing else.
APP = """\
from services.cache import CacheManager


async def store(cache: CacheManager) -> None:
    await cache.set("patterns", "key", 1)
"""


@pytest.fixture
def project(write: Callable[[str, str], Path], tmp_path: Path) -> Path:
    """A small project: ``pyproject.toml``, ``services/cache.py`` (a sync cache) and ``app.py`` (CLT101 at 5:5)."""
    write("pyproject.toml", "[project]\nname = 'demo'\n\n[tool.cachelint]\n")
    write("services/__init__.py", "")
    write("services/cache.py", CACHE_CLASS)
    write("app.py", APP)
    return tmp_path
