# args: --unsafe-fixes
"""CLT103 on a value read from a sync cache outside async code: wrapped in validation (unsafe)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None


class Quote(BaseModel):
    price: float


def latest(cache: CacheManager, symbol: str) -> list[Quote]:
    cached = cache.get("quotes", symbol)
    if cached:
        return TypeAdapter(list[Quote]).validate_python(cached)
    return []


def one(cache: CacheManager, symbol: str) -> Quote | None:
    return Quote.model_validate(cache.get("quote", symbol))
