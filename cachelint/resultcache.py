"""The warm-run cache of ``cachelint check``: per-file results, reused while nothing changed.

One file, ``.cachelint_cache/results.json`` under the project root, written
atomically (temporary file + ``os.replace``).

An entry is reused only when all of these are unchanged:

* the file's ``mtime_ns`` and size;
* the settings fingerprint (``[tool.cachelint]`` values minus the selection,
  since findings are stored for every code and selected when printed);
* cachelint itself: its version *and* a content hash of its own source files
  (part of the file header: an edited engine discards the whole file, even
  under the same version string; the hash is read only when the files'
  stats changed since the cache was written);
* every file the engine could have read for it, its *dependencies*: the
  project modules its imports reach (transitively), the paths where a module
  that did not resolve would appear if created (*negative* dependencies: a
  missing path's stamp changes when it appears), and the installed files the
  engine reports having read.  Their ``(mtime_ns, size)`` stamps are folded
  into one number per entry.  Dependencies come in shared *groups* (one per
  import-graph component), each stored and stamped once per run however many
  files depend on it.

Each entry also keeps what the file imports at module level (the import
graph's edges out of it, :mod:`cachelint.analysis.imports`): a later run that
checks a few changed files (a pre-commit hook) reads the edges of every
unchanged module from here (:meth:`ResultCache.imports`, valid under the same
stat and settings) instead of parsing the modules their imports reach.

The file is read as untrusted input: a repository may ship one.  It is JSON
(its parser allocates in proportion to the bytes it reads, unlike
``marshal``, where a 5-byte file can request 16 GB), capped at
:data:`MAX_BYTES` before parsing, and every value is type-checked before use;
anything unexpected is a cold run, never a crash.  The default cache folder is
neither read nor written when it is a symbolic link leading out of the
project (``cachelint check`` prints a warning); ``--cache-dir`` and
``CACHELINT_CACHE_DIR`` are the user's choice and are followed.

Entries of files not checked in a run are kept, so checking one folder does
not evict another's results.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cachelint import __version__

FORMAT = 4
CACHE_DIR_NAME = ".cachelint_cache"
FILE_NAME = "results.json"
#: A cache file larger than this is ignored unread (the corpus of 1,432 files needs about 1 MB).
MAX_BYTES = 64 * 1024 * 1024

#: (line, col, code, message, end_line, end_col, char_col, char_end_col);
#: columns are 0-based, ``col`` in UTF-8 bytes (as ast and flake8), ``char_*``
#: in code points (for SARIF).  ``end_*`` are -1 when unknown.
Finding = tuple[int, int, str, str, int, int, int, int]
#: (line, col, message) of a file that cannot be parsed.
ParseError = tuple[int, int, str]

Stat = tuple[int, int]
#: Paths watched together (one import-graph component, or a file's own missing paths).
Group = tuple[str, ...]
#: Every group a file's result depends on; groups are shared objects across files.
Deps = tuple[Group, ...]

_FINDING_TYPES = (int, int, str, str, int, int, int, int)


def stat_of(path: str) -> Stat | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def group_stamp(group: Iterable[str], stat: Callable[[str], Stat | None]) -> int:
    """One number for the state of a group of paths (deterministic across runs: ints only)."""
    return hash(tuple(stat(path) or (-1, -1) for path in group))


_CODE_FILES: list[str] | None = None
_CODE_STAMP: str | None = None
_CODE_DIGEST: str | None = None


def _code_files() -> list[str]:
    global _CODE_FILES
    if _CODE_FILES is None:
        package = os.path.dirname(os.path.abspath(__file__))
        found: list[str] = []
        for folder, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            found.extend(os.path.join(folder, name) for name in sorted(files) if name.endswith(".py"))
        _CODE_FILES = found
    return _CODE_FILES


def code_stamp() -> str:
    """The ``(path, mtime_ns, size)`` of cachelint's own source files, hashed: the cheap check."""
    global _CODE_STAMP
    if _CODE_STAMP is None:
        _CODE_STAMP = hashlib.blake2b(repr([(path, stat_of(path)) for path in _code_files()]).encode()).hexdigest()
    return _CODE_STAMP


def code_digest() -> str:
    """A content hash of cachelint's own source files, computed at most once per process.

    Read only when :func:`code_stamp` differs from the cache's (an edit, a
    reinstall): about 10 ms on the 2-core machine, against under 1 ms for the stamp.
    """
    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        package = os.path.dirname(os.path.abspath(__file__))
        digest = hashlib.blake2b(digest_size=16)
        for path in _code_files():
            digest.update(os.path.relpath(path, package).encode("utf-8", "surrogateescape") + b"\0")
            try:
                with open(path, "rb") as handle:
                    digest.update(handle.read())
            except OSError:
                digest.update(b"\xff unreadable")
        _CODE_DIGEST = digest.hexdigest()
    return _CODE_DIGEST


def _same_code(document: dict[str, Any]) -> bool:
    """Whether the cache was written by this cachelint: same version and same source content.

    Unchanged stats of every source file stand for unchanged content; when
    they differ (a reinstall touches every mtime) the content decides.
    """
    if document.get("version") != __version__:
        return False
    if document.get("code_stamp") == code_stamp():
        return True
    return document.get("code") == code_digest()


@dataclass(frozen=True)
class Entry:
    mtime_ns: int
    size: int
    fingerprint: str
    findings: tuple[Finding, ...]
    error: ParseError | None
    deps: Deps
    stamp: int
    #: What the file imports at module level (its import-graph edges); None if unknown (a parse error).
    imports: tuple[str, ...] | None = None


def _is_int(value: object) -> bool:
    return type(value) is int


def _finding(raw: object) -> Finding | None:
    if not isinstance(raw, list) or len(raw) != 8:
        return None
    if not all(type(value) is kind for value, kind in zip(raw, _FINDING_TYPES, strict=True)):
        return None
    return tuple(raw)


def _parse_error(raw: object) -> ParseError | None:
    if isinstance(raw, list) and len(raw) == 3 and _is_int(raw[0]) and _is_int(raw[1]) and isinstance(raw[2], str):
        return (raw[0], raw[1], raw[2])
    raise ValueError("bad parse error")


class ResultCache:
    """Load once, look up and store per file, save once at the end of a run.

    ``contained_in`` (the project root, for the default folder) makes the
    cache refuse a folder that is a symbolic link resolving outside it:
    :attr:`refused` then says why, and nothing is read or written.
    """

    def __init__(self, directory: str, *, contained_in: str | None = None) -> None:
        self.directory = directory
        self.path = os.path.join(directory, FILE_NAME)
        self.refused = _escape(directory, contained_in) if contained_in is not None else None
        #: path -> raw entry as loaded, resolved on lookup (most are never asked for).
        self._raw: dict[str, list[Any]] = {}
        self._fingerprints: list[str] = []
        self._dep_lists: list[Deps] = []
        #: Entries stored this run.
        self._new: dict[str, Entry] = {}
        self._dirty = False
        self._stats: dict[str, Stat | None] = {}
        # Groups and dependency tuples are shared objects: each stamp is computed once per run.
        self._group_stamps: dict[int, int] = {}
        self._stamps: dict[int, int] = {}
        self._groups: dict[Group, Group] = {}
        self._canonical: dict[Deps, Deps] = {}

    def stat(self, path: str) -> Stat | None:
        """``stat_of`` memoised for this run (dependencies are shared by many files)."""
        if path in self._stats:
            return self._stats[path]
        found = stat_of(path)
        self._stats[path] = found
        return found

    def load(self) -> ResultCache:
        if self.refused is not None:
            return self
        data = _read_capped(self.path)
        if data is None:
            return self
        try:
            document = json.loads(data)
        except (ValueError, RecursionError):
            return self
        if not (isinstance(document, dict) and document.get("format") == FORMAT and _same_code(document)):
            return self
        fingerprints = document.get("fingerprints")
        groups = document.get("groups")
        dep_lists = document.get("deps")
        entries = document.get("entries")
        if not (
            isinstance(fingerprints, list)
            and isinstance(groups, list)
            and isinstance(dep_lists, list)
            and isinstance(entries, dict)
        ):
            return self
        if not all(isinstance(item, str) for item in fingerprints):
            return self
        # Each group and dependency list is one object here, shared by every entry
        # naming it (so stamped once); hashing them by value is not needed.
        shared: list[Group] = []
        for group in groups:
            if not isinstance(group, list) or not all(isinstance(path, str) for path in group):
                return self
            shared.append(tuple(group))
        canonical: list[Deps] = []
        try:
            for deps in dep_lists:
                if not isinstance(deps, list) or not all(_is_int(index) and index >= 0 for index in deps):
                    return self
                canonical.append(tuple(shared[index] for index in deps))
        except IndexError:
            return self
        self._fingerprints = [sys.intern(item) for item in fingerprints]
        self._dep_lists = canonical
        self._raw = entries
        return self

    def _entry(self, path: str) -> Entry | None:
        found = self._new.get(path)
        if found is not None:
            return found
        raw = self._raw.get(path)
        if not isinstance(raw, list) or len(raw) != 8:
            return None
        mtime_ns, size, fingerprint, findings, error, deps, stamp, imports = raw
        try:
            if not (_is_int(mtime_ns) and _is_int(size) and _is_int(fingerprint) and _is_int(deps)):
                return None
            if not (_is_int(stamp) and isinstance(findings, list)) or fingerprint < 0 or deps < 0:
                return None
            parsed = tuple(_finding(item) for item in findings)
            if any(item is None for item in parsed):
                return None
            if imports is not None and not (
                isinstance(imports, list) and all(isinstance(name, str) for name in imports)
            ):
                return None
            return Entry(
                mtime_ns,
                size,
                self._fingerprints[fingerprint],
                parsed,  # type: ignore[arg-type]
                None if error is None else _parse_error(error),
                self._dep_lists[deps],
                stamp,
                None if imports is None else tuple(imports),
            )
        except (IndexError, ValueError):
            return None

    def lookup(self, path: str, fingerprint: str) -> Entry | None:
        """The stored result for ``path`` if it is still valid."""
        entry = self._entry(path)
        if entry is None:
            return None
        if entry.fingerprint != fingerprint or self.stat(path) != (entry.mtime_ns, entry.size):
            return None
        if entry.deps and self.stamp(entry.deps) != entry.stamp:
            return None
        return entry

    def imports(self, path: str, fingerprint: str) -> tuple[str, ...] | None:
        """What ``path`` imports at module level, if its entry still describes the file (same stat and settings).

        Its dependencies need not be unchanged: a module's own imports depend
        on its text alone (and on the settings, which name its package).
        """
        entry = self._entry(path)
        if entry is None or entry.fingerprint != fingerprint or self.stat(path) != (entry.mtime_ns, entry.size):
            return None
        return entry.imports

    def stamp(self, deps: Deps) -> int:
        """One number for every group of ``deps``, memoised by object for this run."""
        found = self._stamps.get(id(deps))
        if found is None:
            stamps = self._group_stamps
            parts = []
            for group in deps:
                part = stamps.get(id(group))
                if part is None:
                    part = stamps[id(group)] = group_stamp(group, self.stat)
                parts.append(part)
            found = self._stamps[id(deps)] = hash(tuple(parts))
        return found

    def _group(self, group: Group) -> Group:
        found = self._groups.get(group)
        if found is None:
            found = tuple(sys.intern(path) for path in group)
            self._groups[found] = found
        return found

    def canonical(self, deps: Deps) -> Deps:
        """One shared tuple per distinct dependency list, made of shared, interned groups."""
        found = self._canonical.get(deps)
        if found is None:
            found = tuple(self._group(group) for group in deps)
            self._canonical[found] = found
        return found

    def store(self, path: str, entry: Entry) -> None:
        self._new[sys.intern(path)] = Entry(
            entry.mtime_ns,
            entry.size,
            sys.intern(entry.fingerprint),
            entry.findings,
            entry.error,
            self.canonical(entry.deps),
            entry.stamp,
            entry.imports,
        )
        self._dirty = True

    def _document(self) -> dict[str, Any]:
        """Every entry, old and new; fingerprints, groups and dependency lists stored once each."""
        fingerprints: dict[str, int] = {}
        groups: dict[int, int] = {}
        group_values: list[Group] = []
        dep_lists: dict[int, int] = {}
        dep_values: list[list[int]] = []
        entries: dict[str, list[Any]] = {}

        def group_index(group: Group) -> int:
            found = groups.get(id(group))
            if found is None:
                found = groups[id(group)] = len(group_values)
                group_values.append(group)
            return found

        def deps_index(deps: Deps) -> int:
            found = dep_lists.get(id(deps))
            if found is None:
                found = dep_lists[id(deps)] = len(dep_values)
                dep_values.append([group_index(group) for group in deps])
            return found

        for path in self._raw.keys() | self._new.keys():
            entry = self._entry(path)
            if entry is None:
                continue
            entries[path] = [
                entry.mtime_ns,
                entry.size,
                fingerprints.setdefault(entry.fingerprint, len(fingerprints)),
                [list(finding) for finding in entry.findings],
                None if entry.error is None else list(entry.error),
                deps_index(entry.deps),
                entry.stamp,
                None if entry.imports is None else list(entry.imports),
            ]
        return {
            "format": FORMAT,
            "version": __version__,
            "code_stamp": code_stamp(),
            "code": code_digest(),
            "fingerprints": list(fingerprints),
            "groups": [list(group) for group in group_values],
            "deps": dep_values,
            "entries": entries,
        }

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is silently skipped."""
        if not self._dirty or self.refused is not None:
            return
        import tempfile

        try:
            os.makedirs(self.directory, exist_ok=True)
            _write_gitignore(os.path.join(self.directory, ".gitignore"))
            data = json.dumps(self._document(), separators=(",", ":"), ensure_ascii=False).encode(
                "utf-8", "surrogateescape"
            )
            fd, tmp = tempfile.mkstemp(prefix=".results-", dir=self.directory)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                # Replacing the name, never writing through it: a planted link is replaced, not followed.
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except (OSError, ValueError):
            return
        self._dirty = False


def _escape(directory: str, root: str) -> str | None:
    """Why ``directory`` must not be used (it leads out of ``root`` through a link), or None."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(directory)
    if real != real_root and not real.startswith(os.path.join(real_root, "")):
        return f"{directory} leads to {real}, outside {root}, through a symbolic link; the result cache is not used"
    return None


def _read_capped(path: str) -> bytes | None:
    """The file's bytes, or None if missing, unreadable, not a regular file or larger than :data:`MAX_BYTES`."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        import stat

        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_BYTES + 1)
        return data if len(data) <= MAX_BYTES else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _write_gitignore(path: str) -> None:
    """Create the folder's ``.gitignore`` unless present; never through a planted link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# Created by cachelint\n*\n")


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


def open_default(start: str, explicit: str | None = None) -> ResultCache:
    """The cache a run from ``start`` uses: ``explicit`` (``--cache-dir``), the environment's, or the project's.

    Only the project's own folder is checked for links out of the project.
    """
    if explicit:
        return ResultCache(os.path.abspath(explicit))
    directory = default_directory(start)
    if os.environ.get("CACHELINT_CACHE_DIR"):
        return ResultCache(directory)
    return ResultCache(directory, contained_in=os.path.dirname(directory))
