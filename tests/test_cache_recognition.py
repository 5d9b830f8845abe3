"""Which classes are caches (``policy.cache_kind``) and the catalogue behind it.

Judgements over engine-neutral facts, as both engines ask them, and the
catalogue checked against itself: every signature parses, and every client
named once.
"""

from __future__ import annotations

import pytest

from cachelint import catalogue
from cachelint.policy import ClassFacts, MethodFacts, cache_kind, method_is_sync
from cachelint.signatures import parse_signature_text


def _cls(name: str, *methods: MethodFacts, bases: tuple[str, ...] = ()) -> ClassFacts:
    return ClassFacts(name, (name, *bases, "builtins.object"), {m.name: m for m in methods})


def _sync(name: str, **kw: object) -> MethodFacts:
    return MethodFacts(name, False, **kw)  # type: ignore[arg-type]


def _async(name: str) -> MethodFacts:
    return MethodFacts(name, True)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (_cls("redis.client.Redis"), "sync"),
        (_cls("redis.asyncio.client.Redis"), "async"),
        (_cls("app.Sessions", bases=("redis.Redis",)), "sync"),
        (_cls("django.core.cache.backends.base.BaseCache"), "sync"),
        (_cls("aiocache.Cache"), "async"),
        (_cls("cachelib.SimpleCache"), "sync"),
        # Structure: a plain-def get with a set/delete-like method.
        (_cls("app.Store", _sync("get"), _sync("delete")), "sync"),
        (_cls("app.Store", _async("get"), _async("set")), "async"),
        # A name containing "cache" with sync methods.
        (_cls("app.PromptCache", _sync("lookup")), "sync"),
        # The incident's name, but asynchronous methods: not a sync cache.
        (_cls("app.CacheManager", _async("get"), _async("set"), _sync("_key")), "async"),
        # Neither structure nor name: no cache.
        (_cls("app.Settings", _sync("get")), None),
        (_cls("builtins.dict"), None),
        # A name alone without any known method: nothing proven.
        (_cls("functools._lru_cache_wrapper"), None),
        # Only unknown decorators: nothing proven sync.
        (_cls("app.Store", _sync("get", decorators="unknown"), _sync("set", decorators="unknown")), None),
        # A keyed store: get(key) with set(key, value); unknown arity (*args) counts as able.
        (_cls("app.Store", _sync("get", positional=1), _sync("set", positional=2)), "sync"),
        (_cls("app.Store", _sync("get", positional=None), _sync("delete", positional=1)), "sync"),
        # A context variable (trio's RunVar): get() / set(value) is no keyed store.
        (_cls("app.RunVar", _sync("get", positional=1), _sync("set", positional=1)), None),
        (_cls("app.Var", _sync("get", positional=0), _sync("delete", positional=1)), None),
        # A registry keyed by type (moto's TypedProps): get(typ) / add(instance).
        (_cls("app.TypedProps", _sync("get", positional=2), _sync("add", positional=1)), None),
        # An HTTP session (pip's PipSession): get/put/delete are requests.
        (_cls("app.PipSession", _sync("get"), _sync("put"), _sync("delete"), _sync("post")), None),
        (_cls("app.CachedSession", _sync("get"), _sync("request")), None),
    ],
)
def test_cache_kind_without_configuration(facts: ClassFacts, expected: str | None) -> None:
    assert cache_kind(facts) == expected


def test_configuration_adds_and_takes_away() -> None:
    legacy = _cls("vendor.LegacyStore")
    assert cache_kind(legacy) is None
    assert cache_kind(legacy, sync_classes=["LegacyStore"]) == "sync"
    assert cache_kind(legacy, sync_classes=["LegacyStore"], async_classes=["vendor.LegacyStore"]) == "async"
    store = _cls("app.Registry", _sync("get"), _sync("set"))
    assert cache_kind(store) == "sync"
    assert cache_kind(store, excluded_classes=["Registry"]) is None
    # Excluding a base excludes its subclasses, catalogue included.
    assert cache_kind(_cls("app.Mine", bases=("redis.Redis",)), excluded_classes=["redis.Redis"]) is None
    # A configured sync class whose source shows only async data methods is async.
    assert cache_kind(_cls("app.CacheManager", _async("get"), _async("set")), sync_classes=["CacheManager"]) == "async"


def test_a_plain_def_returning_an_awaitable_is_not_proven_sync() -> None:
    assert method_is_sync(_sync("get", returns_awaitable=True)) is None
    assert method_is_sync(_sync("get", decorators="sync")) is True
    assert method_is_sync(_sync("get", decorators="async")) is False
    assert method_is_sync(MethodFacts("get", True, decorators="sync")) is False


def test_catalogue_signatures_parse_and_names_are_unique() -> None:
    seen: set[str] = set()
    for client in catalogue.CLIENTS:
        for name in client.names:
            assert name not in seen, name
            seen.add(name)
        for method in client.methods.values():
            assert parse_signature_text(method.signature) is not None, (client.names[0], method.name)
    for target in (*catalogue.INSTANCES.values(), *catalogue.FACTORIES.values(), *catalogue.REGISTRIES.values()):
        assert catalogue.client(target) is not None, target


def test_catalogue_knows_django_async_methods_and_redis_sync_ones() -> None:
    aget = catalogue.method("django.core.cache.backends.base.BaseCache", "aget")
    get = catalogue.method("django.core.cache.backends.base.BaseCache", "get")
    assert aget is not None and aget.is_async
    assert get is not None and not get.is_async and get.data_access
    redis_get = catalogue.method("redis.Redis", "get")
    assert redis_get is not None and not redis_get.is_async
    key = catalogue.method("django.core.cache.backends.base.BaseCache", "make_key")
    assert key is not None and not key.data_access


_DECORATORS = """
import functools


def timed(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


def labelled(label):
    def decorator(func):
        def wrapper(self, key):
            return func(self, key)
        return wrapper
    return decorator


def to_async(func):
    async def wrapper(*args, **kwargs):
        return func(*args, **kwargs)
    return wrapper


def register(func):
    return func


def offload(func):
    def wrapper(*args, **kwargs):
        return loop.run_in_executor(None, func, *args)
    return wrapper


def other(func):
    return Wrapped(func)
"""


@pytest.mark.parametrize(
    ("name", "effect", "keeps_signature"),
    [
        ("timed", "sync", True),
        ("labelled", "sync", False),
        ("to_async", "async", True),
        ("register", "none", True),
        ("offload", "unknown", False),
        ("other", "unknown", False),
    ],
)
def test_decorator_wrappers_read_from_source(name: str, effect: str, keeps_signature: bool) -> None:
    import ast

    from cachelint.analysis.behaviour import decorator_wrapper

    tree = ast.parse(_DECORATORS)
    func = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == name)
    wrapper = decorator_wrapper(func)
    assert (wrapper.effect, wrapper.keeps_signature) == (effect, keeps_signature)
