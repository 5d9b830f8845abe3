"""One open document in LSP's terms: its diagnostics and its code actions.

A document is checked as ``cachelint check --stdin-filename PATH`` would
check it: the settings of the ``pyproject.toml`` nearest PATH (re-read when
that file changes), the project index of that root, ``noqa`` comments, and
the configured selection.  Columns start as code points
(:mod:`cachelint.positions`) and pygls converts them to the encoding the
client negotiated.

Quick fixes come from the codemod's planning of the document's current text
(:mod:`cachelint.codemod.text`): one per fixable finding, rewriting that site alone,
with unsafe ones (CLT104: the call starts yielding to the event loop) titled
as such and never preferred; the ``source.fixAll.cachelint`` action applies
every safe fix at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.workspace import TextDocument

from cachelint import rules
from cachelint.config import ConfigError, Settings, default_settings, find_pyproject, import_root
from cachelint.config import settings_from_pyproject as read_pyproject
from cachelint.positions import char_column

SOURCE = "cachelint"
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
FIX_CODES = frozenset(rule.code for rule in rules.ACTIVE if rule.fixable)


class ConfigProblem(Exception):
    """The document's ``pyproject.toml`` is invalid; ``str(error)`` is the one line to show."""


class SettingsCache:
    """Settings per ``pyproject.toml``, re-read when its modification time changes."""

    def __init__(self) -> None:
        self._by_file: dict[Path, tuple[int, Settings]] = {}
        self.warnings: list[str] = []

    def for_path(self, path: Path) -> Settings:
        pyproject = find_pyproject(path)
        if pyproject is None:
            return default_settings(import_root(path.parent))
        try:
            mtime = pyproject.stat().st_mtime_ns
        except OSError:
            mtime = -1
        known = self._by_file.get(pyproject)
        if known is not None and known[0] == mtime:
            return known[1]
        try:
            settings = read_pyproject(pyproject, warn=self.warnings.append)
        except ConfigError as error:
            raise ConfigProblem(str(error)) from None
        self._by_file[pyproject] = (mtime, settings)
        return settings

    def clear(self) -> None:
        self._by_file.clear()


def document_path(document: TextDocument) -> Path:
    """The file a document stands for; an unsaved (untitled) one is placed in the working folder."""
    path = Path(document.path)
    if not path.is_absolute():
        path = Path(os.getcwd()) / (document.filename or "untitled.py")
    return path


def _range(document: TextDocument, line: int, col: int, end_line: int, end_col: int) -> types.Range:
    """A range from 1-based lines and 0-based code point columns, in the client's units."""
    server_range = types.Range(
        start=types.Position(line=max(line - 1, 0), character=max(col, 0)),
        end=types.Position(line=max(end_line - 1, 0), character=max(end_col, 0)),
    )
    return document.range_to_client_units(server_range)  # type: ignore[arg-type]


def _severity(rule: rules.Rule | None) -> types.DiagnosticSeverity:
    if rule is None or rule.default_enabled:
        return types.DiagnosticSeverity.Error
    return types.DiagnosticSeverity.Warning


def diagnostics(document: TextDocument, settings: Settings) -> list[types.Diagnostic]:
    """The findings ``cachelint check`` would report for this text, after ``noqa`` and selection."""
    from cachelint.checker import check_source

    path = document_path(document)
    result = check_source(str(path), document.source.encode("utf-8", "surrogatepass"), settings)
    if result.failure is not None:
        raise RuntimeError(result.failure)
    if result.error is not None:
        line, col, message = result.error
        return [
            types.Diagnostic(
                range=_range(document, line, col, line, col),
                message=message,
                severity=types.DiagnosticSeverity.Error,
                source=SOURCE,
            )
        ]
    codes = settings.enabled_codes()
    out: list[types.Diagnostic] = []
    for line, _, code, message, end_line, _, char_col, char_end_col in result.findings:
        if code not in codes:
            continue
        rule = rules.BY_CODE.get(code)
        if end_line < 0 or char_end_col < 0:
            end_line, char_end_col = line, char_col
        out.append(
            types.Diagnostic(
                range=_range(document, line, char_col, end_line, char_end_col),
                message=message,
                severity=_severity(rule),
                code=code,
                code_description=types.CodeDescription(href=rule.url) if rule else None,
                source=SOURCE,
            )
        )
    return out


def config_diagnostic(message: str) -> types.Diagnostic:
    """A broken configuration, shown on the document's first line: it is why nothing else is shown."""
    start = types.Position(line=0, character=0)
    return types.Diagnostic(
        range=types.Range(start=start, end=start),
        message=f"cachelint configuration error: {message}",
        severity=types.DiagnosticSeverity.Error,
        source=SOURCE,
    )


# -- code actions -------------------------------------------------------------------


@dataclass(frozen=True)
class _Wanted:
    quick_fixes: bool
    fix_all: bool

    @classmethod
    def of(cls, only: list[str] | None, has_fixable: bool) -> _Wanted:
        if not only:
            return cls(quick_fixes=True, fix_all=has_fixable)

        def asked(kind: str) -> bool:
            return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)

        return cls(quick_fixes=asked(types.CodeActionKind.QuickFix.value), fix_all=asked(FIX_ALL_KIND))


def _text_edit(document: TextDocument, old: str, new: str) -> types.WorkspaceEdit:
    """One edit replacing only the lines that differ."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    prefix = 0
    while prefix < min(len(old_lines), len(new_lines)) and old_lines[prefix] == new_lines[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old_lines), len(new_lines)) - prefix and old_lines[-1 - suffix] == new_lines[-1 - suffix]:
        suffix += 1
    end_line = len(old_lines) - suffix
    start = types.Position(line=prefix, character=0)
    if end_line == len(old_lines) and old_lines and not old_lines[-1].endswith(("\n", "\r")):
        last = types.Position(line=len(old_lines) - 1, character=len(old_lines[-1]))
        end = document.position_to_client_units(last)  # type: ignore[arg-type]
    else:
        end = types.Position(line=end_line, character=0)
    replacement = "".join(new_lines[prefix : len(new_lines) - suffix])
    edit = types.TextEdit(range=types.Range(start=start, end=end), new_text=replacement)
    return types.WorkspaceEdit(changes={document.uri: [edit]})


def _origin_matches(document: TextDocument, diagnostic: types.Diagnostic, origin: tuple[int, int, str]) -> bool:
    line, byte_col, code = origin
    if diagnostic.code != code or diagnostic.range.start.line != line - 1:
        return False
    lines = document.lines
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    start = document.position_from_client_units(diagnostic.range.start)
    return bool(start.character == char_column(text, byte_col))


def code_actions(
    document: TextDocument, settings: Settings, context: types.CodeActionContext
) -> list[types.CodeAction]:
    """Quick fixes for the fixable findings in ``context``, and the fix-all action."""
    ours = [d for d in context.diagnostics if d.source == SOURCE and d.code in FIX_CODES]
    wanted = _Wanted.of([str(kind) for kind in context.only] if context.only else None, bool(ours))
    if not (wanted.quick_fixes and ours) and not wanted.fix_all:
        return []
    from cachelint.extras import require

    require("quick fixes", "libcst")
    from cachelint.codemod.text import fix_text, plan_text, sites

    path = document_path(document)
    text = document.source
    actions: list[types.CodeAction] = []
    if wanted.quick_fixes and ours:
        planned = plan_text(path, text, settings, include_blocking=True, unsafe_fixes=True)
        for site in [] if isinstance(planned, str) else sites(planned):
            for origin in site.origins:
                matched = [d for d in ours if _origin_matches(document, d, origin)]
                if not matched:
                    continue
                fixed = fix_text(
                    path, text, settings, include_blocking=site.unsafe, unsafe_fixes=site.unsafe, only=origin
                )
                if fixed.text is None:
                    continue
                rule = rules.BY_CODE[origin[2]]
                title = f"{rule.fix_title} ({rule.code})" + (" [unsafe]" if site.unsafe else "")
                actions.append(
                    types.CodeAction(
                        title=title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=matched,
                        edit=_text_edit(document, text, fixed.text),
                        is_preferred=not site.unsafe,
                    )
                )
                break  # one action per site, even when it fixes several findings
    if wanted.fix_all:
        fixed = fix_text(path, text, settings)
        if fixed.text is not None:
            actions.append(
                types.CodeAction(
                    title="cachelint: fix all safely fixable findings",
                    kind=FIX_ALL_KIND,
                    edit=_text_edit(document, text, fixed.text),
                )
            )
    return actions
