"""Awaited one-argument get and two-argument set of a list of models; the key comes from a helper."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from cachelint.runtime import CacheKey, as_async
from pydantic import BaseModel

logger = logging.getLogger(__name__)


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any | None:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        return None


class Pattern(BaseModel):
    name: str


def _key(operation: str, *content: Any) -> str:
    return operation + hashlib.sha256(repr(content).encode()).hexdigest()


class Deps:
    def __init__(self, cache: CacheManager | None) -> None:
        self.cache: CacheManager | None = cache


async def analyze(deps: Deps, text: str) -> list[Pattern]:
    cache_key = CacheKey.for_content("analyze", text)
    if deps.cache:
        # read the cache first
        cached = await as_async(deps.cache).get_list(cache_key, Pattern)  # keep this comment
        if cached:
            return cached
    patterns = [Pattern(name=text)]
    if deps.cache:
        try:
            await as_async(deps.cache).set_list(
                cache_key,
                patterns,  # the value
            )
        except Exception as exc:
            logger.warning("cache write failed for %s: %s", cache_key, exc)
    return patterns
