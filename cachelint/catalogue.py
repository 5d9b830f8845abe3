"""The catalogue of well-known cache clients: which are synchronous, their real signatures.

Recognising redis-py's ``Redis``, pymemcache, diskcache, cachetools, Django's
cache, Flask-Caching, cachelib and dogpile regions needs no configuration:
their classes are listed here with the methods their installed sources
define, each with its parameter list and whether it reaches the store (the
I/O that CLT104 is about).  The asynchronous clients (``redis.asyncio``,
aiocache, aiomcache, Django's ``a*`` methods) are listed too, so that nothing
ever reports them.

The catalogue outranks what a source says: redis-py's sync ``get`` is a plain
``def`` annotated ``-> ResponseT`` (a value *or* an awaitable, because the
sync and async clients share the command mixins), and only the catalogue
knows that on ``redis.Redis`` it is the value.

Data only, plus small lookups: the mypy plugin imports this module on mypy's
start-up path, so it uses the standard library alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Kind = Literal["sync", "async"]


@dataclass(frozen=True)
class ClientMethod:
    """One method of a catalogued client."""

    name: str
    #: Parameter list without ``self``, as ``parse_signature_text`` reads it.
    signature: str
    is_async: bool = False
    #: Reaches the store (network, disk): blocking I/O when called from ``async def``.
    data_access: bool = True
    #: The value comes back as the backend stored it (bytes, a decoded dict, pickled data).
    untyped_return: bool = True


@dataclass(frozen=True)
class Client:
    """A cache client class: its qualified names (definition and public re-exports)."""

    names: tuple[str, ...]
    kind: Kind
    methods: Mapping[str, ClientMethod]
    #: Methods that return the client itself (``region.configure(...)``).
    fluent: frozenset[str] = frozenset()


def _methods(*items: ClientMethod) -> Mapping[str, ClientMethod]:
    return {item.name: item for item in items}


def _m(name: str, signature: str, *, data: bool = True, is_async: bool = False, raw: bool = True) -> ClientMethod:
    return ClientMethod(name, signature, is_async=is_async, data_access=data, untyped_return=raw)


# -- redis-py (redis/commands/core.py; the sync client's commands return values) ----
_REDIS_METHODS = _methods(
    _m("get", "(name)"),
    _m("getdel", "(name)"),
    _m("getex", "(name, ex=None, px=None, exat=None, pxat=None, persist=False)"),
    _m(
        "set",
        "(name, value, ex=None, px=None, nx=False, xx=False, keepttl=False, get=False, exat=None, pxat=None,"
        " ifeq=None, ifne=None, ifdeq=None, ifdne=None)",
    ),
    _m("setex", "(name, time, value)"),
    _m("setnx", "(name, value)"),
    _m("psetex", "(name, time_ms, value)"),
    _m("mget", "(keys, *args)"),
    _m("mset", "(mapping)"),
    _m("delete", "(*names)"),
    _m("unlink", "(*names)"),
    _m("exists", "(*names)"),
    _m("expire", "(name, time, nx=False, xx=False, gt=False, lt=False)"),
    _m("ttl", "(name)"),
    _m("incr", "(name, amount=1)"),
    _m("incrby", "(name, amount=1)"),
    _m("decr", "(name, amount=1)"),
    _m("decrby", "(name, amount=1)"),
    _m("keys", "(pattern='*', **kwargs)"),
    _m("hget", "(name, key)"),
    _m("hset", "(name, key=None, value=None, mapping=None, items=None)"),
    _m("hgetall", "(name)"),
    _m("hdel", "(name, *keys)"),
    _m("hmget", "(name, keys, *args)"),
    _m("lpush", "(name, *values)"),
    _m("rpush", "(name, *values)"),
    _m("lrange", "(name, start, end)"),
    _m("sadd", "(name, *values)"),
    _m("smembers", "(name)"),
    _m("publish", "(channel, message, **kwargs)"),
    _m("ping", "(**kwargs)"),
    _m("flushdb", "(asynchronous=False, **kwargs)"),
    _m("close", "()"),
    _m("pipeline", "(transaction=True, shard_hint=None)", data=False),
)
_REDIS_ASYNC = {
    name: ClientMethod(name, method.signature, is_async=True)
    for name, method in _REDIS_METHODS.items()
    if name != "pipeline"
}

# -- Django (django/core/cache/backends/base.py) ------------------------------------
_DJANGO_SYNC = (
    _m("get", "(key, default=None, version=None)"),
    _m("set", "(key, value, timeout=DEFAULT_TIMEOUT, version=None)"),
    _m("add", "(key, value, timeout=DEFAULT_TIMEOUT, version=None)"),
    _m("touch", "(key, timeout=DEFAULT_TIMEOUT, version=None)"),
    _m("delete", "(key, version=None)"),
    _m("get_many", "(keys, version=None)"),
    _m("get_or_set", "(key, default, timeout=DEFAULT_TIMEOUT, version=None)"),
    _m("has_key", "(key, version=None)"),
    _m("incr", "(key, delta=1, version=None)"),
    _m("decr", "(key, delta=1, version=None)"),
    _m("set_many", "(data, timeout=DEFAULT_TIMEOUT, version=None)"),
    _m("delete_many", "(keys, version=None)"),
    _m("clear", "()"),
    _m("close", "(**kwargs)"),
    _m("make_key", "(key, version=None)", data=False),
    _m("validate_key", "(key)", data=False),
)
_DJANGO_METHODS = _methods(
    *_DJANGO_SYNC,
    *(ClientMethod("a" + m.name, m.signature, is_async=True) for m in _DJANGO_SYNC if m.data_access),
)

# -- cachelib (cachelib/base.py) and Flask-Caching (flask_caching/__init__.py) ------
_CACHELIB_METHODS = _methods(
    _m("get", "(key)"),
    _m("delete", "(key)"),
    _m("get_many", "(*keys)"),
    _m("get_dict", "(*keys)"),
    _m("set", "(key, value, timeout=None)"),
    _m("add", "(key, value, timeout=None)"),
    _m("set_many", "(mapping, timeout=None)"),
    _m("delete_many", "(*keys)"),
    _m("has", "(key)"),
    _m("clear", "()"),
    _m("inc", "(key, delta=1)"),
    _m("dec", "(key, delta=1)"),
)
_FLASK_CACHING_METHODS = _methods(
    *(
        _m(name, "(*args, **kwargs)")
        for name in ("get", "has", "set", "add", "delete", "delete_many", "get_many", "set_many", "get_dict", "unlink")
    ),
    _m("clear", "()"),
)

_CACHELIB_FILE_METHODS = {
    **_CACHELIB_METHODS,
    "set": _m("set", "(key, value, timeout=None, mgmt_element=False)"),
}

# -- pymemcache (pymemcache/client/base.py, hash.py) ---------------------------------
_PYMEMCACHE_METHODS = _methods(
    _m("get", "(key, default=None, **kwargs)"),
    _m("get_many", "(keys, **kwargs)"),
    _m("gets", "(key, default=None, cas_default=None)"),
    _m("set", "(key, value, expire=0, noreply=None, flags=None)"),
    _m("set_many", "(values, expire=0, noreply=None, flags=None)"),
    _m("add", "(key, value, expire=0, noreply=None, flags=None)"),
    _m("replace", "(key, value, expire=0, noreply=None, flags=None)"),
    _m("cas", "(key, value, cas, expire=0, noreply=False, flags=None)"),
    _m("delete", "(key, noreply=None)"),
    _m("delete_many", "(keys, noreply=None)"),
    _m("incr", "(key, value, noreply=False)"),
    _m("decr", "(key, value, noreply=False)"),
    _m("touch", "(key, expire=0, noreply=None)"),
    _m("flush_all", "(delay=0, noreply=None)"),
    _m("close", "()"),
)

# -- diskcache (diskcache/core.py, fanout.py, persistent.py) --------------------------
_DISKCACHE_METHODS = _methods(
    _m("get", "(key, default=None, read=False, expire_time=False, tag=False, retry=False)"),
    _m("set", "(key, value, expire=None, read=False, tag=None, retry=False)"),
    _m("add", "(key, value, expire=None, read=False, tag=None, retry=False)"),
    _m("touch", "(key, expire=None, retry=False)"),
    _m("incr", "(key, delta=1, default=0, retry=False)"),
    _m("decr", "(key, delta=1, default=0, retry=False)"),
    _m("read", "(key, retry=False)"),
    _m("pop", "(key, default=None, expire_time=False, tag=False, retry=False)"),
    _m("delete", "(key, retry=False)"),
    _m("expire", "(now=None, retry=False)"),
    _m("evict", "(tag, retry=False)"),
    _m("clear", "(retry=False)"),
    _m("close", "()"),
)
_DISKCACHE_INDEX_METHODS = _methods(
    _m("get", "(key, default=None)"),
    _m("pop", "(key, default=None)"),
    _m("setdefault", "(key, default=None)"),
    _m("clear", "()"),
)

# -- cachetools (cachetools/__init__.py): in-memory mappings ----------------------------
# Sync, so awaiting them is CLT101; no I/O, so calling them from async code blocks nothing.
_CACHETOOLS_METHODS = _methods(
    _m("get", "(key, default=None)", data=False),
    _m("pop", "(key, default=None)", data=False),
    _m("setdefault", "(key, default=None)", data=False),
    _m("clear", "()", data=False),
    _m("expire", "(time=None)", data=False),
)

# -- dogpile.cache (dogpile/cache/region.py) -----------------------------------------
_DOGPILE_METHODS = _methods(
    _m("get", "(key, expiration_time=None, ignore_expiration=False)"),
    _m("get_multi", "(keys, expiration_time=None, ignore_expiration=False)"),
    _m("get_or_create", "(key, creator, expiration_time=None, should_cache_fn=None, creator_args=None)"),
    _m("set", "(key, value)"),
    _m("set_multi", "(mapping)"),
    _m("delete", "(key)"),
    _m("delete_multi", "(keys)"),
)

# -- async clients: never reported -------------------------------------------------
_AIOCACHE_METHODS = _methods(
    *(
        ClientMethod(name, "(*args, **kwargs)", is_async=True)
        for name in ("get", "set", "add", "delete", "exists", "multi_get", "multi_set", "increment", "expire")
    ),
    ClientMethod("clear", "(namespace=None, _conn=None)", is_async=True),
    ClientMethod("close", "(*args, _conn=None, **kwargs)", is_async=True),
)
_AIOMCACHE_METHODS = _methods(
    *(
        ClientMethod(name, "(*args, **kwargs)", is_async=True)
        for name in ("get", "gets", "multi_get", "set", "cas", "add", "replace", "delete", "incr", "decr", "touch")
    ),
    ClientMethod("close", "()", is_async=True),
)

CLIENTS: tuple[Client, ...] = (
    Client(
        (
            "redis.Redis",
            "redis.StrictRedis",
            "redis.client.Redis",
            "redis.client.StrictRedis",
            "redis.RedisCluster",
            "redis.cluster.RedisCluster",
        ),
        "sync",
        _REDIS_METHODS,
    ),
    Client(
        (
            "redis.asyncio.Redis",
            "redis.asyncio.StrictRedis",
            "redis.asyncio.client.Redis",
            "redis.asyncio.client.StrictRedis",
            "redis.asyncio.RedisCluster",
            "redis.asyncio.cluster.RedisCluster",
            "aioredis.Redis",
            "aioredis.client.Redis",
            "fakeredis.FakeAsyncRedis",
            "fakeredis.aioredis.FakeRedis",
        ),
        "async",
        _REDIS_ASYNC,
    ),
    Client(("fakeredis.FakeRedis", "fakeredis.FakeStrictRedis"), "sync", _REDIS_METHODS),
    Client(
        (
            "django.core.cache.backends.base.BaseCache",
            "django.core.cache.backends.redis.RedisCache",
            "django.core.cache.backends.locmem.LocMemCache",
            "django.core.cache.backends.filebased.FileBasedCache",
            "django.core.cache.backends.db.DatabaseCache",
            "django.core.cache.backends.dummy.DummyCache",
            "django.core.cache.backends.memcached.PyMemcacheCache",
            "django.core.cache.backends.memcached.PyLibMCCache",
            "django_redis.cache.RedisCache",
        ),
        "sync",
        _DJANGO_METHODS,
    ),
    Client(
        (
            "cachelib.BaseCache",
            "cachelib.base.BaseCache",
            "cachelib.SimpleCache",
            "cachelib.simple.SimpleCache",
            "cachelib.RedisCache",
            "cachelib.redis.RedisCache",
            "cachelib.MemcachedCache",
            "cachelib.memcached.MemcachedCache",
            "cachelib.UWSGICache",
            "cachelib.uwsgi.UWSGICache",
            "cachelib.DynamoDbCache",
            "cachelib.dynamodb.DynamoDbCache",
            "cachelib.MongoDbCache",
            "cachelib.mongodb.MongoDbCache",
            "cachelib.NullCache",
            "cachelib.base.NullCache",
        ),
        "sync",
        _CACHELIB_METHODS,
    ),
    Client(("cachelib.FileSystemCache", "cachelib.file.FileSystemCache"), "sync", _CACHELIB_FILE_METHODS),
    Client(("flask_caching.Cache",), "sync", _FLASK_CACHING_METHODS),
    Client(
        (
            "pymemcache.Client",
            "pymemcache.client.Client",
            "pymemcache.client.base.Client",
            "pymemcache.PooledClient",
            "pymemcache.client.PooledClient",
            "pymemcache.client.base.PooledClient",
            "pymemcache.HashClient",
            "pymemcache.client.HashClient",
            "pymemcache.client.hash.HashClient",
        ),
        "sync",
        _PYMEMCACHE_METHODS,
    ),
    Client(
        (
            "diskcache.Cache",
            "diskcache.core.Cache",
            "diskcache.FanoutCache",
            "diskcache.fanout.FanoutCache",
        ),
        "sync",
        _DISKCACHE_METHODS,
    ),
    Client(("diskcache.Index", "diskcache.persistent.Index"), "sync", _DISKCACHE_INDEX_METHODS),
    Client(
        tuple(
            f"cachetools.{name}"
            for name in ("Cache", "FIFOCache", "LFUCache", "LRUCache", "RRCache", "TTLCache", "TLRUCache")
        ),
        "sync",
        _CACHETOOLS_METHODS,
    ),
    Client(
        ("dogpile.cache.CacheRegion", "dogpile.cache.region.CacheRegion"),
        "sync",
        _DOGPILE_METHODS,
        frozenset({"configure", "configure_from_config", "wrap"}),
    ),
    Client(
        (
            "aiocache.BaseCache",
            "aiocache.base.BaseCache",
            "aiocache.Cache",
            "aiocache.SimpleMemoryCache",
            "aiocache.backends.memory.SimpleMemoryCache",
            "aiocache.RedisCache",
            "aiocache.backends.redis.RedisCache",
            "aiocache.MemcachedCache",
            "aiocache.backends.memcached.MemcachedCache",
        ),
        "async",
        _AIOCACHE_METHODS,
    ),
    Client(("aiomcache.Client", "aiomcache.client.Client", "aiomcache.client.FlagClient"), "async", _AIOMCACHE_METHODS),
)

_BY_NAME: dict[str, Client] = {name: client for client in CLIENTS for name in client.names}

#: Module-level objects that are instances of a catalogued client.
INSTANCES: Mapping[str, str] = {
    "django.core.cache.cache": "django.core.cache.backends.base.BaseCache",
}

#: Functions and classmethods that build a catalogued client.
FACTORIES: Mapping[str, str] = {
    "redis.from_url": "redis.client.Redis",
    "redis.Redis.from_url": "redis.client.Redis",
    "redis.StrictRedis.from_url": "redis.client.Redis",
    "redis.client.Redis.from_url": "redis.client.Redis",
    "redis.Redis.from_pool": "redis.client.Redis",
    "redis.asyncio.from_url": "redis.asyncio.client.Redis",
    "redis.asyncio.Redis.from_url": "redis.asyncio.client.Redis",
    "redis.asyncio.client.Redis.from_url": "redis.asyncio.client.Redis",
    "dogpile.cache.make_region": "dogpile.cache.region.CacheRegion",
    "dogpile.cache.region.make_region": "dogpile.cache.region.CacheRegion",
}

#: Mapping-like module objects whose items are catalogued clients: ``caches["default"]``.
REGISTRIES: Mapping[str, str] = {
    "django.core.cache.caches": "django.core.cache.backends.base.BaseCache",
}


def client(qualname: str) -> Client | None:
    """The catalogued client a qualified class name denotes, if any (exact names only)."""
    return _BY_NAME.get(qualname)


def returns_self(qualname: str, name: str) -> bool:
    """Whether ``name`` is a fluent method of a catalogued client (it returns the client)."""
    found = _BY_NAME.get(qualname)
    return found is not None and name in found.fluent


def method(qualname: str, name: str) -> ClientMethod | None:
    """A catalogued client's method, or None when the class or the method is not listed."""
    found = _BY_NAME.get(qualname)
    return None if found is None else found.methods.get(name)


__all__ = [
    "CLIENTS",
    "FACTORIES",
    "INSTANCES",
    "REGISTRIES",
    "Client",
    "ClientMethod",
    "client",
    "method",
    "returns_self",
]
