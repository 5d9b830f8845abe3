"""The import graph: which project files one checked file's findings can depend on.

A file's findings may depend on every project module its imports reach,
transitively (re-exports, base classes, annotations of annotations), so that
whole closure is what ``cachelint check``'s result cache watches.  This is
analysis (it follows the project index's modules and resolves imports the way
the engine does), so it lives beside the index; the result cache only stores
and stamps what it returns.

The graph never parses a file the run has already parsed: where a file is
checked, its imports are taken from the tree in hand (:func:`file_imports`,
small and picklable, so a worker process can hand them back) and taught to the
graph (:meth:`ImportGraph.learn`); only modules no checked file describes are
summarised through the index, unless a store of earlier runs knows them
(:attr:`ImportGraph.stored`: ``cachelint check``'s result cache).  One graph
per project index and process
(:func:`graph_for`): with ``cachelint check``'s worker processes it is the
parent's, built once from what every worker returned, instead of once per
worker.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from cachelint.analysis.index import ModuleSummary, ProjectIndex, resolve_relative

#: Paths watched together (one import-graph component, or a file's own missing paths).
#: The same shape as ``cachelint.resultcache.Group``, which stores them.
Group = tuple[str, ...]
#: Every group a file's result depends on; groups are shared objects across files.
Deps = tuple[Group, ...]


@dataclass(frozen=True)
class FileImports:
    """What a checked file imports, taken from the tree it was checked from."""

    #: The file's module name under its source roots.
    module: str
    path: str
    #: What the module's summary imports at module level: the graph's edges out of it.
    exported: tuple[str, ...]
    #: Every dotted name the file imports, at any depth (``import a.b``, imports in functions).
    direct: tuple[str, ...]


_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _statement_imports(body: list[ast.stmt], package: str) -> Iterator[str]:
    """Dotted names imported anywhere in ``body`` (statements only: imports are statements)."""
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


def file_imports(module: ModuleSummary, tree: ast.Module, path: str) -> FileImports:
    """The imports of the file ``path``, whose summary is ``module`` and whose parsed text is ``tree``."""
    exported = tuple(module.imports.values())
    direct = dict.fromkeys(exported)
    direct.update(dict.fromkeys(_statement_imports(tree.body, module.package)))
    return FileImports(module.name, path, exported, tuple(direct))


def ordered(groups: Iterable[Group]) -> Deps:
    """Groups in the one order the result cache stores them in."""
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
        #: Module name -> its imports, from files checked in this run (never parsed again here).
        self._learned: dict[str, tuple[str, ...]] = {}
        #: A file's module-level imports as an earlier run recorded them, if still valid; else None.
        self.stored: Callable[[str], tuple[str, ...] | None] | None = None

    def learn(self, imports: FileImports) -> None:
        """Take a checked file's imports as its module's edges, if it is the file that module name resolves to."""
        own = self.index.module_path(imports.module)
        if own is not None and str(own) == imports.path and imports.module not in self._edges:
            self._learned[imports.module] = imports.exported

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
            learned = self._learned.get(name)
            if learned is None and self.stored is not None:
                path = self.index.module_path(name)
                learned = None if path is None else self.stored(str(path))
            if learned is None:
                summary = self.index.module(name)
                learned = () if summary is None else tuple(summary.imports.values())
            targets: set[str] = set()
            negatives: set[str] = set()
            for qualname in learned:
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
            shared = ordered(groups.values())
            for member in members:
                done[member] = shared
        return done[root]

    def dependencies(self, imports: FileImports) -> Deps:
        """Project files the engine may have read to check the file ``imports.path``, and missing paths it watches."""
        direct: set[str] = set()
        negatives: set[str] = set()
        for qualname in imports.direct:
            direct.update(self.resolve(qualname))
            negatives.update(self._missing[qualname])
        name = imports.module
        direct.discard(name)
        # Installed sources the engine read join the key through EngineResult.external.
        own = self.index.module_path(name)
        if (
            own is not None
            and str(own) == imports.path
            and direct <= set(self.edges(name))
            and negatives <= set(self.negatives(name))
        ):
            return self.closure(name)  # shared with every module of its component
        groups: dict[int, Group] = {}
        for name in direct:
            groups.update((id(group), group) for group in self.closure(name))
        if negatives:
            mine = tuple(sorted(negatives))
            groups[id(mine)] = mine
        return ordered(groups.values())


_GRAPHS: dict[int, ImportGraph] = {}


def graph_for(index: ProjectIndex) -> ImportGraph:
    """The process's graph over ``index`` (its memos are as long-lived as the index's)."""
    graph = _GRAPHS.get(id(index))
    if graph is None or graph.index is not index:
        graph = _GRAPHS[id(index)] = ImportGraph(index)
    return graph
