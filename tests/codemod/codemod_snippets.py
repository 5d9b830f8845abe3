"""Small self-contained sources shared by the codemod tests."""

from __future__ import annotations

#: A module with one awaited one-argument get of a list of models: the codemod rewrites it.
FIXABLE = '''\
from typing import Any

from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        return None


class Row(BaseModel):
    n: int


async def rows(cache: CacheManager, key: str) -> list[Row]:
    return await cache.get(key)
'''

#: What :data:`FIXABLE` becomes.
FIXED = FIXABLE.replace(
    "from pydantic import BaseModel\n",
    # The runtime import lands in its isort section: third party, before pydantic.
    "from cachelint.runtime import CacheKey, as_async\nfrom pydantic import BaseModel\n",
).replace("await cache.get(key)", 'await as_async(cache).get_list(CacheKey("rows", key), Row)')
