"""Only uninstalled clients here: no hook of the plugin fires for any of these lines."""

from __future__ import annotations

from typing import Any

import diskcache
import redis
import redis.asyncio as aioredis
from django.core.cache import caches
from dogpile.cache import make_region

from holder import memory_cache

pool = redis.Redis.from_url("redis://localhost:6379/0")
region = make_region().configure("dogpile.cache.memory")
rebound = diskcache.Cache("/tmp/a")
rebound = aioredis.Redis()


async def module_level() -> None:
    await pool.ping()  # E: `await` on synchronous Redis.ping() called on 'pool'; wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, or drop the `await`  [cachelint-await-sync]
    await region.get("k")  # E: `await` on synchronous CacheRegion.get() called on 'region'; wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, or drop the `await`  [cachelint-await-sync]
    await memory_cache.get("k")  # E: `await` on synchronous SimpleCache.get() called on 'memory_cache'; wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, or drop the `await`  [cachelint-await-sync]
    await rebound.get("k")


async def annotated(client: redis.StrictRedis, native: aioredis.Redis) -> None:
    await client.incr("hits")  # E: `await` on synchronous StrictRedis.incr() called on 'client'; wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, or drop the `await`  [cachelint-await-sync]
    await native.get("k")


async def built_here(folder: str) -> None:
    disk = diskcache.Cache(folder)
    disk.get("k")  # E: synchronous Cache.get() called on 'disk' inside async def built_here blocks the event loop; use AsyncCacheManager (optionally with offload=True) or asyncio.to_thread  [cachelint-blocking-call]
    await caches["default"].get("k")  # E: `await` on synchronous BaseCache.get() called on 'caches["default"]'; wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, or drop the `await`  [cachelint-await-sync]


class Store:
    def __init__(self, client: redis.Redis) -> None:
        self._redis = client

    async def load(self, key: str) -> None:
        await self._redis.get(key)  # E: `await` on synchronous Redis.get() called on 'self._redis'; wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, or drop the `await`  [cachelint-await-sync]


async def not_a_method(holder: Any) -> None:
    await holder.client.get("k")
