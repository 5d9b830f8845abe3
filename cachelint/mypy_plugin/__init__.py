"""cachelint's mypy plugin: ``plugins = ["cachelint.mypy_plugin"]``.

The type-precise engine: the same rules as the flake8 plugin (CLT101,
CLT102, CLT103, CLT104, CLT106), decided on mypy's resolved types and
reported under custom error codes built from the catalog
(``cachelint-await-sync``...), so ``# type: ignore[code]``,
``disable_error_code`` and ``enable_error_code`` work the mypy way.  The
modules of this package: :mod:`.codes` (error codes), :mod:`.settings`
(``[tool.cachelint]`` for a mypy run), :mod:`.classes` (which classes are
caches and models), :mod:`.syntax` (per-module syntactic facts),
:mod:`.calls` (CLT101/102/104 and strict typing), :mod:`.retrieval` (CLT103),
:mod:`.models` (CLT106), :mod:`.plugin` (hook wiring).  See ``docs/mypy.md``.
"""

from __future__ import annotations

from mypy.plugin import Plugin

from cachelint.mypy_plugin.plugin import CacheLintPlugin

__all__ = ["CacheLintPlugin", "plugin"]


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point: the plugin class for this mypy ``version``."""
    return CacheLintPlugin
