"""Fixtures for the ``cachelint`` command tests: run the real command in a subprocess.

Every run gets its own result-cache folder (``CACHELINT_CACHE_DIR``) so tests
never share or pollute a cache, and never write into the checkout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from processes import Run, Runner
from processes import cachelint as run_cachelint


@pytest.fixture
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cachelint-cache")


@pytest.fixture
def cachelint(cache_dir: Path, tmp_path: Path) -> Runner:
    """``cachelint ARGS`` as a subprocess (``python -m cachelint.cli``), cwd ``tmp_path`` by default.

    *env* is added to the environment; *input* is the process's standard input.
    """

    def run(
        *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: str | None = None
    ) -> Run:
        own_env = {"CACHELINT_CACHE_DIR": str(cache_dir), **(env or {})}
        return run_cachelint(*args, cwd=cwd or tmp_path, env=own_env, input=input)

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
