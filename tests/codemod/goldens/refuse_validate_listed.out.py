# expect-report: 23:16: CLT103 unsafe fix available: validate it: TypeAdapter(list[Quote]).validate_python(cached)
"""Without --unsafe-fixes the validation is only listed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None


class Quote(BaseModel):
    price: float


def latest(cache: CacheManager, symbol: str) -> list[Quote]:
    cached = cache.get("quotes", symbol)
    if cached:
        return cached
    return []
