"""How ``cachelint check`` prints findings: ``text``, ``json``, ``sarif`` and ``github``.

Every formatter takes the same :class:`Report` and writes to one stream;
problems that are not findings (unparsable files, missing paths) are
:class:`Problem` records.  They always go to standard error as one line each
(so machine formats on standard output stay parseable); SARIF also carries
them as tool execution notifications and ``github`` as error annotations.

Columns: every format prints 1-based Unicode code point columns (the
column an editor shows; SARIF says so with ``columnKind``), the same as the
flake8 plugin, so a finding on a line with non-ASCII text has one position
everywhere (:mod:`cachelint.positions`).

SARIF rules link their page (``helpUri``); results carry
``partialFingerprints`` built from the code, the line's text (whitespace
collapsed) and which occurrence of that pair in the file it is, not the line
number, so code scanning keeps tracking an alert when lines above it move.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from cachelint import __version__, rules
from cachelint.terminal import PLAIN, Style

if TYPE_CHECKING:
    from cachelint.config import Settings

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/cachelint/"


@dataclass(frozen=True)
class Finding:
    """One finding to print; ``col``/``end_col`` are 0-based UTF-8 byte offsets."""

    path: str  # as displayed (relative to the working folder when below it)
    line: int
    col: int
    code: str
    message: str
    end_line: int | None = None
    end_col: int | None = None
    char_col: int | None = None
    char_end_col: int | None = None

    @property
    def column(self) -> int:
        """The 1-based code point column every format shows."""
        return (self.char_col if self.char_col is not None else self.col) + 1

    @property
    def end_column(self) -> int | None:
        end = self.char_end_col if self.char_end_col is not None else self.end_col
        return None if end is None or end < 0 else end + 1


@dataclass(frozen=True)
class Problem:
    """Something that stopped a file (or a path) from being checked."""

    path: str
    message: str
    line: int | None = None
    col: int | None = None  # 0-based

    def text(self) -> str:
        if self.line is None:
            return f"{self.path}: error: {self.message}"
        return f"{self.path}:{self.line}:{(self.col or 0) + 1}: error: {self.message}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    #: Findings ``cachelint check --fix`` would fix, and those only ``--unsafe-fixes`` would.
    fixable: int = 0
    unsafe_fixable: int = 0
    #: Findings ``--fix`` fixed before this report was made.
    fixed: int = 0
    #: Texts that are not on disk (standard input), by displayed path, for SARIF fingerprints.
    sources: dict[str, str] = field(default_factory=dict)

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (f.path, f.line, f.col, f.code))
        self.problems.sort(key=lambda p: (p.path, p.line or 0))


@dataclass
class Checked:
    """A check's report, and where each displayed path's file and settings are (what ``--fix`` and "N fixable" read)."""

    report: Report
    files: dict[str, tuple[str, Settings]]  # displayed path -> (absolute path, settings)


def display_path(path: str, cwd: str) -> str:
    """``path`` relative to ``cwd`` when below it, else absolute."""
    prefix = cwd.rstrip(os.sep) + os.sep
    if path.startswith(prefix):
        return path[len(prefix) :]
    return path


# -- text -----------------------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def write_text(report: Report, out: TextIO, style: Style = PLAIN, *, quiet: bool = False) -> None:
    """One line per finding, then ruff's summary lines (none with ``quiet``)."""
    for f in report.findings:
        where = style.location(f":{f.line}:{f.column}:")
        out.write(f"{style.path(f.path)}{where} {style.code(f.code)} {f.message}\n")
    if quiet:
        return
    count = len(report.findings)
    if report.fixed:
        total = count + report.fixed
        out.write(f"Found {_plural(total, 'finding')} ({report.fixed} fixed, {count} remaining).\n")
    elif count:
        out.write(f"Found {_plural(count, 'finding')}.\n")
    if count:
        if report.fixable:
            out.write(f"{report.fixable} fixable with `cachelint check --fix`.\n")
        if report.unsafe_fixable:
            hint = f"{report.unsafe_fixable} more fixable with `cachelint check --fix --unsafe-fixes`."
            out.write(f"{style.note(hint)}\n")
    elif not report.problems and not report.fixed:
        out.write(style.success("All checks passed!") + "\n")


def write_statistics(report: Report, out: TextIO) -> None:
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.code] = counts.get(f.code, 0) + 1
    for code, count in sorted(counts.items()):
        rule = rules.BY_CODE.get(code)
        name = rule.name if rule else ""
        out.write(f"{count:<5} {code} {name}\n")


# -- json -----------------------------------------------------------------------


def write_json(report: Report, out: TextIO) -> None:
    import json

    items: list[dict[str, Any]] = []
    for f in report.findings:
        rule = rules.BY_CODE.get(f.code)
        items.append(
            {
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "end_line": f.end_line,
                "end_column": f.end_column,
                "code": f.code,
                "name": rule.name if rule else None,
                "message": f.message,
                "fix_title": rule.fix_title if rule else None,
                "fixable": rule.fixable if rule else False,
            }
        )
    json.dump(items, out, indent=2)
    out.write("\n")


# -- github -----------------------------------------------------------------------


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def write_github(report: Report, out: TextIO) -> None:
    """GitHub Actions workflow commands: one ``::error`` annotation per finding."""
    for f in report.findings:
        props = [f"file={_gh_property(f.path)}", f"line={f.line}", f"col={f.column}"]
        if f.end_line is not None and f.end_line > 0:
            props.append(f"endLine={f.end_line}")
            if f.end_line == f.line and f.end_column is not None:
                props.append(f"endColumn={f.end_column}")
        props.append(f"title={_gh_property(f.code)}")
        out.write(f"::error {','.join(props)}::{_gh_data(f.message)}\n")
    for p in report.problems:
        props = [f"file={_gh_property(p.path)}"]
        if p.line is not None:
            props += [f"line={p.line}", f"col={(p.col or 0) + 1}"]
        props.append("title=cachelint")
        out.write(f"::error {','.join(props)}::{_gh_data(p.message)}\n")


# -- sarif -----------------------------------------------------------------------


def _sarif_level(rule: rules.Rule) -> str:
    # Default-on rules find run-time errors; the opt-in ones find slowness.
    return "error" if rule.default_enabled else "warning"


def _rule_help_text(rule: rules.Rule) -> str:
    return (
        f"{rule.what}\n\nWhy is this bad? {rule.why}\n\nExample:\n{rule.example}\n\n"
        f"Use instead:\n{rule.use_instead}\n\nFix safety: {rule.fix_safety}"
    )


def sarif_rules() -> list[dict[str, Any]]:
    """``reportingDescriptor`` objects for every active rule, from the catalog."""
    from cachelint.docs import render_rule

    out: list[dict[str, Any]] = []
    for rule in rules.ACTIVE:
        out.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.what},
                "helpUri": rule.url,
                "help": {"text": _rule_help_text(rule), "markdown": render_rule(rule, level=2)},
                "defaultConfiguration": {"enabled": rule.default_enabled, "level": _sarif_level(rule)},
                "properties": {
                    "fixable": rule.fixable,
                    "fixTitle": rule.fix_title,
                    "mypyErrorCode": rule.mypy_code,
                    "tags": ["cachelint", "correctness" if rule.default_enabled else "performance"],
                },
            }
        )
    return out


FINGERPRINT_KEY = "cachelint/v1"


def normalized_line(text: str) -> str:
    """A line with its whitespace collapsed: re-indenting code keeps its fingerprints."""
    return " ".join(text.split())


class Fingerprints:
    """``partialFingerprints`` values: sha256 of code and normalized line text, then ``:n`` for the nth such pair.

    The line number is left out on purpose, so an edit above a finding does
    not make code scanning close one alert and open another.  Findings must
    be asked for in file order (a sorted :class:`Report`).
    """

    def __init__(self, cwd: str, sources: dict[str, str]) -> None:
        self._cwd = cwd
        self._sources = sources
        self._lines: dict[str, list[str]] = {}
        self._seen: dict[tuple[str, str], int] = {}

    def _file_lines(self, path: str) -> list[str]:
        found = self._lines.get(path)
        if found is None:
            text = self._sources.get(path)
            if text is None:
                try:
                    with open(os.path.join(self._cwd, path), "rb") as handle:
                        text = handle.read().decode("utf-8", "replace")
                except OSError:
                    text = ""
            found = self._lines[path] = text.splitlines()
        return found

    def of(self, finding: Finding) -> str:
        import hashlib

        lines = self._file_lines(finding.path)
        line = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        digest = hashlib.sha256(f"{finding.code}\0{normalized_line(line)}".encode()).hexdigest()[:32]
        key = (finding.path, digest)
        nth = self._seen.get(key, 0) + 1
        self._seen[key] = nth
        return f"{digest}:{nth}"


def _artifact(path: str, cwd: str) -> dict[str, Any]:
    from urllib.parse import quote

    # Quote the name's bytes (os.fsencode): a file name that is not UTF-8 arrives
    # with surrogate escapes, which a str-quoting URI builder cannot encode.
    if os.path.isabs(path):
        return {"uri": "file://" + quote(os.fsencode(path.replace(os.sep, "/")))}
    return {"uri": quote(os.fsencode(path.replace(os.sep, "/"))), "uriBaseId": "%SRCROOT%"}


def sarif_log(report: Report, cwd: str) -> dict[str, Any]:
    descriptors = sarif_rules()
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    levels = {d["id"]: d["defaultConfiguration"]["level"] for d in descriptors}
    fingerprints = Fingerprints(cwd, report.sources)
    results: list[dict[str, Any]] = []
    for f in report.findings:
        region: dict[str, Any] = {"startLine": f.line, "startColumn": f.column}
        if f.end_line is not None and f.end_line > 0:
            region["endLine"] = f.end_line
            if f.end_column is not None:
                region["endColumn"] = f.end_column
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": levels.get(f.code, "error"),
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(f.path, cwd), "region": region}}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprints.of(f)},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        results.append(result)
    notifications: list[dict[str, Any]] = []
    for p in report.problems:
        note: dict[str, Any] = {"level": "error", "message": {"text": p.message}}
        location: dict[str, Any] = {"artifactLocation": _artifact(p.path, cwd)}
        if p.line is not None:
            location["region"] = {"startLine": p.line, "startColumn": (p.col or 0) + 1}
        note["locations"] = [{"physicalLocation": location}]
        notifications.append(note)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "cachelint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(cwd).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": not report.problems, "toolExecutionNotifications": notifications}],
        "results": results,
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def write_sarif(report: Report, out: TextIO, cwd: str) -> None:
    import json

    json.dump(sarif_log(report, cwd), out, indent=2)
    out.write("\n")


def writer(name: str, cwd: str, style: Style = PLAIN, *, quiet: bool = False) -> Callable[[Report, TextIO], None]:
    if name == "sarif":
        return lambda report, out: write_sarif(report, out, cwd)
    if name == "text":
        return lambda report, out: write_text(report, out, style, quiet=quiet)
    return {"json": write_json, "github": write_github}[name]
