"""The key name also flows into another call, so its binding stays a string and the key is wrapped."""

from __future__ import annotations

from typing import Any

from cachelint.runtime import CacheKey, as_async
from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        return None


class Item(BaseModel):
    sku: str


def make_key(operation: str, value: str) -> str:
    return f"{operation}:{value}"


def remember(key: str) -> None:
    print(key)


async def items(cache: CacheManager, query: str) -> list[Item]:
    cache_key = make_key("items", query)
    remember(cache_key)
    cached = await as_async(cache).get_list(CacheKey("items", cache_key), Item)
    if cached is not None:
        return cached
    return []
