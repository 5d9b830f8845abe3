"""Configured classes, protocols and error codes switched the mypy way."""

from __future__ import annotations

import asyncio
from typing import Any

from vendorcache.models import Item, revive
from vendorcache.store import AsyncStore, CacheLike, Store


async def dotted_name(store: Store) -> None:
    await store.put("k", 1)  # E: `await` on synchronous Store.put() called on 'store'; wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, or drop the `await`  [cachelint-await-sync]


async def protocol(cache: CacheLike) -> None:
    await cache.set("patterns", "k", 1)  # E: `await` on synchronous CacheLike.set() called on 'cache'; wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, or drop the `await`  [cachelint-await-sync]


async def async_wins(store: AsyncStore) -> Any:
    return await store.get("k")


async def blocking(store: Store, cache: CacheLike) -> None:
    store.put("k", 1)  # `put` reaches no store (no I/O in its body): not CLT104
    cache.set("patterns", "k", 2)  # E: synchronous CacheLike.set() called on 'cache' inside async def blocking blocks the event loop; use AsyncCacheManager (optionally with offload=True) or asyncio.to_thread  [cachelint-blocking-call]


async def not_blocking(store: Store) -> None:
    def inner() -> None:
        store.put("k", 1)

    await asyncio.to_thread(store.put, "k", 2)
    await asyncio.to_thread(lambda: store.put("k", 3))
    inner()


def signature_code_disabled(cache: CacheLike) -> None:
    cache.set("k", 1)  # E: Missing positional argument "content_key" in call to "set" of "CacheLike"  [call-arg]


def configured_validator(store: Store) -> Item:
    value = store.get("k")
    return revive(value)


def configured_model_base(item: Item) -> object:
    return item.get("name")  # E: "Item" has no attribute "get"  [attr-defined]  # E: dict-style .get() on 'item', declared Item (a Pydantic model, not a dict); use attribute access ('item.name')  [cachelint-dict-access-on-model]
