"""Files ``cachelint check`` already found clean: the codemod skips them unanalysed.

The result cache of ``cachelint check`` (:mod:`cachelint.resultcache`) holds,
for each file it checked, the findings of every code after ``noqa``, valid
while the file, its settings, cachelint's version and every project module its
imports reach are unchanged.  A file whose valid entry holds no finding the
codemod acts on (CLT101/CLT102 it rewrites, CLT103/CLT105/CLT106 it lists,
CLT104 with ``--include-blocking``) gets nothing from the codemod: run cold,
the engine would report exactly those findings, and the codemod honours
``noqa`` the same way.  So a clean tree that ``cachelint check`` has seen
costs ``--check`` a stat per file.  The codemod only reads the cache.
"""

from __future__ import annotations

import os
from pathlib import Path

from cachelint.codemod.codes import acted_on
from cachelint.config import ConfigError
from cachelint.resultcache import open_default
from cachelint.workspace import SettingsByFolder


class CleanFiles:
    """``clean(path)``: True when the result cache proves the codemod has nothing to do there."""

    def __init__(self, include_blocking: bool, settings_for: SettingsByFolder | None = None) -> None:
        self._codes = acted_on(include_blocking)
        # Where ``cachelint check`` run from here keeps its results.
        self._cache = open_default(os.getcwd()).load()
        self._settings = settings_for if settings_for is not None else SettingsByFolder()

    def __call__(self, path: Path) -> bool:
        absolute = os.path.abspath(path)
        try:
            settings = self._settings(os.path.dirname(absolute))
        except ConfigError:  # a bad configuration: the engine path reports it
            return False
        entry = self._cache.lookup(absolute, self._settings.fingerprint(settings))
        if entry is None or entry.error is not None:
            return False
        return not any(finding[2] in self._codes for finding in entry.findings)
