# expect-report: 22:31: CLT105 needs manual fix: AsyncMock() without a spec
"""AsyncMock for a sync cache (CLT105) is left for the test's author."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from unittest.mock import AsyncMock


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None


@dataclass
class Deps:
    cache_manager: CacheManager | None = None


def make_deps() -> Deps:
    return Deps(cache_manager=AsyncMock())
