"""A ``create_autospec`` of a sync cache class is a sync cache (the codemod's CLT105 fix hands one to tests)."""

from __future__ import annotations

import asyncio
from typing import Any
from unittest.mock import AsyncMock, create_autospec

import pytest
from pydantic import BaseModel

from cachelint.runtime import AsyncCacheManager, CacheKey, as_async


class SyncCache:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        return None


class Row(BaseModel):
    n: int


def test_autospec_of_a_sync_cache_is_wrapped_and_called_synchronously() -> None:
    double = create_autospec(SyncCache, instance=True)
    double.get.return_value = None
    manager = as_async(double)
    assert isinstance(manager, AsyncCacheManager)
    assert asyncio.run(manager.get_list(CacheKey("rows", "k"), Row)) is None
    asyncio.run(manager.set_list(CacheKey("rows", "k"), [Row(n=1)]))
    double.get.assert_called_once_with("rows", "k")
    double.set.assert_called_once()


def test_async_doubles_are_still_refused() -> None:
    with pytest.raises(TypeError, match="is async"):
        AsyncCacheManager(AsyncMock())
