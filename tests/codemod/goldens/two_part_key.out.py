"""An awaited call that already passes (cache_type, content_key): only the await is wrong (CLT101)."""

from __future__ import annotations

from typing import Any

from cachelint.runtime import CacheKey, as_async
from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        return None


class User(BaseModel):
    name: str


async def find_user(cache: CacheManager, user_id: str) -> User | None:
    found: User | None = await as_async(cache).get_model(CacheKey("users", user_id), User)
    return found
