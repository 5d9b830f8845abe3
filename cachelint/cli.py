"""The ``cachelint`` command: ``check``, ``fix``, ``server``, ``rules`` and ``explain``.

``check`` is the engine without flake8: it finds the files (:mod:`cachelint.workspace`),
reuses results of unchanged files (:mod:`cachelint.resultcache`), checks the
rest (:mod:`cachelint.checker`, imported only when a file needs checking) and
prints them (:mod:`cachelint.output`).  With ``--fix``/``--diff`` it hands the
files with certain fixes to the codemod (:mod:`cachelint.fixing`).  ``fix``
hands its arguments to the codemod, ``server`` starts the language server
(:mod:`cachelint.lsp`); both need an extra (:mod:`cachelint.extras`).
``rules`` and ``explain`` print the catalog.

Options follow ruff's habits: no abbreviated options, a suggestion for a
mistyped one, ``-`` (or ``--stdin-filename``) to check standard input.

Exit status: 0 nothing found, 1 findings (or, with ``--diff``, something to
change), 2 a usage, configuration, parse or internal error, or a missing
extra (files that could be checked are still checked and reported).

Start-up time is part of the product (a warm run should take about as long as
``ruff``), so this module imports only what every run needs; the engine,
LibCST and the codemod are imported where they are used.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from cachelint import __version__
from cachelint.arguments import Parser
from cachelint.debugging import debug_enabled
from cachelint.workspace import SettingsByFolder, discover

if TYPE_CHECKING:
    from cachelint.config import Settings
    from cachelint.output import Checked, Report
    from cachelint.resultcache import Entry
    from cachelint.resultcache import Finding as StoredFinding

PROG = "cachelint"


class UsageError(Exception):
    """A problem that stops the run; ``str(error)`` is the one line to print."""


def _error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


# -- argument parsing ---------------------------------------------------------


def _build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description="Find and fix async code that misuses a synchronous cache.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=Parser)

    check = commands.add_parser("check", help="report findings (exit 1 if any)")
    check.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: .); '-' reads standard input"
    )
    check.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="only these codes or prefixes, comma-separated (replaces the configured selection)",
    )
    check.add_argument("--extend-select", action="append", metavar="CODES", help="add these codes to the selection")
    check.add_argument("--ignore", action="append", metavar="CODES", help="never report these codes")
    check.add_argument("--fix", action="store_true", help="apply the fixes the codemod is certain of, then report")
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix/--diff: also apply unsafe fixes (CLT104)"
    )
    check.add_argument(
        "--diff", action="store_true", help="print the fixes as a unified diff; write nothing (exit 1 if any)"
    )
    check.add_argument("--config", metavar="PATH", help="use this pyproject.toml's [tool.cachelint] for every file")
    check.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="check standard input as if it were the file PATH (its settings and project)",
    )
    check.add_argument(
        "--output-format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help="how to print findings (default: text)",
    )
    check.add_argument("-o", "--output-file", metavar="PATH", help="write the findings to PATH instead of stdout")
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only: no summary lines")
    check.add_argument("--show-files", action="store_true", help="list the files that would be checked, and stop")
    check.add_argument("--statistics", action="store_true", help="also print the number of findings per code")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings (errors still exit 2)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="result cache folder (default: .cachelint_cache at the project root; env CACHELINT_CACHE_DIR)",
    )
    check.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply exclusions to files named on the command line too (for pre-commit)",
    )
    check.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: one per core)")

    commands.add_parser(
        "fix",
        add_help=False,
        help="rewrite cache calls to the typed async API (the codemod; see `cachelint fix --help`)",
    )
    server = commands.add_parser("server", help="run the language server on stdio (needs the [lsp] extra)")
    server.add_argument("--stdio", action="store_true", help="talk over standard input/output (the default)")
    commands.add_parser("rules", help="list every rule")
    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("rule", metavar="CODE_OR_NAME")
    return parser


def _selectors(values: list[str] | None, option: str) -> tuple[str, ...] | None:
    """Comma-separated selectors from repeated options, validated against the catalog."""
    if values is None:
        return None
    from cachelint import rules

    out: list[str] = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if not item:
                continue
            try:
                rules.expand_selector(item)
            except KeyError:
                known = ", ".join(rule.code for rule in rules.ACTIVE)
                raise UsageError(f"{option}: unknown rule selector {item!r} (known: {known})") from None
            out.append(item)
    return tuple(out)


# -- check ------------------------------------------------------------------------


class _Selection:
    """Which codes are reported for a file: its configuration, then the command line on top.

    As in ruff, ``--select`` starts a new selection (the configured one is
    replaced), ``--extend-select`` adds, ``--ignore`` removes.
    """

    def __init__(self, select: tuple[str, ...] | None, extend: tuple[str, ...] | None, ignore: tuple[str, ...] | None):
        self.select = select
        self.extend = extend or ()
        self.ignore = ignore or ()
        self._memo: dict[int, frozenset[str]] = {}

    def codes(self, settings: Settings) -> frozenset[str]:
        found = self._memo.get(id(settings))
        if found is not None:
            return found
        from cachelint import rules

        def expand(selectors: tuple[str, ...]) -> set[str]:
            out: set[str] = set()
            for selector in selectors:
                out |= rules.expand_selector(selector)
            return out

        chosen = expand(self.select) if self.select is not None else set(settings.enabled_codes())
        chosen |= expand(self.extend)
        chosen -= expand(self.ignore)
        found = frozenset(chosen)
        self._memo[id(settings)] = found
        return found


def _selection(options: argparse.Namespace) -> _Selection:
    return _Selection(
        _selectors(options.select, "--select"),
        _selectors(options.extend_select, "--extend-select"),
        _selectors(options.ignore, "--ignore"),
    )


def _settings_lookup(options: argparse.Namespace) -> SettingsByFolder:
    config = options.config
    if config is not None:
        if not os.path.isfile(config):
            raise UsageError(f"--config: {config}: no such file")
        config = os.path.abspath(config)
    return SettingsByFolder(config)


def collect(options: argparse.Namespace, cwd: str, settings_for: SettingsByFolder) -> Checked:
    """Check the files ``options`` name and build the report (nothing printed)."""
    from cachelint.output import Checked, Problem, Report, display_path
    from cachelint.resultcache import open_default

    selection = _selection(options)
    if options.jobs is not None and options.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    found = discover(options.paths or ["."], settings_for, force_exclude=options.force_exclude)
    report = Report()
    for missing in found.missing:
        report.problems.append(Problem(missing, "no such file or directory"))
    for note in found.notes():  # special files: said, not an error
        print(f"{PROG}: warning: {note}", file=sys.stderr)

    cache = open_default(cwd, options.cache_dir)
    if not options.no_cache:
        if cache.refused is not None:
            print(f"{PROG}: warning: {cache.refused}", file=sys.stderr)
        cache.load()
    results: dict[str, Entry] = {}
    pending: list[tuple[str, Settings]] = []
    file_settings: dict[str, Settings] = {}
    for path in found.files:
        settings = settings_for(os.path.dirname(path))
        file_settings[path] = settings
        entry = None if options.no_cache else cache.lookup(path, settings_for.fingerprint(settings))
        if entry is None:
            pending.append((path, settings))
        else:
            results[path] = entry

    failures: dict[str, str] = {}
    if pending:
        from cachelint.checker import check_files, dependencies, store_result, stored_imports

        caching = not options.no_cache
        checked = check_files(pending, options.jobs, with_imports=caching)
        # Worked out here, once, from every worker's results (see cachelint.checker),
        # with the imports of unchanged files read from the cache, not parsed.
        deps = dependencies(checked, file_settings.__getitem__, stored_imports(cache, settings_for)) if caching else {}
        for result in checked:
            fingerprint = settings_for.fingerprint(file_settings[result.path])
            stored = store_result(cache if caching else None, fingerprint, result, deps.get(result.path, ()))
            results[result.path] = stored
            if result.failure is not None:
                failures[result.path] = result.failure
    if not options.no_cache:
        cache.save()

    files: dict[str, tuple[str, Settings]] = {}
    for path in found.files:
        shown = display_path(path, cwd)
        files[shown] = (path, file_settings[path])
        if path in failures:
            report.problems.append(Problem(shown, failures[path]))
        else:
            report.files_checked += 1
        entry = results[path]
        if entry.error is not None:
            line, col, message = entry.error
            report.problems.append(Problem(shown, message, line, col))
            continue
        _add_findings(report, shown, entry.findings, selection.codes(file_settings[path]))
    report.sort()
    return Checked(report, files)


def _add_findings(report: Report, shown: str, findings: Sequence[StoredFinding], codes: frozenset[str]) -> None:
    from cachelint.output import Finding

    for line, col, code, message, end_line, end_col, char_col, char_end_col in findings:
        if code in codes:
            report.findings.append(
                Finding(
                    shown,
                    line,
                    col,
                    code,
                    message,
                    end_line if end_line >= 0 else None,
                    end_col if end_col >= 0 else None,
                    char_col,
                    char_end_col if char_end_col >= 0 else None,
                )
            )


def _check_stdin(options: argparse.Namespace, cwd: str, settings_for: SettingsByFolder) -> Checked:
    """Standard input checked as if it were the file ``--stdin-filename`` (default: ``-`` in this folder)."""
    from cachelint.checker import check_source
    from cachelint.output import Checked, Problem, Report, display_path

    name = options.stdin_filename or "-"
    path = os.path.abspath(name)
    shown = display_path(path, cwd) if options.stdin_filename else "-"
    settings = settings_for(os.path.dirname(path))
    source = sys.stdin.buffer.read()
    report = Report(files_checked=1)
    report.sources[shown] = source.decode("utf-8", "replace")
    result = check_source(path, source, settings)
    if result.failure is not None:
        report.problems.append(Problem(shown, result.failure))
    elif result.error is not None:
        line, col, message = result.error
        report.problems.append(Problem(shown, message, line, col))
    else:
        _add_findings(report, shown, result.findings, _selection(options).codes(settings))
    report.sort()
    return Checked(report, {shown: (path, settings)})


def _reading_stdin(options: argparse.Namespace) -> bool:
    if "-" in options.paths:
        if options.paths != ["-"]:
            raise UsageError("'-' (standard input) cannot be combined with other paths")
        return True
    return bool(options.stdin_filename) and not options.paths


def run_check(options: argparse.Namespace) -> int:
    cwd = os.getcwd()
    settings_for = _settings_lookup(options)
    stdin = _reading_stdin(options)
    if options.show_files:
        return _show_files(options, cwd, settings_for, stdin)
    if stdin and (options.fix or options.diff):
        from cachelint import fixing

        settings = settings_for(os.path.dirname(os.path.abspath(options.stdin_filename or "-")))
        return fixing.fix_stdin(options.stdin_filename, settings, unsafe=options.unsafe_fixes, diff=options.diff)
    checked = _check_stdin(options, cwd, settings_for) if stdin else collect(options, cwd, settings_for)
    report = checked.report
    if options.diff or options.fix:
        from cachelint import fixing

        if options.diff:
            return fixing.diff(checked, unsafe=options.unsafe_fixes)
        if fixing.apply(checked, unsafe=options.unsafe_fixes):
            before = len(report.findings)
            checked = collect(options, cwd, settings_for)
            # Like ruff, "fixed" counts every finding the fixes removed (a rewritten
            # call's CLT103 goes with its CLT101), not only the sites rewritten.
            checked.report.fixed = max(before - len(checked.report.findings), 0)
        report = checked.report
    if options.output_format == "text" and not options.quiet and report.findings:
        from cachelint import fixing

        report.fixable, report.unsafe_fixable = fixing.count(checked, unsafe=options.unsafe_fixes)
    return _print(report, options, cwd)


def _show_files(options: argparse.Namespace, cwd: str, settings_for: SettingsByFolder, stdin: bool) -> int:
    from cachelint.output import display_path

    if stdin:
        print(display_path(os.path.abspath(options.stdin_filename or "-"), cwd))
        return 0
    found = discover(options.paths or ["."], settings_for, force_exclude=options.force_exclude)
    for missing in found.missing:
        print(f"{missing}: error: no such file or directory", file=sys.stderr)
    for path in found.files:
        print(display_path(path, cwd))
    return 2 if found.missing else 0


def _open_output(options: argparse.Namespace) -> TextIO:
    if options.output_file is None:
        return sys.stdout
    try:
        return open(options.output_file, "w", encoding="utf-8", newline="\n")
    except OSError as error:
        raise UsageError(f"--output-file: cannot write {options.output_file}: {error.strerror or error}") from None


def _print(report: Report, options: argparse.Namespace, cwd: str) -> int:
    from cachelint.output import write_statistics, writer
    from cachelint.terminal import Style, wants_colour

    out = _open_output(options)
    try:
        style = Style(options.output_format == "text" and options.output_file is None and wants_colour(out))
        write = writer(options.output_format, cwd, style, quiet=options.quiet)
        for problem in report.problems:
            print(problem.text(), file=sys.stderr)
        write(report, out)
        if options.statistics:
            # Machine formats keep standard output parseable.
            write_statistics(report, out if options.output_format in ("text", "github") else sys.stderr)
        out.flush()
    finally:
        if out is not sys.stdout:
            out.close()
    if report.problems:
        return 2
    if report.findings and not options.exit_zero:
        return 1
    return 0


# -- fix, rules, explain -------------------------------------------------------------


def run_fix(argv: list[str]) -> int:
    """``cachelint fix ARGS``: the codemod's own command line, or one text from standard input."""
    from cachelint import extras

    if "--stdin-filename" in argv or any(arg.startswith("--stdin-filename=") for arg in argv):
        from cachelint import fixing

        return fixing.fix_command_stdin(argv)
    extras.require("cachelint fix", "libcst")
    codemod = extras.codemod("fix_cache_calls")
    return int(codemod.main(argv, prog=f"{PROG} fix") or 0)


def run_server() -> int:
    from cachelint import extras

    extras.require("cachelint server", "pygls", "lsprotocol")
    from cachelint.lsp.server import serve

    serve()
    return 0


def run_rules() -> int:
    from cachelint import rules

    header = ("code", "name", "default", "fixable", "summary")
    rows = [
        (
            rule.code,
            rule.name,
            "removed" if rule.removed else ("on" if rule.default_enabled else "off"),
            "yes" if rule.fixable else "no",
            rule.summary.replace("`", ""),
        )
        for rule in rules.CATALOG
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
        print("  ".join([*cells, row[4]]).rstrip())
    return 0


def run_explain(name: str) -> int:
    from cachelint import rules
    from cachelint.docs import render_rule

    try:
        rule = rules.get_rule(name)
    except KeyError:
        known = ", ".join(rule.code for rule in rules.CATALOG)
        return _error(f"unknown rule {name!r} (known: {known}, or a rule name such as {rules.CATALOG[0].name})")
    sys.stdout.write(render_rule(rule, level=1).split("\n", 1)[1])
    return 0


# -- entry point ------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    from cachelint.extras import MissingExtra

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "fix":
            # Everything after `fix` belongs to the codemod, --help included.
            return run_fix(args[1:])
    except (UsageError, MissingExtra) as error:
        return _error(str(error))
    parser = _build_parser()
    options = parser.parse_args(args)
    try:
        if options.command == "server":
            return run_server()
        if options.command == "check":
            return run_check(options)
        if options.command == "rules":
            return run_rules()
        if options.command == "explain":
            return run_explain(options.rule)
        return run_fix([])  # pragma: no cover - `fix` is handled above
    except (UsageError, MissingExtra) as error:
        return _error(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `cachelint check | head`: the reader went away; that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as error:  # one line, not a traceback, unless debugging
        from cachelint.config import ConfigError

        if isinstance(error, ConfigError):  # a broken pyproject.toml met while finding the files
            return _error(str(error))
        if debug_enabled():
            raise
        return _error(f"internal error: {type(error).__name__}: {error}")


if __name__ == "__main__":
    raise SystemExit(main())
