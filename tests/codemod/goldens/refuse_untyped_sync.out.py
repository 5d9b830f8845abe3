# expect-report: 25:12: CLT103 unsafe fix available: validate it: Profile.model_validate(value)
"""A correct synchronous call whose result is used unvalidated (CLT103 on its own): the validation fix is unsafe, so only listed."""

from __future__ import annotations

import asyncio
from typing import Any

from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None


class Profile(BaseModel):
    name: str


async def profile(cache: CacheManager, user: str) -> Profile:
    await asyncio.sleep(0)
    value = cache.get("profiles", user)
    assert value is not None
    return value
