"""The key helper is imported: once the binding is rewritten the import is unused and removed."""

from __future__ import annotations

from typing import Any

from cachelint.runtime import CacheKey, as_async
from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        return None


class Doc(BaseModel):
    path: str


async def docs(cache: CacheManager, folder: str) -> list[Doc]:
    cache_key = CacheKey.for_content("docs", folder)
    return await as_async(cache).get_list(cache_key, Doc)
