"""The warm-run cache of ``cachelint check``: per-file results, reused while nothing changed.

One file, ``.cachelint_cache/results.marshal`` under the project root,
written atomically (temporary file + ``os.replace``) and read with
:mod:`marshal` (the fastest loader in the standard library; the file is ours
and versioned, so its format may change with any release).

An entry is reused only when all of these are unchanged:

* the file's ``mtime_ns`` and size;
* the settings fingerprint (``[tool.cachelint]`` values minus the selection,
  since findings are stored for every code and selected when printed);
* the cachelint version (part of the file header: another version discards
  the whole file);
* every project module the file's imports reach (transitively): the engine
  reads those through its project index, so editing ``cache_manager.py`` can
  change findings in the file that imports it.  Their ``(mtime_ns, size)``
  stamps are folded into one number per entry.

Entries of files not checked in a run are kept, so checking one folder does
not evict another's results.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cachelint import __version__

FORMAT = 2
CACHE_DIR_NAME = ".cachelint_cache"
FILE_NAME = "results.marshal"

#: (line, col, code, message, end_line, end_col, char_col, char_end_col);
#: columns are 0-based, ``col`` in UTF-8 bytes (as ast and flake8), ``char_*``
#: in code points (for SARIF).  ``end_*`` are -1 when unknown.
Finding = tuple[int, int, str, str, int, int, int, int]
#: (line, col, message) of a file that cannot be parsed.
ParseError = tuple[int, int, str]

Stat = tuple[int, int]


def stat_of(path: str) -> Stat | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def deps_stamp(deps: Iterable[str], stat: Callable[[str], Stat | None]) -> int:
    """One number for the state of a file's dependencies (deterministic across runs)."""
    return hash(tuple(stat(dep) or (-1, -1) for dep in deps))


@dataclass(frozen=True)
class Entry:
    mtime_ns: int
    size: int
    fingerprint: str
    findings: tuple[Finding, ...]
    error: ParseError | None
    deps: tuple[str, ...]
    stamp: int

    def to_raw(self) -> tuple[Any, ...]:
        return (self.mtime_ns, self.size, self.fingerprint, self.findings, self.error, self.deps, self.stamp)

    @classmethod
    def from_raw(cls, raw: tuple[Any, ...]) -> Entry:
        return cls(*raw)


class ResultCache:
    """Load once, look up and store per file, save once at the end of a run."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.path = os.path.join(directory, FILE_NAME)
        self._raw: dict[str, tuple[Any, ...]] = {}
        self._dirty = False
        self._stats: dict[str, Stat | None] = {}
        # Files of one import cycle share one dependency tuple (one object,
        # kept shared by marshal): its stamp is computed once per run.
        self._stamps: dict[int, int] = {}
        self._canonical: dict[tuple[str, ...], tuple[str, ...]] = {}

    def stat(self, path: str) -> Stat | None:
        """``stat_of`` memoised for this run (dependencies are shared by many files)."""
        if path in self._stats:
            return self._stats[path]
        found = stat_of(path)
        self._stats[path] = found
        return found

    def load(self) -> ResultCache:
        try:
            with open(self.path, "rb") as handle:
                data = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError):
            return self
        if (
            isinstance(data, tuple)
            and len(data) == 3
            and data[0] == FORMAT
            and data[1] == __version__
            and isinstance(data[2], dict)
        ):
            self._raw = data[2]
        return self

    def lookup(self, path: str, fingerprint: str) -> Entry | None:
        """The stored result for ``path`` if it is still valid."""
        raw = self._raw.get(path)
        if raw is None:
            return None
        try:
            entry = Entry.from_raw(raw)
        except TypeError:
            return None
        if entry.fingerprint != fingerprint or self.stat(path) != (entry.mtime_ns, entry.size):
            return None
        if entry.deps and self.stamp(entry.deps) != entry.stamp:
            return None
        return entry

    def stamp(self, deps: tuple[str, ...]) -> int:
        """:func:`deps_stamp` of ``deps``, memoised by object for this run."""
        found = self._stamps.get(id(deps))
        if found is None:
            found = self._stamps[id(deps)] = deps_stamp(deps, self.stat)
        return found

    def canonical(self, deps: tuple[str, ...]) -> tuple[str, ...]:
        """One shared, interned tuple per distinct dependency list."""
        found = self._canonical.get(deps)
        if found is None:
            found = tuple(sys.intern(dep) for dep in deps)
            self._canonical[found] = found
        return found

    def store(self, path: str, entry: Entry) -> None:
        # Shared objects are written once by marshal and shared again on load.
        intern = sys.intern
        deps = self.canonical(entry.deps)
        raw = (entry.mtime_ns, entry.size, intern(entry.fingerprint), entry.findings, entry.error, deps, entry.stamp)
        self._raw[intern(path)] = raw
        self._dirty = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is silently skipped."""
        if not self._dirty:
            return
        import tempfile

        try:
            os.makedirs(self.directory, exist_ok=True)
            gitignore = os.path.join(self.directory, ".gitignore")
            if not os.path.exists(gitignore):
                with open(gitignore, "w", encoding="utf-8") as handle:
                    handle.write("# Created by cachelint\n*\n")
            fd, tmp = tempfile.mkstemp(prefix=".results-", dir=self.directory)
            try:
                with os.fdopen(fd, "wb") as handle:
                    marshal.dump((FORMAT, __version__, self._raw), handle)
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            return
        self._dirty = False


def default_directory(start: str) -> str:
    """``.cachelint_cache`` in the folder of the nearest ``pyproject.toml`` (or ``start``)."""
    override = os.environ.get("CACHELINT_CACHE_DIR")
    if override:
        return os.path.abspath(override)
    folder = os.path.abspath(start)
    current = folder
    while True:
        if os.path.isfile(os.path.join(current, "pyproject.toml")):
            return os.path.join(current, CACHE_DIR_NAME)
        parent = os.path.dirname(current)
        if parent == current:
            return os.path.join(folder, CACHE_DIR_NAME)
        current = parent
