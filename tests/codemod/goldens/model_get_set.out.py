"""get_model/set_model: the function returns one model (or None); the key is a parameter, so it is wrapped."""

from __future__ import annotations

from typing import Any, Optional

from cachelint.runtime import CacheKey, as_async
from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any, ttl: int | None = None) -> None:
        return None


class Report(BaseModel):
    title: str


async def load_report(cache: CacheManager, key: str) -> Optional[Report]:
    return await as_async(cache).get_model(CacheKey("load_report", key), Report)


async def store_report(cache: CacheManager, key: str, report: Report) -> None:
    await as_async(cache).set_model(CacheKey("store_report", key), report)
