"""CLT102: arguments that do not bind to the cache method's real signature."""

from __future__ import annotations

from typing import Any

from shop.cache import CacheManager, LayeredCache
from shop.deps import Deps
from shop.legacy import CacheManager as LegacyCache


def one_string_key(deps: Deps, key: str) -> Any:
    if deps.cache_manager is not None:
        return deps.cache_manager.get(key)  # E: 'deps.cache_manager.get(key)' does not match CacheManager.get(cache_type, content_key): missing required argument 'content_key'; pass the arguments the method declares  [cachelint-cache-signature]  # E: Missing positional argument "content_key" in call to "get" of "CacheManager"  [call-arg]
    return None


def two_argument_set(cache: LayeredCache, key: str, value: list[int]) -> None:
    cache.set(key, value)  # E: 'cache.set(key, value)' does not match LayeredCache.set(cache_type, content_key, value, ttl_override=None): missing required argument 'value'; pass the arguments the method declares  [cachelint-cache-signature]  # E: Missing positional argument "value" in call to "set" of "CacheManager"  [call-arg]  # E: Argument 2 to "set" of "CacheManager" has incompatible type "list[int]"; expected "str"  [arg-type]


def unknown_keyword(cache: CacheManager) -> None:
    cache.delete("patterns", key="k")  # E: 'cache.delete("patterns", key="k")' does not match CacheManager.delete(cache_type, content_key): unexpected keyword argument 'key'; pass the arguments the method declares  [cachelint-cache-signature]  # E: Unexpected keyword argument "key" for "delete" of "CacheManager"  [call-arg]  # N: "delete" defined in "shop.cache"


def too_many(cache: CacheManager) -> None:
    cache.delete("patterns", "k", "extra")  # E: 'cache.delete("patterns", "k", "extra")' does not match CacheManager.delete(cache_type, content_key): takes 2 positional arguments but 3 were given; pass the arguments the method declares  [cachelint-cache-signature]  # E: Too many arguments for "delete" of "CacheManager"  [call-arg]


def twice(cache: CacheManager) -> None:
    cache.set("patterns", "k", 1, value=2)  # E: 'cache.set("patterns", "k", 1, value=2)' does not match CacheManager.set(cache_type, content_key, value, ttl_override=None): got multiple values for 'value'; pass the arguments the method declares  [cachelint-cache-signature]  # E: "set" of "CacheManager" gets multiple values for keyword argument "value"  [misc]


def correct(cache: CacheManager, key: str) -> None:
    cache.set("patterns", key, [1], ttl_override=60)
    cache.set(cache_type="patterns", content_key=key, value=1)
    cache.delete(*("patterns", key))


def not_a_cache(store: dict[str, int], key: str) -> int:
    return store.get(key, 0)


def positional_only(cache: LegacyCache) -> None:
    cache.get("patterns", content_key="k")  # E: 'cache.get("patterns", content_key="k")' does not match CacheManager.get(cache_type, content_key): unexpected keyword argument 'content_key'; pass the arguments the method declares  [cachelint-cache-signature]  # E: Unexpected keyword argument "content_key" for "get" of "CacheManager"  [call-arg]  # N: "get" defined in "shop.legacy"


def magic_method_keyword(cache: LegacyCache) -> None:
    # mypy treats magic-method parameters as positional-only by convention;
    # at run time the keyword binds, so CLT102 stays silent.
    cache.__delitem__("k", retry=False)  # E: Unexpected keyword argument "retry" for "__delitem__" of "CacheManager"  [call-arg]  # N: "__delitem__" defined in "shop.legacy"


def implicit_dunder_calls(cache: LegacyCache) -> None:
    # mypy fires the hooks of __enter__/__exit__ with the `with` item as context:
    # they are not calls of `batch` and must not be checked against its signature.
    with cache.batch(10) as batch:
        batch.get("patterns", "k")
