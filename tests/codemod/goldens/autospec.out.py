# args: --unsafe-fixes
"""AsyncMock for a sync cache (CLT105) becomes create_autospec with --unsafe-fixes; the unused import goes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from unittest.mock import create_autospec


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None


@dataclass
class Deps:
    cache_manager: CacheManager | None = None


def make_deps() -> Deps:
    return Deps(cache_manager=create_autospec(CacheManager, instance=True))


def test_uses_cache() -> None:
    deps = make_deps()
    assert deps.cache_manager is not None
