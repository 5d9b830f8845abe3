"""The rollback switch: ``CACHELINT_CACHE_DISABLED``.

Set ``CACHELINT_CACHE_DISABLED=1`` (or ``true``/``yes``/``on``) in the
environment and every ``AsyncCacheManager`` becomes a pass-through miss: reads
return ``None``, writes do nothing, ``get_or_compute`` always computes. The
variable is read from ``os.environ`` on every call, so setting it (e.g. in a
running process's config reload, or with ``monkeypatch.setenv``) takes effect
on the next cache call.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Final

__all__ = ["DISABLE_ENV_VAR", "cache_disabled"]

DISABLE_ENV_VAR: Final = "CACHELINT_CACHE_DISABLED"
_TRUTHY: Final = frozenset({"1", "true", "yes", "on"})


def _environ_lookup() -> Callable[[], str | None]:
    # ``os.environ.get`` encodes the key and decodes the value on every call
    # (~0.5 µs, a quarter of a cache hit's overhead). ``os.environ`` keeps its
    # encoded mapping in ``_data``, which every ``os.environ`` update mutates,
    # so reading it directly is just as current. Fall back to the public API
    # if the private layout ever differs.
    environ = os.environ
    data = getattr(environ, "_data", None)
    encodekey = getattr(environ, "encodekey", None)
    decodevalue = getattr(environ, "decodevalue", None)
    if isinstance(data, dict) and callable(encodekey) and callable(decodevalue):
        key = encodekey(DISABLE_ENV_VAR)

        def fast() -> str | None:
            if environ is not os.environ:  # replaced wholesale: use the public API
                return os.environ.get(DISABLE_ENV_VAR)
            raw = data.get(key)
            return None if raw is None else str(decodevalue(raw))

        return fast
    return lambda: os.environ.get(DISABLE_ENV_VAR)


_lookup: Final = _environ_lookup()


def cache_disabled() -> bool:
    """Whether the rollback switch is on right now."""
    value = _lookup()
    return value is not None and value.strip().lower() in _TRUTHY
