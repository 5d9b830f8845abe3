# args: --unsafe-fixes
# expect-report: 27:31: CLT105 needs manual fix: this module already binds create_autospec
"""CLT105 is refused when the module binds create_autospec to something else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from unittest.mock import AsyncMock


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None


def create_autospec(spec: object) -> object:
    return spec


@dataclass
class Deps:
    cache_manager: CacheManager | None = None


def make_deps() -> Deps:
    return Deps(cache_manager=AsyncMock())


def test_uses_cache() -> None:
    deps = make_deps()
    assert deps.cache_manager is not None
