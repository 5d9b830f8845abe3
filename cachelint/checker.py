"""Checking files for ``cachelint check``: one file in, stored-form findings out, in parallel.

:func:`check_file` parses a file once, runs the engine, drops findings
silenced by ``noqa`` comments and returns them in the compact form the result
cache stores (every code: selection happens when printing, so a different
``--select`` reuses the cache).  It also returns the project files the
engine could have read for it (its imports, followed transitively through
the project index), which the result cache uses to notice that a change in
``cache_manager.py`` can change the findings of the file importing it.

:func:`check_files` runs :func:`check_file` over many files: in this process
for a few files, over a process pool for many (parsing and analysis are CPU
bound; a worker keeps its project index across the files it is given, so
files are grouped by configuration).

The engine is imported here, lazily by the CLI, so a warm run that finds
everything in the result cache never pays for importing it.
"""

from __future__ import annotations

import ast
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cachelint import noqa
from cachelint.analysis import Diagnostic, check_tree, knowledge_for
from cachelint.analysis.index import ModuleSummary, ProjectIndex
from cachelint.config import Settings
from cachelint.resultcache import Finding, ParseError

#: Below this many files, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 48


@dataclass(frozen=True)
class FileResult:
    path: str
    findings: tuple[Finding, ...]
    #: A parse error (cacheable: it depends on the file alone).
    error: ParseError | None
    #: A read or internal error (not cached).
    failure: str | None
    deps: tuple[str, ...]


def _char_col(line: bytes, col: int) -> int:
    if col <= 0 or line.isascii():
        return col
    return len(line[:col].decode("utf-8", "replace"))


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
                _char_col(line_at(d.line), d.col),
                _char_col(line_at(end_line), end_col) if end_col >= 0 else -1,
            )
        )
    return tuple(out)


_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _statement_imports(body: list[ast.stmt], package: str) -> Iterator[str]:
    """Dotted names imported anywhere in ``body`` (statements only: imports are statements)."""
    from cachelint.analysis.index import resolve_relative

    pending: list[ast.AST] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = resolve_relative(package, node.level, node.module)
            if source is not None:
                yield source
                yield from (f"{source}.{alias.name}" for alias in node.names if alias.name != "*")
        elif not isinstance(node, (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)):
            # Compound statements; except handlers and match cases hold statements too.
            for field in _BODIES:
                children = getattr(node, field, None)
                if children:
                    pending.extend(children)


class ImportGraph:
    """The project modules one index can reach through imports, with closures memoised.

    A file's findings may depend on every project module its imports reach,
    transitively (re-exports, base classes, annotations of annotations), so
    that whole closure is what the result cache watches.  Closures are
    computed per strongly connected component (Tarjan) and shared, so a tree
    of files that import each other costs one closure, not one per file, and
    files sharing a closure share one tuple in the cache.
    """

    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self._resolved: dict[str, tuple[str, ...]] = {}
        self._edges: dict[str, tuple[str, ...]] = {}
        self._closure: dict[str, tuple[str, ...]] = {}

    def resolve(self, qualname: str) -> tuple[str, ...]:
        """Project modules a dotted import name may denote (every prefix that is one)."""
        found = self._resolved.get(qualname)
        if found is None:
            parts = qualname.split(".")
            names: list[str] = []
            for cut in range(1, len(parts) + 1):
                name = ".".join(parts[:cut])
                if self.index.module_path(name) is not None:
                    names.append(name)
                elif cut < len(parts) and not any(
                    os.path.isdir(os.path.join(root, *parts[:cut])) for root in self.index.roots
                ):
                    break  # no folder of that name under a root: nothing deeper can be a module
            found = tuple(names)
            self._resolved[qualname] = found
        return found

    def file(self, name: str) -> str:
        return str(self.index.module_path(name))

    def edges(self, name: str) -> tuple[str, ...]:
        found = self._edges.get(name)
        if found is None:
            summary = self.index.module(name)
            targets: set[str] = set()
            if summary is not None:
                for qualname in summary.imports.values():
                    targets.update(self.resolve(qualname))
            targets.discard(name)
            found = tuple(sorted(targets))
            self._edges[name] = found
        return found

    def closure(self, root: str) -> tuple[str, ...]:
        """Files of every module reachable from module ``root``, itself included."""
        done = self._closure
        if root in done:
            return done[root]
        order: dict[str, int] = {root: 0}
        low: dict[str, int] = {root: 0}
        stack = [root]
        on_stack = {root}
        work: list[tuple[str, Iterator[str]]] = [(root, iter(self.edges(root)))]
        while work:
            node, pending = work[-1]
            descended = False
            for target in pending:
                if target in done:
                    continue
                if target not in order:
                    order[target] = low[target] = len(order)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(self.edges(target))))
                    descended = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], order[target])
            if descended:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] != order[node]:
                continue
            members: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == node:
                    break
            files = {self.file(member) for member in members}
            for member in members:
                for target in self.edges(member):
                    if target in done:
                        files.update(done[target])
            shared = tuple(sorted(files))
            for member in members:
                done[member] = shared
        return done[root]

    def dependencies(self, module: ModuleSummary, tree: ast.Module, path: str) -> tuple[str, ...]:
        """Project files the engine may have read to check the file ``path``."""
        direct: set[str] = set()
        for qualname in module.imports.values():
            direct.update(self.resolve(qualname))
        # ``import a.b`` (the summary records ``a``) and imports inside functions.
        for qualname in _statement_imports(tree.body, module.package):
            direct.update(self.resolve(qualname))
        direct.discard(module.name)
        # Installed (site-packages) sources the index read in this process: a superset of
        # what this file's check read, usually empty (then the shared tuple stays shared).
        installed = self.index.installed_sources()
        own = self.index.module_path(module.name)
        if own is not None and str(own) == path and direct <= set(self.edges(module.name)):
            return self.closure(module.name) + installed  # shared with every module of its component
        files: set[str] = set(installed)
        for name in direct:
            files.update(self.closure(name))
        files.discard(path)
        return tuple(sorted(files))


_GRAPHS: dict[int, ImportGraph] = {}


def _graph_for(index: ProjectIndex) -> ImportGraph:
    graph = _GRAPHS.get(id(index))
    if graph is None or graph.index is not index:
        graph = _GRAPHS[id(index)] = ImportGraph(index)
    return graph


def check_file(path: str, settings: Settings) -> FileResult:
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as error:
        return FileResult(path, (), None, f"cannot read: {error.strerror or error}", ())
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as error:
        line = error.lineno or 1
        col = max((error.offset or 1) - 1, 0)
        return FileResult(path, (), (line, col, f"cannot parse: {error.msg}"), None, ())
    except (ValueError, RecursionError, MemoryError) as error:
        reason = str(error) or type(error).__name__
        return FileResult(path, (), (1, 0, f"cannot parse: {reason}"), None, ())
    try:
        diagnostics = check_tree(tree, path, settings, source=source)
        kept = noqa.filter_noqa(source, diagnostics, ((d.line, d.code) for d in diagnostics))
        index = knowledge_for(settings).index
        deps = _graph_for(index).dependencies(index.file_module(tree, Path(path), source), tree, path)
    except Exception as error:  # the engine never raises on valid Python; if it does, say so
        if os.environ.get("CACHELINT_DEBUG", "") not in ("", "0"):
            traceback.print_exc()
        return FileResult(path, (), None, f"internal error: {type(error).__name__}: {error}", ())
    return FileResult(path, _stored(kept, source), None, None, deps)


def _check_chunk(chunk: list[tuple[str, Settings]]) -> list[FileResult]:
    return [check_file(path, settings) for path, settings in chunk]


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


def check_files(items: list[tuple[str, Settings]], jobs: int | None = None) -> Iterator[FileResult]:
    """Results for every ``(path, settings)``, in no particular order."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(items) < PARALLEL_THRESHOLD:
        for path, settings in items:
            yield check_file(path, settings)
        return
    import multiprocessing

    # fork shares the already imported engine with the workers; elsewhere spawn.
    method = "fork" if sys.platform == "linux" else "spawn"
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for results in pool.map(_check_chunk, _chunks(items, jobs)):
            yield from results
