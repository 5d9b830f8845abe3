"""``as_async``: one entry point for code that may still receive a raw sync cache.

Dependencies built through ``getattr`` or ``**kwargs`` may hand migrated code
a raw synchronous cache, an ``AsyncCacheManager``, or ``None``. ``as_async``
turns any of them into the async API: managers pass through unchanged,
``None`` stays ``None``, and a sync cache is wrapped once — wrapping the same
object again returns the same manager, so its lock, breaker and stats are
shared. The manager is memoised on the object itself when it accepts
attributes, else in a weak mapping while the manager is alive, else a new
manager is made each time.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from typing import Final, overload

from .manager import AsyncCacheManager
from .protocol import SyncCache

__all__ = ["as_async"]

_MEMO_ATTR: Final = "_cachelint_async_manager"
_memo: weakref.WeakKeyDictionary[object, weakref.ref[AsyncCacheManager]] = weakref.WeakKeyDictionary()
_memo_lock = threading.Lock()


@overload
def as_async(cache: None) -> None: ...


@overload
def as_async(cache: AsyncCacheManager | SyncCache) -> AsyncCacheManager: ...


@overload
def as_async(
    cache: AsyncCacheManager | SyncCache | None,
) -> AsyncCacheManager | None: ...


def as_async(cache: AsyncCacheManager | SyncCache | None) -> AsyncCacheManager | None:
    """The async API for *cache* (see the module docstring).

    Raises ``TypeError`` if *cache* is neither ``None``, a manager, nor a sync
    cache (an object with synchronous ``get`` and ``set``).
    """
    if cache is None or isinstance(cache, AsyncCacheManager):
        return cache
    with _memo_lock:
        manager = _recall(cache)
        if manager is None:
            manager = AsyncCacheManager(cache)
            _remember(cache, manager)
    return manager


def _recall(cache: object) -> AsyncCacheManager | None:
    manager = getattr(cache, "__dict__", {}).get(_MEMO_ATTR)
    if isinstance(manager, AsyncCacheManager) and manager.sync_cache is cache:
        return manager
    try:
        ref = _memo.get(cache)
    except TypeError:  # neither weak-referenceable nor hashable
        return None
    return ref() if ref is not None else None


def _remember(cache: object, manager: AsyncCacheManager) -> None:
    try:
        setattr(cache, _MEMO_ATTR, manager)
    except Exception:  # noqa: BLE001 - slots, frozen or validating objects refuse attributes
        with contextlib.suppress(TypeError):  # not weak-referenceable: no memo
            _memo[cache] = weakref.ref(manager)
