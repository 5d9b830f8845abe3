"""Checking files for ``cachelint check``: one file in, stored-form findings out, in parallel.

:func:`check_file` parses a file once, runs the engine, drops findings
silenced by ``noqa`` comments and returns them in the compact form the result
cache stores (every code: selection happens when printing, so a different
``--select`` reuses the cache).  It also returns the file's imports, taken
from the tree in hand, and the installed files the engine read.

:func:`check_files` runs :func:`check_file` over many files: in this process
for a few files, over a process pool for many (parsing and analysis are CPU
bound; a worker keeps its project index across the files it is given, so
files are grouped by configuration).  It runs in processes ``cachelint
check`` owns, so it pauses the garbage collector per file
(:mod:`cachelint.collector`); the engine itself leaves the collector alone.

:func:`dependencies` then turns the returned imports into what the result
cache watches for each file (the project modules its imports reach,
transitively; the paths where an unresolved import would appear; the
installed files read), so a change in ``cache_manager.py`` rechecks the file
importing it.  It runs once, in the calling process, over every worker's
results (:mod:`cachelint.analysis.imports`): no file is parsed a second time
for it, and no worker builds the graph.  A run that does not cache
(``--no-cache``, an editor's buffer) skips it.

The engine is imported here, lazily by the CLI, so a warm run that finds
everything in the result cache never pays for importing it.
"""

from __future__ import annotations

import ast
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cachelint import collector, noqa
from cachelint.analysis import Diagnostic, analyse, knowledge_for
from cachelint.analysis.imports import Deps, FileImports, file_imports, graph_for, ordered
from cachelint.config import ConfigError, Settings
from cachelint.debugging import debug_enabled
from cachelint.positions import char_column
from cachelint.resultcache import Entry, Finding, ParseError, ResultCache
from cachelint.syntax import parse_error_message

if TYPE_CHECKING:
    from cachelint.workspace import SettingsByFolder

#: Below this many files, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 48


@dataclass(frozen=True)
class FileResult:
    path: str
    findings: tuple[Finding, ...]
    #: A parse error (cacheable: it depends on the file alone).
    error: ParseError | None
    #: A read or internal error (not cached; ``findings`` may still hold what the other checks found).
    failure: str | None
    #: The file's imports, for :func:`dependencies`; None when nothing is to be cached or it did not parse.
    imports: FileImports | None = None
    #: Installed (site-packages) files the engine read: an upgrade rechecks the file.
    external: tuple[str, ...] = ()


def _stored(diagnostics: Sequence[Diagnostic], source: bytes) -> tuple[Finding, ...]:
    lines = source.splitlines()

    def line_at(number: int) -> bytes:
        return lines[number - 1] if 0 < number <= len(lines) else b""

    out: list[Finding] = []
    for d in diagnostics:
        end_line = d.end_line if d.end_line is not None else -1
        end_col = d.end_col if d.end_col is not None else -1
        out.append(
            (
                d.line,
                d.col,
                d.code,
                d.message,
                end_line,
                end_col,
                char_column(line_at(d.line), d.col),
                char_column(line_at(end_line), end_col) if end_col >= 0 else -1,
            )
        )
    return tuple(out)


def check_file(path: str, settings: Settings, *, with_imports: bool = True) -> FileResult:
    """Read, parse and check one file; ``with_imports=False`` when its result will not be cached."""
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as error:
        return FileResult(path, (), None, f"cannot read: {error.strerror or error}")
    return check_source(path, source, settings, with_imports=with_imports)


def check_source(path: str, source: bytes, settings: Settings, *, with_imports: bool = False) -> FileResult:
    """:func:`check_file` for a text that is not (or not yet) what is on disk at ``path``.

    Standard input and editors' unsaved buffers: the settings and the project
    index are those of ``path``; the text itself is what is checked.
    """
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as error:
        line = error.lineno or 1
        col = max((error.offset or 1) - 1, 0)
        return FileResult(path, (), (line, col, parse_error_message(error, source)), None)
    except (ValueError, RecursionError, MemoryError) as error:
        reason = str(error) or type(error).__name__
        return FileResult(path, (), (1, 0, f"cannot parse: {reason}"), None)
    try:
        analysed = analyse(tree, path, settings, source=source)
        diagnostics = analysed.diagnostics
        kept = noqa.filter_noqa(source, diagnostics, ((d.line, d.code) for d in diagnostics))
        if analysed.errors:
            # Some check failed: what the others found is reported, the failure too, nothing cached.
            failure = "; ".join(
                f"internal error in {error.check} at line {error.line}: {error.error}" for error in analysed.errors
            )
            return FileResult(path, _stored(kept, source), None, failure)
        imports = None
        if with_imports:
            module = knowledge_for(settings).index.file_module(tree, Path(path), source)
            imports = file_imports(module, tree, path)
    except Exception as error:  # the engine never raises on valid Python; if it does, say so
        if debug_enabled():
            traceback.print_exc()
        return FileResult(path, (), None, f"internal error: {type(error).__name__}: {error}")
    return FileResult(path, _stored(kept, source), None, None, imports, analysed.external)


def _check_owned(path: str, settings: Settings, with_imports: bool) -> FileResult:
    """:func:`check_file` in a process ``cachelint check`` owns: no collector pass mid-file."""
    with collector.one_file():
        return check_file(path, settings, with_imports=with_imports)


def _check_chunk(chunk: list[tuple[str, Settings]], with_imports: bool) -> list[FileResult]:
    return [_check_owned(path, settings, with_imports) for path, settings in chunk]


def _chunks(items: list[tuple[str, Settings]], jobs: int) -> list[list[tuple[str, Settings]]]:
    # Small chunks balance the load; grouping by root keeps each worker's
    # project index warm.
    ordered = sorted(items, key=lambda item: (str(item[1].root), item[0]))
    size = max(4, min(64, len(ordered) // (jobs * 8) or 1))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def check_files(
    items: list[tuple[str, Settings]], jobs: int | None = None, *, with_imports: bool = True
) -> list[FileResult]:
    """Results for every ``(path, settings)``, in no particular order.

    For ``cachelint check`` alone: it tunes the collector of this process and
    of its workers (:mod:`cachelint.collector`).
    """
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(items) < PARALLEL_THRESHOLD:
        return [_check_owned(path, settings, with_imports) for path, settings in items]
    import functools
    import multiprocessing

    # fork shares the already imported engine with the workers; elsewhere spawn.
    method = "fork" if sys.platform == "linux" else "spawn"
    context = multiprocessing.get_context(method)
    out: list[FileResult] = []
    work = functools.partial(_check_chunk, with_imports=with_imports)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=collector.worker_start) as pool:
        for results in pool.map(work, _chunks(items, jobs)):
            out.extend(results)
    return out


def dependencies(
    results: Iterable[FileResult],
    settings_of: Callable[[str], Settings],
    stored: Callable[[str], tuple[str, ...] | None] | None = None,
) -> dict[str, Deps]:
    """What the result cache watches for each result that has imports, by path.

    Every result's imports are taught to its index's graph first, so no file
    checked in this run is parsed again to find its imports; ``stored`` gives
    the imports of unchanged files an earlier run recorded (the result cache),
    so those are not parsed either.
    """
    known = [
        (result.imports, result.external, graph_for(knowledge_for(settings_of(result.path)).index))
        for result in results
        if result.imports is not None
    ]
    for imports, _, graph in known:
        graph.stored = stored
        graph.learn(imports)
    out: dict[str, Deps] = {}
    for imports, external, graph in known:
        deps = graph.dependencies(imports)
        if external:  # installed packages the engine read: an upgrade rechecks the file
            deps = ordered([*deps, external])
        out[imports.path] = deps
    return out


def store_result(cache: ResultCache | None, fingerprint: str, result: FileResult, deps: Deps) -> Entry:
    """The result as an entry (``check``'s and the codemod's).

    Cached only when every check ran: a failure must show again next run.
    """
    if cache is None:  # --no-cache: an entry to print, nothing to stat or stamp
        return Entry(-1, -1, fingerprint, result.findings, result.error, (), 0)
    deps = cache.canonical(deps)
    stat = cache.stat(result.path) or (-1, -1)
    entry = Entry(
        mtime_ns=stat[0],
        size=stat[1],
        fingerprint=fingerprint,
        findings=result.findings,
        error=result.error,
        deps=deps,
        stamp=cache.stamp(deps),
        imports=None if result.imports is None else result.imports.exported,
    )
    if result.failure is None:
        cache.store(result.path, entry)
    return entry


def stored_imports(cache: ResultCache, settings_for: SettingsByFolder) -> Callable[[str], tuple[str, ...] | None]:
    """What an unchanged file imports, as the cache recorded it (a broken configuration: unknown)."""

    def stored(path: str) -> tuple[str, ...] | None:
        try:
            fingerprint = settings_for.fingerprint(settings_for(os.path.dirname(path)))
        except ConfigError:
            return None
        return cache.imports(path, fingerprint)

    return stored
