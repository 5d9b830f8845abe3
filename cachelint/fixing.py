"""``cachelint check --fix/--diff``, the "N fixable" count and ``fix --stdin-filename``: the codemod, driven by a check.

A check already knows which files hold findings a fix could remove
(CLT101/CLT102, and CLT104 whose fix is unsafe); only those files are
planned (no LibCST) to count certain fixes, and rewritten
(:mod:`cachelint.codemod.text`, LibCST, proven by a re-check) for ``--fix``.  A fix is
counted only where the codemod is certain of it, so "N fixable" is what
``--fix`` will do.  Files are written atomically and only if unchanged since
they were read.
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cachelint import extras, rules

if TYPE_CHECKING:
    from cachelint.config import Settings
    from cachelint.output import Checked

#: Codes a fix can remove.
FIX_CODES = frozenset(rule.code for rule in rules.ACTIVE if rule.fixable)


@dataclass(frozen=True)
class _Candidate:
    shown: str
    path: str
    settings: Settings
    origins: frozenset[tuple[int, int, str]]  # displayed findings a fix could remove


def _candidates(checked: Checked) -> list[_Candidate]:
    by_file: dict[str, set[tuple[int, int, str]]] = {}
    for finding in checked.report.findings:
        if finding.code in FIX_CODES:
            by_file.setdefault(finding.path, set()).add((finding.line, finding.col, finding.code))
    out: list[_Candidate] = []
    for shown, origins in sorted(by_file.items()):
        path, settings = checked.files[shown]
        out.append(_Candidate(shown, path, settings, frozenset(origins)))
    return out


def _decode(raw: bytes) -> tuple[str, str]:
    """The text and the encoding to write it back with (PEP 263 cookie, BOM)."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return raw.decode(encoding), encoding


def _read(candidate: _Candidate, sources: dict[str, str]) -> str | None:
    text = sources.get(candidate.shown)
    if text is not None:
        return text
    try:
        with open(candidate.path, "rb") as handle:
            return _decode(handle.read())[0]
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
        return None  # the check itself reports unreadable files


def count(checked: Checked, *, unsafe: bool) -> tuple[int, int]:
    """(findings ``--fix`` would fix, findings only ``--unsafe-fixes`` would add)."""
    candidates = _candidates(checked)
    if not candidates:
        return 0, 0
    from cachelint.codemod.text import plan_text, sites

    fixable = hidden = 0
    for candidate in candidates:
        text = _read(candidate, checked.report.sources)
        if text is None:
            continue
        planned = plan_text(Path(candidate.path), text, candidate.settings, include_blocking=True, unsafe_fixes=True)
        if isinstance(planned, str):
            continue
        for site in sites(planned):
            shown = len(candidate.origins.intersection(site.origins))
            if site.unsafe and not unsafe:
                hidden += shown
            else:
                fixable += shown
    return fixable, hidden


def _fixes(checked: Checked, *, unsafe: bool, feature: str) -> list[tuple[_Candidate, str, str, int]]:
    """(candidate, old text, new text, findings fixed) for every file a fix changes; errors go to stderr."""
    candidates = _candidates(checked)
    if not candidates:
        return []
    extras.require(feature, "libcst")
    from cachelint.codemod.text import fix_text

    out: list[tuple[_Candidate, str, str, int]] = []
    for candidate in candidates:
        text = _read(candidate, checked.report.sources)
        if text is None:
            continue
        result = fix_text(Path(candidate.path), text, candidate.settings, include_blocking=unsafe, unsafe_fixes=unsafe)
        if result.error is not None:
            print(f"{candidate.shown}: error: {result.error}", file=sys.stderr)
        if result.text is not None:
            out.append((candidate, text, result.text, len(candidate.origins.intersection(result.fixed))))
    return out


def apply(checked: Checked, *, unsafe: bool) -> int:
    """Write every certain fix; the number of displayed findings fixed."""
    from cachelint.codemod.io import FileChanged, ReadOnly, Snapshot, read_bytes, write_atomic

    fixed = 0
    for candidate, old, new, removed in _fixes(checked, unsafe=unsafe, feature="cachelint check --fix"):
        path = Path(candidate.path)
        try:
            raw, st = read_bytes(path)
            text, encoding = _decode(raw)
            if text != old:
                raise FileChanged(candidate.path)
            write_atomic(path, new.encode(encoding), Snapshot.of(raw, st))
        except FileChanged:
            print(f"{candidate.shown}: error: changed on disk while being fixed; not overwritten", file=sys.stderr)
            continue
        except ReadOnly:
            print(f"{candidate.shown}: error: file is read-only; not written", file=sys.stderr)
            continue
        except OSError as error:
            print(f"{candidate.shown}: error: cannot write: {error.strerror or error}", file=sys.stderr)
            continue
        fixed += removed
    return fixed


def _unified(shown: str, old: str, new: str) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=f"a/{shown}", tofile=f"b/{shown}"
        )
    )


def diff(checked: Checked, *, unsafe: bool) -> int:
    """Print the fixes as a diff; exit 1 when there is one, 2 when a file could not be checked."""
    for problem in checked.report.problems:
        print(problem.text(), file=sys.stderr)
    changes = _fixes(checked, unsafe=unsafe, feature="cachelint check --diff")
    for candidate, old, new, _ in changes:
        sys.stdout.write(_unified(candidate.shown, old, new))
    would = sum(removed for *_, removed in changes)
    if changes:
        print(f"Would fix {would} finding{'s' if would != 1 else ''}.", file=sys.stderr)
    if checked.report.problems:
        return 2
    return 1 if changes else 0


# -- standard input ------------------------------------------------------------------


def _fix_one_text(filename: str, settings: Settings, *, unsafe: bool, diff: bool) -> int:
    """Read standard input, print the fixed text (or the diff); problems go to standard error."""
    extras.require("cachelint fix --stdin-filename", "libcst")
    from cachelint.codemod.text import fix_text

    raw = sys.stdin.buffer.read()
    try:
        text, encoding = _decode(raw)
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        print(f"{filename}: error: cannot decode: {error}", file=sys.stderr)
        if not diff:
            sys.stdout.buffer.write(raw)  # an editor replacing its buffer with our output loses nothing
        return 2
    result = fix_text(Path(os.path.abspath(filename)), text, settings, include_blocking=unsafe, unsafe_fixes=unsafe)
    for line in result.manual:
        print(line, file=sys.stderr)
    if result.error is not None:
        print(f"error: {result.error}", file=sys.stderr)
    new = result.text if result.text is not None else text
    if diff:
        sys.stdout.write(_unified(filename, text, new))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(new.encode(encoding))
        sys.stdout.buffer.flush()
    if result.error is not None:
        return 2
    return 1 if diff and result.text is not None else 0


def fix_stdin(filename: str | None, settings: Settings, *, unsafe: bool, diff: bool) -> int:
    """``cachelint check --fix|--diff --stdin-filename PATH -``."""
    return _fix_one_text(filename or "-", settings, unsafe=unsafe, diff=diff)


def fix_command_stdin(argv: list[str]) -> int:
    """``cachelint fix --stdin-filename PATH [-]``: print the fixed text (the codemod on one text)."""
    from cachelint.arguments import Parser
    from cachelint.workspace import SettingsByFolder

    parser = Parser(prog="cachelint fix", description="Fix standard input as if it were the file PATH.")
    parser.add_argument("paths", nargs="*", metavar="-", help="'-': standard input (the default)")
    parser.add_argument("--stdin-filename", required=True, metavar="PATH", help="where the text lives")
    parser.add_argument("--diff", action="store_true", help="print a unified diff instead of the fixed text")
    parser.add_argument(
        "--unsafe-fixes", "--include-blocking", dest="unsafe", action="store_true", help="also fix CLT104 sites"
    )
    parser.add_argument("--config", metavar="PATH", help="use this pyproject.toml's [tool.cachelint]")
    parser.add_argument("--no-progress", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.paths not in ([], ["-"]):
        parser.error("with --stdin-filename the only path is '-' (standard input)")
    if options.config is not None and not os.path.isfile(options.config):
        parser.error(f"--config: {options.config}: no such file")
    settings_for = SettingsByFolder(os.path.abspath(options.config) if options.config else None)
    settings = settings_for(os.path.dirname(os.path.abspath(options.stdin_filename)))
    return _fix_one_text(options.stdin_filename, settings, unsafe=options.unsafe, diff=options.diff)
