"""CLT103: untyped values read from a sync cache, typed `object` under strict-retrievals."""

from __future__ import annotations

from pydantic import TypeAdapter

from shop.cache import CacheManager, TypedCache
from shop.models import Pattern


def returned(cache: CacheManager, key: str) -> list[Pattern]:
    cached = cache.get("patterns", key)
    if cached:
        return cached  # E: 'cached' comes from CacheManager.get() (untyped) and is returned without validation; validate it with TypeAdapter(list[Pattern]).validate_python(...) or use AsyncCacheManager.get_model/get_list  [cachelint-untyped-retrieval]  # E: Incompatible return value type (got "object", expected "list[Pattern]")  [return-value]
    return []


def returned_single(cache: CacheManager, key: str) -> Pattern | None:
    cached = cache.get("patterns", key)
    return cached  # E: 'cached' comes from CacheManager.get() (untyped) and is returned without validation; validate it with Pattern.model_validate(...) or use AsyncCacheManager.get_model/get_list  [cachelint-untyped-retrieval]  # E: Incompatible return value type (got "object", expected "Pattern | None")  [return-value]


def attribute(cache: CacheManager, key: str) -> str:
    pattern = cache.get("patterns", key)
    return str(pattern.kind)  # E: 'pattern' comes from CacheManager.get() (untyped) and is attribute-accessed (.kind) without validation; validate it with Model.model_validate(...) or TypeAdapter(...).validate_python(...) or use AsyncCacheManager.get_model/get_list  [cachelint-untyped-retrieval]  # E: "object" has no attribute "kind"  [attr-defined]


def iterated(cache: CacheManager, key: str) -> int:
    # Iterating untyped data is no typed sink: only mypy's own error (from the `object` typing).
    total = 0
    for item in cache.get("patterns", key):  # E: "object" has no attribute "__iter__"; maybe "__dir__" or "__str__"? (not iterable)  [attr-defined]
        total += 1
    return total


def passed_on(cache: CacheManager, key: str) -> None:
    # `list[int]` is no structured type: only mypy's own error.
    value = cache.get("patterns", key)
    consume(value)  # E: Argument 1 to "consume" has incompatible type "object"; expected "list[int]"  [arg-type]


def consume(value: list[int]) -> None:
    pass


def revealed(cache: CacheManager, key: str) -> None:
    reveal_type(cache.get("patterns", key))  # N: Revealed type is "object"


def validated_model(cache: CacheManager, key: str) -> Pattern | None:
    cached = cache.get("patterns", key)
    if cached is None:
        return None
    return Pattern.model_validate(cached)


def validated_adapter(cache: CacheManager, key: str) -> list[Pattern]:
    cached = cache.get("patterns", key)
    if cached is None:
        return []
    return TypeAdapter(list[Pattern]).validate_python(cached)


def narrowed(cache: CacheManager, key: str) -> Pattern | None:
    cached = cache.get("patterns", key)
    if isinstance(cached, Pattern):
        return cached
    return None


def truthiness_and_logging(cache: CacheManager, key: str) -> bool:
    cached = cache.get("patterns", key)
    print(cached)
    return cached is not None


def typed_get(cache: TypedCache, key: str) -> bytes | None:
    return cache.get("patterns", key)
