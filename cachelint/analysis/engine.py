"""The one detection engine: a parsed module in, diagnostics out.

Shared by the flake8 plugin, the CLI and the codemod.  ``check_tree`` works on
the tree the caller already parsed (flake8 parses once; so do we).

It never raises on valid Python, and it never drops a failure silently: a
check that raises, or a file too deeply nested to model (``RecursionError``),
becomes an :class:`EngineError` returned beside the diagnostics by
:func:`analyse`, naming the check and the line.  The front ends turn those
into their own error line (exit 2 from the CLI, a ``CLT000`` result in
flake8, a file left unchanged by the codemod); the engine prints nothing.
Set ``CACHELINT_DEBUG=1`` to make such failures raise instead (the test suite
does, so they are found).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cachelint.analysis import prefilter
from cachelint.analysis.checks import registry
from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic
from cachelint.analysis.index import ProjectIndex
from cachelint.analysis.knowledge import Knowledge
from cachelint.analysis.semantic import FileModel
from cachelint.config import Settings
from cachelint.debugging import debug_enabled

_NODE_CHECKS, _FILE_CHECKS = registry()
_KNOWLEDGE: dict[str, Knowledge] = {}
#: Configurations whose knowledge a process keeps; a long-lived process (a fuzzer,
#: an editor integration) that sees more forgets the oldest.
MAX_CONFIGURATIONS = 64


def knowledge_for(settings: Settings) -> Knowledge:
    """One index and class-knowledge memo per configuration per process."""
    key = settings.fingerprint()
    found = _KNOWLEDGE.get(key)
    if found is None:
        if len(_KNOWLEDGE) >= MAX_CONFIGURATIONS:
            # Closing breaks the summaries' cycles, so refcounting frees them even
            # where a front end froze them out of the collector's sight (cachelint.collector).
            _KNOWLEDGE.pop(next(iter(_KNOWLEDGE))).close()
        found = Knowledge(ProjectIndex(settings.effective_source_roots()), settings)
        _KNOWLEDGE[key] = found
    return found


#: The code front ends print an :class:`EngineError` under: not a rule, never selectable away by the catalog.
INTERNAL_ERROR_CODE = "CLT000"


@dataclass(frozen=True)
class EngineError:
    """A check (or the file model) that failed on one file: reported, never swallowed."""

    #: Dotted name of the failing check, or ``"file model"``.
    check: str
    #: ``ExceptionType: message``.
    error: str
    line: int = 1
    col: int = 0

    def text(self) -> str:
        """``CLT000 ...``: the one line flake8 shows; the CLI prefixes the file name."""
        return f"{INTERNAL_ERROR_CODE} cachelint internal error in {self.check} at line {self.line}: {self.error}"


@dataclass
class EngineResult:
    """What :func:`analyse` returns: the diagnostics and the failures that may have hidden some."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[EngineError] = field(default_factory=list)
    #: Files outside the project (installed packages) the engine read for this
    #: file; the result cache watches them.  The index's record of installed
    #: sources read in this process: a superset of what this file's check read.
    external: tuple[str, ...] = ()
    #: The file's model, for a front end that goes on to rewrite the file (the
    #: codemod) and must not build a second one; ``None`` when it failed or the
    #: relevance pre-filter skipped the file (no rule can report there).
    model: FileModel | None = None


def _installed_files(index: ProjectIndex, module_name: str) -> tuple[str, ...]:
    """Installed (site-packages) sources the index has read, usually none."""
    del module_name  # the index records reads per process, not per module
    return tuple(sorted(str(path) for path in index.installed_sources()))


def _name(check: Callable[..., object]) -> str:
    return f"{getattr(check, '__module__', '?')}.{getattr(check, '__qualname__', repr(check))}"


def _describe(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "RecursionError: too deeply nested to analyse"
    return f"{type(error).__name__}: {error}"


def check_tree(
    tree: ast.Module, path: str | Path, settings: Settings, *, source: str | bytes | None = None
) -> list[Diagnostic]:
    """The diagnostics of :func:`analyse` alone, for callers that only read findings.

    Front ends that report to a user must call :func:`analyse` instead, so a
    failing check is said rather than read as "nothing found".
    """
    return analyse(tree, path, settings, source=source).diagnostics


def analyse(
    tree: ast.Module, path: str | Path, settings: Settings, *, source: str | bytes | None = None
) -> EngineResult:
    """All diagnostics of every rule for one file, sorted by position, and every check failure.

    Selection (which codes to show) is the front end's business: flake8 and
    the CLI filter; the codemod wants everything.  ``source``, the text the
    tree was parsed from, lets the project index tell an edited, unsaved or
    rewritten text from the file on disk (see ``ProjectIndex.file_module``).
    """
    # No garbage-collector tuning here: the engine is a library and leaves its
    # host's collector alone.  Front ends that own their process pause it per
    # file (cachelint.collector), which is what keeps the engine fast there.
    return _check_tree(tree, path, settings, source)


def _check_tree(tree: ast.Module, path: str | Path, settings: Settings, source: str | bytes | None) -> EngineResult:
    result = EngineResult()
    knowledge = knowledge_for(settings)
    try:
        module = knowledge.index.file_module(tree, Path(path), source)
        if not prefilter.relevant(tree, module, knowledge, source):  # no rule can report here
            result.external = _installed_files(knowledge.index, module.name)
            return result
        model = FileModel(tree, module, knowledge).build()
    except Exception as error:  # RecursionError included: no model, so no check can run
        if debug_enabled():
            raise
        result.errors.append(EngineError("file model", _describe(error)))
        return result
    result.model = model
    ctx = Context(model, knowledge, settings)
    found: dict[tuple[int, int, str], Diagnostic] = {}
    # One error per check and file: a check failing on every node says so once.
    failed: dict[str, EngineError] = {}
    for visit in model.candidates:
        checks = _NODE_CHECKS.get(type(visit.node))
        if not checks:
            continue
        for check in checks:
            try:
                for diagnostic in check(ctx, visit):
                    found.setdefault((diagnostic.line, diagnostic.col, diagnostic.code), diagnostic)
            except Exception as error:
                if debug_enabled():
                    raise
                name = _name(check)
                node = visit.node
                failed.setdefault(
                    name,
                    EngineError(name, _describe(error), getattr(node, "lineno", 1), getattr(node, "col_offset", 0)),
                )
    for file_check in _FILE_CHECKS:
        try:
            for diagnostic in file_check(ctx):
                found.setdefault((diagnostic.line, diagnostic.col, diagnostic.code), diagnostic)
        except Exception as error:
            if debug_enabled():
                raise
            failed.setdefault(_name(file_check), EngineError(_name(file_check), _describe(error)))
    result.diagnostics = sorted(found.values(), key=lambda d: (d.line, d.col, d.code))
    result.errors = list(failed.values())
    result.external = _installed_files(knowledge.index, module.name)
    return result


def check_source(source: str | bytes, path: str | Path, settings: Settings) -> list[Diagnostic]:
    """Parse and check; raises ``SyntaxError``/``ValueError`` for unparsable input."""
    tree = ast.parse(source, filename=str(path))
    return check_tree(tree, path, settings, source=source)
