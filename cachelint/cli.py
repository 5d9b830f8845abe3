"""The ``cachelint`` command: ``check``, ``fix``, ``rules`` and ``explain``.

``check`` is the engine without flake8: it finds the files (:mod:`cachelint.files`),
reuses results of unchanged files (:mod:`cachelint.resultcache`), checks the
rest (:mod:`cachelint.checker`, imported only when a file needs checking) and
prints them (:mod:`cachelint.output`).  ``fix`` hands its arguments to the
codemod.  ``rules`` and ``explain`` print the catalog.

Exit status: 0 nothing found, 1 findings, 2 a usage, configuration, parse or
internal error (files that could be checked are still checked and reported).

Start-up time is part of the product (a warm run should take about as long as
``ruff``), so this module imports only what every run needs; the engine,
LibCST and the codemod are imported where they are used.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cachelint import __version__

if TYPE_CHECKING:
    from cachelint.checker import FileResult
    from cachelint.config import Settings
    from cachelint.output import Report
    from cachelint.resultcache import Entry, ResultCache

PROG = "cachelint"


class UsageError(Exception):
    """A problem that stops the run; ``str(error)`` is the one line to print."""


def _error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


# -- argument parsing ---------------------------------------------------------


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find and fix async code that misuses a synchronous cache.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser("check", help="report findings (exit 1 if any)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    check.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="only these codes or prefixes, comma-separated (replaces the configured selection)",
    )
    check.add_argument("--extend-select", action="append", metavar="CODES", help="add these codes to the selection")
    check.add_argument("--ignore", action="append", metavar="CODES", help="never report these codes")
    check.add_argument(
        "--output-format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help="how to print findings (default: text)",
    )
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


class SettingsByFolder:
    """Settings for each folder (nearest ``pyproject.toml``), memoised; a config error stops the run.

    Equivalent to ``config.load_settings(folder)`` (a test holds them equal),
    but the search for the nearest ``pyproject.toml`` is memoised per folder
    here: a walk asks for every folder of the tree, and a tree without any
    ``pyproject.toml`` would otherwise repeat the whole search up to ``/`` for
    each of them.
    """

    def __init__(self) -> None:
        self._by_folder: dict[str, Settings] = {}
        self._by_config: dict[str, Settings] = {}
        self._nearest: dict[str, str | None] = {}
        self._fingerprints: dict[int, str] = {}
        self._default_fingerprint: str | None = None
        self._real: dict[str, str] = {}

    def _realpath(self, folder: str) -> str:
        """``os.path.realpath``, reusing the parent's answer (a walk never follows links)."""
        found = self._real.get(folder)
        if found is None:
            parent = os.path.dirname(folder)
            known = self._real.get(parent)
            if known is not None and parent != folder and not os.path.islink(folder):
                found = os.path.join(known, os.path.basename(folder))
            else:
                found = os.path.realpath(folder)
            self._real[folder] = found
        return found

    def _nearest_config(self, folder: str) -> str | None:
        if folder in self._nearest:
            return self._nearest[folder]
        candidate = os.path.join(folder, "pyproject.toml")
        if not os.path.isfile(candidate):  # a cachelint.toml governs like a pyproject.toml
            candidate = os.path.join(folder, "cachelint.toml")
        if os.path.isfile(candidate):
            found: str | None = candidate
        else:
            parent = os.path.dirname(folder)
            found = None if parent == folder else self._nearest_config(parent)
        self._nearest[folder] = found
        return found

    def __call__(self, folder: str) -> Settings:
        found = self._by_folder.get(folder)
        if found is not None:
            return found
        from pathlib import Path

        from cachelint.config import ConfigError, default_settings, import_root, load_settings

        config = self._nearest_config(folder)
        if config is None:
            # What load_settings returns without a pyproject.toml, minus its search.
            found = default_settings(import_root(Path(self._realpath(folder))))
        else:
            found = self._by_config.get(config)
            if found is None:
                try:
                    found = load_settings(Path(config).parent)
                except ConfigError as error:
                    raise UsageError(str(error)) from None
                self._by_config[config] = found
        self._by_folder[folder] = found
        return found

    def fingerprint(self, settings: Settings) -> str:
        """The settings that affect findings (selection and exclusion do not: they apply later)."""
        found = self._fingerprints.get(id(settings))
        if found is not None:
            return found
        from cachelint.config import Settings

        if settings.config_path is None and settings == Settings(root=settings.root):
            # Defaults differ only by their root: fingerprint them once.
            if self._default_fingerprint is None:
                self._default_fingerprint = Settings().fingerprint()
            found = f"{self._default_fingerprint}@{settings.root}"
        else:
            found = settings.replace(select=(), extend_select=(), ignore=(), exclude=()).fingerprint()
        self._fingerprints[id(settings)] = found
        return found


def _store(cache: ResultCache, path: str, stat: tuple[int, int], fingerprint: str, result: FileResult) -> Entry | None:
    from cachelint.resultcache import Entry

    if result.failure is not None:
        return None
    deps = cache.canonical(result.deps)
    entry = Entry(
        mtime_ns=stat[0],
        size=stat[1],
        fingerprint=fingerprint,
        findings=result.findings,
        error=result.error,
        deps=deps,
        stamp=cache.stamp(deps),
    )
    cache.store(path, entry)
    return entry


def run_check(options: argparse.Namespace) -> int:
    from cachelint.files import discover
    from cachelint.output import Finding, Problem, Report, display_path
    from cachelint.resultcache import ResultCache, default_directory

    selection = _Selection(
        _selectors(options.select, "--select"),
        _selectors(options.extend_select, "--extend-select"),
        _selectors(options.ignore, "--ignore"),
    )
    if options.jobs is not None and options.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    cwd = os.getcwd()
    settings_for = SettingsByFolder()
    found = discover(options.paths or ["."], settings_for, force_exclude=options.force_exclude)
    report = Report()
    for missing in found.missing:
        report.problems.append(Problem(missing, "no such file or directory"))

    cache = ResultCache(options.cache_dir and os.path.abspath(options.cache_dir) or default_directory(cwd))
    if not options.no_cache:
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
        from cachelint.checker import check_files

        for result in check_files(pending, options.jobs):
            stat = cache.stat(result.path) or (-1, -1)
            fingerprint = settings_for.fingerprint(file_settings[result.path])
            entry = _store(cache, result.path, stat, fingerprint, result)
            if entry is None:
                failures[result.path] = result.failure or "not checked"
            else:
                results[result.path] = entry
    if not options.no_cache:
        cache.save()

    for path in found.files:
        shown = display_path(path, cwd)
        if path in failures:
            report.problems.append(Problem(shown, failures[path]))
            continue
        entry = results[path]
        report.files_checked += 1
        if entry.error is not None:
            line, col, message = entry.error
            report.problems.append(Problem(shown, message, line, col))
            continue
        codes = selection.codes(file_settings[path])
        for line, col, code, message, end_line, end_col, char_col, char_end_col in entry.findings:
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
    report.sort()
    return _print(report, options, cwd)


def _print(report: Report, options: argparse.Namespace, cwd: str) -> int:
    from cachelint.output import write_statistics, writer

    write = writer(options.output_format, cwd)
    out = sys.stdout
    for problem in report.problems:
        print(problem.text(), file=sys.stderr)
    write(report, out)
    if options.statistics:
        # Machine formats keep standard output parseable.
        write_statistics(report, out if options.output_format in ("text", "github") else sys.stderr)
    out.flush()
    if report.problems:
        return 2
    if report.findings and not options.exit_zero:
        return 1
    return 0


# -- fix, rules, explain -------------------------------------------------------------


def run_fix(argv: list[str]) -> int:
    try:
        from codemods.fix_cache_calls import main as codemod_main
    except ImportError as error:
        return _error(f"the codemod is not available ({error}); reinstall cachelint")
    return int(codemod_main(argv) or 0)


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
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "fix":
        # Everything after `fix` belongs to the codemod, --help included.
        return run_fix(args[1:])
    parser = _build_parser()
    options = parser.parse_args(args)
    try:
        if options.command == "check":
            return run_check(options)
        if options.command == "rules":
            return run_rules()
        if options.command == "explain":
            return run_explain(options.rule)
        return run_fix([])  # pragma: no cover - `fix` is handled above
    except UsageError as error:
        return _error(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `cachelint check | head`: the reader went away; that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as error:  # one line, not a traceback, unless debugging
        if os.environ.get("CACHELINT_DEBUG", "") not in ("", "0"):
            raise
        return _error(f"internal error: {type(error).__name__}: {error}")


if __name__ == "__main__":
    raise SystemExit(main())
