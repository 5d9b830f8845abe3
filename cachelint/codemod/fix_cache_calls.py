"""``cachelint fix PATH...``: the codemod's command line; rewrites awaited sync cache calls to the typed async API.

Also ``python -m cachelint.codemod`` and, from a checkout, ``python -m codemods.fix_cache_calls``.

Owns the command line and the run: finding the files (:mod:`cachelint.workspace`,
as ``cachelint check`` finds them), skipping those the result cache or a byte
test shows clean, one engine pass over the rest through ``cachelint check``'s
own process pool (:func:`cachelint.checker.check_files`), then planning and
rewriting only the files where that pass found something the codemod acts on
(:mod:`cachelint.codemod.process` does one file), and writing the results.
Exit status: 0 done (or nothing to do), 1 ``--check``/``--diff`` found work, 2 errors
(a file that cannot be read, parsed or written, a bad path or option) —
every other file is still fixed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING

from cachelint.codemod.clean import CleanFiles
from cachelint.codemod.codes import acted_on, needs_engine
from cachelint.codemod.io import FileChanged, ReadOnly, read_bytes, write_atomic
from cachelint.codemod.report import Progress, Summary

if TYPE_CHECKING:
    from cachelint.codemod.process import FileResult
    from cachelint.config import Settings
    from cachelint.workspace import SettingsByFolder

    #: A file to plan: its name as shown, bytes and stat as read, and its settings.
    Candidate = tuple[Path, bytes, os.stat_result, Settings]

_UNSAFE = " unsafe fix available: "
#: Fewer candidate files than this are processed in-process: a pool costs more than it saves.
_POOL_MIN_FILES = 8


def build_parser(prog: str = "python -m cachelint.codemod") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        allow_abbrev=False,
        description=(
            "Rewrite awaited calls of synchronous cache methods (CLT101/CLT102) to cachelint.runtime's "
            "typed async API. Sites the engine cannot fix with certainty are listed, never guessed."
        ),
    )
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="files or folders to fix (default: .)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--diff", action="store_true", help="print a unified diff; write nothing (exit 1 when something would change)"
    )
    mode.add_argument("--check", action="store_true", help="exit 1 when something would change; write nothing")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="worker processes (default: the number of cores)",
    )
    parser.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also apply unsafe fixes (re-wrapped models, AsyncMock -> create_autospec, added validation); "
        "without it they are listed as 'unsafe fix available'",
    )
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    parser.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply exclusions to files named on the command line too (for pre-commit)",
    )
    parser.add_argument(
        "--include-blocking",
        action="store_true",
        help="also rewrite un-awaited sync cache calls inside async def (CLT104), adding the await",
    )
    return parser


def discover(
    paths: Sequence[str],
    errors: list[str],
    notes: list[str],
    *,
    force_exclude: bool = False,
    settings_for: SettingsByFolder | None = None,
) -> list[Path]:
    """Python files under ``paths`` as ``cachelint check`` finds them (:mod:`cachelint.workspace`).

    A missing path or a broken configuration is an error line; a special file a note.
    """
    from cachelint.config import ConfigError
    from cachelint.workspace import SettingsByFolder
    from cachelint.workspace import discover as find

    try:
        found = find(list(paths), settings_for or SettingsByFolder(), force_exclude=force_exclude)
    except ConfigError as error:
        errors.append(str(error))
        return []
    errors.extend(f"{missing}: no such file or directory" for missing in found.missing)
    notes.extend(found.notes())
    # Shown as check shows them: relative to the working folder when below it.
    cwd = os.path.join(os.getcwd(), "")
    shown = (path[len(cwd) :] if path.startswith(cwd) else path for path in found.files)
    return _one_name_per_file(sorted(Path(path) for path in shown), paths, notes)


def _one_name_per_file(files: list[Path], paths: Sequence[str], notes: list[str]) -> list[Path]:
    """Each file once, however many links name it; links leading out of ``paths`` are left alone.

    A symbolic link is rewritten through its target (the link stays a link),
    so a target reached by two names would otherwise be rewritten twice.
    """
    inside = [os.path.realpath(path) for path in paths]

    def within(real: str) -> bool:
        return any(real == top or real.startswith(os.path.join(top, "")) for top in inside)

    seen: set[str] = set()
    out: list[Path] = []
    for path in files:
        real = os.path.realpath(path)
        if real in seen:
            continue
        if real != os.path.abspath(path) and not within(real):
            notes.append(f"{path}: skipped: a symbolic link to {real}, outside the paths given")
            continue
        seen.add(real)
        out.append(path)
    return out


def _pool(jobs: int, count: int) -> Executor | None:
    if jobs <= 1 or count < _POOL_MIN_FILES:
        return None
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=min(jobs, count), mp_context=multiprocessing.get_context(method))


def _engine_pass(
    candidates: dict[str, Candidate], args: argparse.Namespace, results: CleanFiles
) -> Iterator[tuple[str, bool]]:
    """``(shown path, needs planning)`` for every candidate, from ``cachelint check``'s engine pass.

    The check's pool, project index and engine (:func:`cachelint.checker.check_files`,
    findings after ``noqa``), so the codemod gets whatever makes ``check``
    fast, and its results go to ``check``'s result cache (``results``).
    A file goes on to be planned when it holds a finding the codemod acts on,
    or when the check could not finish it: planning it again reports the
    problem in the codemod's words and leaves the file alone.
    """
    if not candidates:
        return
    # Imported here: a run whose files are all known clean never loads the engine.
    from cachelint.checker import check_files

    codes = acted_on(args.include_blocking)
    # Absolute paths, as ``check`` passes them: the cache's keys and the dependencies are then the same.
    shown_of = {os.path.abspath(shown): shown for shown in candidates}
    items = [(absolute, candidates[shown][3]) for absolute, shown in shown_of.items()]
    settings_of = {absolute: settings for absolute, settings in items}
    checked_files = check_files(items, args.jobs)
    results.record(checked_files, settings_of.__getitem__)
    results.save()
    for checked in checked_files:
        unfinished = checked.error is not None or checked.failure is not None
        yield shown_of[checked.path], unfinished or any(finding[2] in codes for finding in checked.findings)


def _results(candidates: list[Candidate], args: argparse.Namespace) -> Iterator[FileResult]:
    """Plan and, where a site is certain, rewrite each file (LibCST); over a pool when there are many."""
    if not candidates:
        return
    from cachelint.codemod.process import Options, process

    options = Options(include_blocking=args.include_blocking, want_diff=args.diff, unsafe_fixes=args.unsafe_fixes)
    pool = _pool(args.jobs, len(candidates))
    if pool is None:
        for path, raw, st, settings in candidates:
            yield process(path, raw, st, options, settings)
        return
    with pool:
        futures: list[Future[FileResult]] = [
            pool.submit(process, path, raw, st, options, settings) for path, raw, st, settings in candidates
        ]
        for future in as_completed(futures):
            yield future.result()


def _write(result: FileResult) -> str | None:
    """Write one result; the error line if it could not be written."""
    assert result.new is not None and result.snapshot is not None
    try:
        write_atomic(Path(result.path), result.new, result.snapshot)
    except FileChanged:
        return f"{result.path}: changed on disk while being fixed; not overwritten"
    except ReadOnly:
        return f"{result.path}: file is read-only; not written"
    except OSError as error:
        return f"{result.path}: cannot write: {error.strerror or error}"
    return None


def run(args: argparse.Namespace) -> int:
    from cachelint.config import ConfigError
    from cachelint.workspace import SettingsByFolder

    summary = Summary()
    notes: list[str] = []
    settings_for = SettingsByFolder()
    files = discover(args.paths, summary.errors, notes, force_exclude=args.force_exclude, settings_for=settings_for)
    for note in notes:  # special files: said, not an error
        print(f"warning: {note}", file=sys.stderr)
    if summary.errors and not files:
        for line in summary.errors:
            print(f"error: {line}", file=sys.stderr)
        return 2
    summary.scanned = len(files)
    writing = not (args.diff or args.check)
    candidates: dict[str, Candidate] = {}
    results: list[FileResult] = []
    known_clean = CleanFiles(args.include_blocking, settings_for)
    with Progress(len(files), enabled=not args.no_progress) as progress:
        for path in files:
            if known_clean(path):  # a stat, before reading the file
                progress.advance()
                continue
            try:
                raw, st = read_bytes(path)
            except OSError as error:
                summary.errors.append(f"{path}: cannot read: {error.strerror or error}")
                progress.advance()
                continue
            if not needs_engine(raw, args.include_blocking, args.unsafe_fixes):
                progress.advance()
                continue
            try:
                settings = settings_for(os.path.dirname(os.path.abspath(path)))
            except ConfigError as error:
                summary.errors.append(f"{path}: {error}")
                progress.advance()
                continue
            candidates[str(path)] = (path, raw, st, settings)
        to_plan: list[Candidate] = []
        for shown, needs_planning in _engine_pass(candidates, args, known_clean):
            if needs_planning:
                to_plan.append(candidates[shown])
            else:
                progress.advance()
        to_plan.sort(key=lambda candidate: candidate[0])
        for result in _results(to_plan, args):
            progress.advance()
            if result.new is not None and writing:
                problem = _write(result)
                if problem is not None:
                    result.errors.append(problem)
                    result.new = None
            results.append(result)
    results.sort(key=lambda r: r.path)
    out = sys.stderr if args.diff else sys.stdout
    for result in results:
        if result.diff:
            sys.stdout.write(result.diff)
        changed = result.new is not None
        if changed:
            summary.changed += 1
            summary.rewritten.update(result.rewritten)
            summary.add_file(result.path, result.rewritten, writing=writing)
        listed = result.manual_after if changed and writing else result.manual_before
        summary.manual.extend(listed)
        summary.unsafe += sum(_UNSAFE in line for line in listed)
        summary.errors.extend(result.errors)
    for line in summary.files:
        print(line, file=out)
    for line in summary.manual:
        print(line, file=out)
    for line in summary.errors:
        print(f"error: {line}", file=sys.stderr)
    print(summary.render(writing=writing), file=out)
    if summary.errors:
        return 2
    if (args.check or args.diff) and summary.changed:
        return 1
    return 0


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = build_parser(prog) if prog else build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse already printed the usage line
        return exit_.code if isinstance(exit_.code, int) else 2
    if args.jobs < 1:
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: -j must be at least 1", file=sys.stderr)
        return 2
    from cachelint.extras import MissingExtra, require

    try:  # checked before any file is read: a missing LibCST would otherwise fail file by file
        require("the codemod", "libcst")
    except MissingExtra as error:
        print(f"{parser.prog}: error: {error}", file=sys.stderr)
        return 2
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
