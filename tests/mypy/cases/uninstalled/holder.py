"""A module-level client of a package that is not installed."""

from __future__ import annotations

from cachelib import SimpleCache

memory_cache = SimpleCache(threshold=500)
