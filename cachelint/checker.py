"""Checking files for ``cachelint check``: one file in, stored-form findings out, in parallel.

:func:`check_file` parses a file once, runs the engine, drops findings
silenced by ``noqa`` comments and returns them in the compact form the result
cache stores (every code: selection happens when printing, so a different
``--select`` reuses the cache).  It also returns the files the engine could
have read for it (its imports, followed transitively through the project
index; the paths where an unresolved import would appear; the installed
files the engine reports), which the result cache uses to notice that a
change in ``cache_manager.py`` can change the findings of the file importing it.

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
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cachelint import noqa
from cachelint.analysis import Diagnostic, analyse, knowledge_for
from cachelint.analysis.index import ModuleSummary, ProjectIndex
from cachelint.config import Settings
from cachelint.positions import char_column
from cachelint.resultcache import Deps, Finding, Group, ParseError
from cachelint.syntax import parse_error_message

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
    deps: Deps


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


def _ordered(groups: Iterable[Group]) -> Deps:
    return tuple(sorted(groups))


class ImportGraph:
    """The project files one index can reach through imports, with closures memoised.

    A file's findings may depend on every project module its imports reach,
    transitively (re-exports, base classes, annotations of annotations), so
    that whole closure is what the result cache watches.  Closures are
    computed per strongly connected component (Tarjan) and shared; a closure
    is a tuple of *groups*, one per component (its files and the missing paths
    its imports watch), each group one shared object, so the cache stores and
    stamps each component once however many files reach it.

    An import that resolves to nothing is watched too (a *negative*
    dependency): the paths where a module of that name would appear under a
    source root (``name.py``, ``name.pyi``, ``name/__init__.py``), or the
    missing folder that would have to be created first.  Those paths do not
    exist, so their stamp changes the moment one appears.  (A new module that
    would *shadow* one resolved under a later root is not watched.)
    """

    def __init__(self, index: ProjectIndex) -> None:
        self.index = index
        self._resolved: dict[str, tuple[str, ...]] = {}
        self._missing: dict[str, tuple[str, ...]] = {}
        self._edges: dict[str, tuple[str, ...]] = {}
        self._negatives: dict[str, tuple[str, ...]] = {}
        self._closure: dict[str, Deps] = {}
        self._folders: dict[str, bool] = {}

    def _isdir(self, path: str) -> bool:
        found = self._folders.get(path)
        if found is None:
            found = self._folders[path] = os.path.isdir(path)
        return found

    def _absent(self, parts: list[str], out: list[str]) -> bool:
        """Add where module ``parts`` would appear under each root; True if its folder exists somewhere."""
        any_folder = False
        for root in self.index.roots:
            base = os.path.join(str(root), *parts)
            parent = os.path.dirname(base)
            if not self._isdir(parent):
                out.append(parent)  # created first, and its stamp changes then
                continue
            out.append(base + ".py")
            out.append(base + ".pyi")
            if self._isdir(base):
                any_folder = True
                out.append(os.path.join(base, "__init__.py"))
            else:
                out.append(base)  # a folder created here could hold the deeper modules
        return any_folder

    def resolve(self, qualname: str) -> tuple[str, ...]:
        """Project modules a dotted import name may denote (every prefix that is one)."""
        found = self._resolved.get(qualname)
        if found is None:
            parts = qualname.split(".")
            names: list[str] = []
            missing: list[str] = []
            for cut in range(1, len(parts) + 1):
                name = ".".join(parts[:cut])
                if self.index.module_path(name) is not None:
                    names.append(name)
                    continue
                if not self._absent(parts[:cut], missing):
                    break  # no folder of that name under a root: nothing deeper can be a module
            found = tuple(names)
            self._resolved[qualname] = found
            self._missing[qualname] = tuple(missing)
        return found

    def missing(self, qualname: str) -> tuple[str, ...]:
        """The paths whose appearance would change what ``qualname`` resolves to."""
        self.resolve(qualname)
        return self._missing[qualname]

    def file(self, name: str) -> str:
        return str(self.index.module_path(name))

    def edges(self, name: str) -> tuple[str, ...]:
        found = self._edges.get(name)
        if found is None:
            summary = self.index.module(name)
            targets: set[str] = set()
            negatives: set[str] = set()
            if summary is not None:
                for qualname in summary.imports.values():
                    targets.update(self.resolve(qualname))
                    negatives.update(self._missing[qualname])
            targets.discard(name)
            found = tuple(sorted(targets))
            self._edges[name] = found
            self._negatives[name] = tuple(sorted(negatives))
        return found

    def negatives(self, name: str) -> tuple[str, ...]:
        """Missing paths module ``name``'s own imports are watching."""
        self.edges(name)
        return self._negatives[name]

    def closure(self, root: str) -> Deps:
        """Files of every module reachable from module ``root``, itself included, one group per component."""
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
            groups: dict[int, Group] = {}
            for member in members:
                files.update(self.negatives(member))
                for target in self.edges(member):
                    if target in done:
                        groups.update((id(group), group) for group in done[target])
            own = tuple(sorted(files))
            groups[id(own)] = own
            shared = _ordered(groups.values())
            for member in members:
                done[member] = shared
        return done[root]

    def dependencies(self, module: ModuleSummary, tree: ast.Module, path: str) -> Deps:
        """Project files the engine may have read to check the file ``path``, and missing paths it watches."""
        direct: set[str] = set()
        negatives: set[str] = set()
        for qualname in module.imports.values():
            direct.update(self.resolve(qualname))
            negatives.update(self._missing[qualname])
        # ``import a.b`` (the summary records ``a``) and imports inside functions.
        for qualname in _statement_imports(tree.body, module.package):
            direct.update(self.resolve(qualname))
            negatives.update(self._missing[qualname])
        direct.discard(module.name)
        # Installed sources the engine read join the key through EngineResult.external.
        own = self.index.module_path(module.name)
        if (
            own is not None
            and str(own) == path
            and direct <= set(self.edges(module.name))
            and negatives <= set(self.negatives(module.name))
        ):
            return self.closure(module.name)  # shared with every module of its component
        groups: dict[int, Group] = {}
        for name in direct:
            groups.update((id(group), group) for group in self.closure(name))
        if negatives:
            mine = tuple(sorted(negatives))
            groups[id(mine)] = mine
        return _ordered(groups.values())


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
    return check_source(path, source, settings)


def check_source(path: str, source: bytes, settings: Settings) -> FileResult:
    """:func:`check_file` for a text that is not (or not yet) what is on disk at ``path``.

    Standard input and editors' unsaved buffers: the settings and the project
    index are those of ``path``; the text itself is what is checked.
    """
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as error:
        line = error.lineno or 1
        col = max((error.offset or 1) - 1, 0)
        return FileResult(path, (), (line, col, parse_error_message(error, source)), None, ())
    except (ValueError, RecursionError, MemoryError) as error:
        reason = str(error) or type(error).__name__
        return FileResult(path, (), (1, 0, f"cannot parse: {reason}"), None, ())
    try:
        analysed = analyse(tree, path, settings, source=source)
        diagnostics = analysed.diagnostics
        kept = noqa.filter_noqa(source, diagnostics, ((d.line, d.code) for d in diagnostics))
        if analysed.errors:
            # Some check failed: what the others found is reported, the failure too, nothing cached.
            failure = "; ".join(
                f"internal error in {error.check} at line {error.line}: {error.error}" for error in analysed.errors
            )
            return FileResult(path, _stored(kept, source), None, failure, ())
        index = knowledge_for(settings).index
        deps = _graph_for(index).dependencies(index.file_module(tree, Path(path), source), tree, path)
        if analysed.external:  # installed packages the engine read: an upgrade rechecks the file
            deps = _ordered([*deps, analysed.external])
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
