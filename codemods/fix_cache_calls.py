"""``python -m codemods.fix_cache_calls PATH...``: rewrite awaited sync cache calls to the typed async API.

Owns the command line, finding the files, fanning them out to worker
processes and writing the results; :mod:`codemods.process` does one file.
Exit status: 0 done (or nothing to do), 1 ``--check``/``--diff`` found work, 2 errors
(a file that cannot be read, parsed or written, a bad path or option) —
every other file is still fixed.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING

from codemods.clean import CleanFiles
from codemods.codes import needs_engine
from codemods.io import FileChanged, ReadOnly, read_bytes, write_atomic
from codemods.report import Progress, Summary

if TYPE_CHECKING:
    from codemods.process import FileResult

_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "site-packages"})
_UNSAFE = " unsafe fix available: "
#: Fewer candidate files than this are processed in-process: a pool costs more than it saves.
_POOL_MIN_FILES = 8


def build_parser(prog: str = "python -m codemods.fix_cache_calls") -> argparse.ArgumentParser:
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
        "--include-blocking",
        action="store_true",
        help="also rewrite un-awaited sync cache calls inside async def (CLT104), adding the await",
    )
    return parser


def _excluded(path: Path, patterns: Sequence[str], root: Path) -> bool:
    if not patterns:
        return False
    try:
        relative = path.resolve().relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(path.name, p) for p in patterns)


def discover(paths: Sequence[str], errors: list[str]) -> list[Path]:
    """Python files under ``paths`` (sorted, unique); a missing path is an error line."""
    from cachelint.config import ConfigError, load_settings

    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            errors.append(f"{raw}: no such file or directory")
            continue
        if path.is_file():
            found[path] = None
            continue
        try:
            settings = load_settings(path)
            patterns, root = settings.exclude, settings.root
        except ConfigError as error:
            errors.append(str(error))
            continue
        for file in _walk(path):
            if not _excluded(file, patterns, root):
                found[file] = None
    return sorted(found)


def _walk(folder: Path) -> Iterator[Path]:
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(files):
            if name.endswith(".py"):
                yield Path(current, name)


def _pool(jobs: int, count: int) -> Executor | None:
    if jobs <= 1 or count < _POOL_MIN_FILES:
        return None
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=min(jobs, count), mp_context=multiprocessing.get_context(method))


def _results(candidates: list[tuple[Path, bytes, os.stat_result]], args: argparse.Namespace) -> Iterator[FileResult]:
    if not candidates:
        return
    # Imported here: a run whose files are all known clean never loads the engine.
    from codemods.process import Options, process

    options = Options(include_blocking=args.include_blocking, want_diff=args.diff, unsafe_fixes=args.unsafe_fixes)
    jobs = args.jobs

    pool = _pool(jobs, len(candidates))
    if pool is None:
        for path, raw, st in candidates:
            yield process(path, raw, st, options)
        return
    with pool:
        futures: list[Future[FileResult]] = [
            pool.submit(process, path, raw, st, options) for path, raw, st in candidates
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
    summary = Summary()
    files = discover(args.paths, summary.errors)
    summary.scanned = len(files)
    writing = not (args.diff or args.check)
    candidates: list[tuple[Path, bytes, os.stat_result]] = []
    results: list[FileResult] = []
    known_clean = CleanFiles(args.include_blocking)
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
            if needs_engine(raw, args.include_blocking, args.unsafe_fixes):
                candidates.append((path, raw, st))
            else:
                progress.advance()
        for result in _results(candidates, args):
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
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
