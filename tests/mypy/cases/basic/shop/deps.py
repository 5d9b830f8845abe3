from __future__ import annotations

from dataclasses import dataclass

from shop.cache import CacheManager


@dataclass
class Deps:
    cache_manager: CacheManager | None = None
