"""Files ``cachelint check`` already found clean: the codemod skips them unanalysed.

The result cache of ``cachelint check`` (:mod:`cachelint.resultcache`) holds,
for each file it checked, the findings of every code after ``noqa``, valid
while the file, its settings, cachelint's version and every project module its
imports reach are unchanged.  A file whose valid entry holds no finding the
codemod acts on (CLT101/CLT102 it rewrites, CLT103/CLT105/CLT106 it lists,
CLT104 with ``--include-blocking``) gets nothing from the codemod: run cold,
the engine would report exactly those findings, and the codemod honours
``noqa`` the same way.  So a clean tree that ``cachelint check`` has seen
costs ``--check`` a stat per file.

The codemod's engine pass *is* ``cachelint check``'s
(:func:`cachelint.checker.check_files`, dependencies included), so it stores
what it found exactly as ``check`` does (:meth:`CleanFiles.record`): after
one cold ``--check``, the next ``--check`` and ``cachelint check`` are warm.
A file the check could not finish is not stored, as in ``check``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cachelint.codemod.codes import acted_on
from cachelint.config import ConfigError
from cachelint.resultcache import open_default
from cachelint.workspace import SettingsByFolder

if TYPE_CHECKING:
    from cachelint.checker import FileResult
    from cachelint.config import Settings


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

    def record(self, results: list[FileResult], settings_of: Callable[[str], Settings]) -> None:
        """Store ``cachelint check``'s results (absolute paths), as ``check`` stores them, with what each watches."""
        from cachelint.checker import dependencies, store_result, stored_imports

        deps = dependencies(results, settings_of, stored_imports(self._cache, self._settings))
        for result in results:
            fingerprint = self._settings.fingerprint(settings_of(result.path))
            store_result(self._cache, fingerprint, result, deps.get(result.path, ()))

    def save(self) -> None:
        """Write what :meth:`record` stored (a cache that cannot be written is skipped, as in ``check``)."""
        self._cache.save()
