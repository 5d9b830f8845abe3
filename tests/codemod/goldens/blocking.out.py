# args: --include-blocking
# expect-report: 33:12: CLT103 needs manual fix: 'cache.get('quotes', symbol)' comes from CacheManager.get()
# expect-report: 33:12: CLT104 needs manual fix: cannot tell which Pydantic model
"""With --include-blocking, a blocking sync call inside async def gains an await (CLT104)."""

from __future__ import annotations

from typing import Any

from cachelint.runtime import CacheKey, as_async
from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        return None


class Quote(BaseModel):
    price: float


async def quote(cache: CacheManager, symbol: str) -> Quote | None:
    cached: Quote | None = await as_async(cache).get_model(CacheKey("quotes", symbol), Quote)
    return cached


async def refresh(cache: CacheManager, symbol: str) -> float:
    # blocking, and parenthesised once awaited: the attribute applies to the result
    return cache.get("quotes", symbol).price
