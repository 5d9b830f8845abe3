"""The typed async cache API that cachelint's codemod rewrites call sites to.

```python
key = CacheKey.for_content("analyze_patterns", chunks)   # or CacheKey(cache_type, content_key)
cache = as_async(deps.cache_manager)                      # wraps a sync get/set cache once
patterns = await cache.get_list(key, PatternAnalysis)     # list[PatternAnalysis] | None, validated
await cache.set_list(key, patterns)
model = await cache.get_or_compute(key, PatternAnalysis, compute)  # single-flight
```

Set ``CACHELINT_CACHE_DISABLED=1`` to turn every manager into a pass-through
miss without code changes (read at call time). Modules: ``keys`` (CacheKey),
``protocol`` (SyncCache), ``codec`` (envelopes and schema fingerprints),
``breaker``, ``stats``, ``switch`` (the rollback switch), ``manager``
(AsyncCacheManager) and ``adapter`` (as_async).
"""

from __future__ import annotations

from .adapter import as_async
from .breaker import BreakerState, CircuitBreaker
from .keys import CacheKey
from .manager import AsyncCacheManager
from .protocol import SupportsDelete, SyncCache
from .stats import CacheStats
from .switch import DISABLE_ENV_VAR, cache_disabled

__all__ = [
    "DISABLE_ENV_VAR",
    "AsyncCacheManager",
    "BreakerState",
    "CacheKey",
    "CacheStats",
    "CircuitBreaker",
    "SupportsDelete",
    "SyncCache",
    "as_async",
    "cache_disabled",
]
