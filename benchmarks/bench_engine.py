"""The detection engine on real code: accuracy (every finding listed) and speed against ``ast.parse``.

*Accuracy*: ``check_tree`` with each file's own settings (``load_settings``)
over every file, every code including the opt-in CLT104.  The corpus is real
cache-using packages written by careful people, so each finding is a false
positive until a person shows otherwise; the goal is zero.  Engine exceptions
(``CACHELINT_DEBUG=1`` makes them raise) are counted as crashes.

*Speed*: per round, a fresh interpreter reads every file into memory, then
times single-threaded ``ast.parse`` of all of them and ``check_tree`` over the
parsed trees (cold: a new process has no project index yet), and once more
warm.  Rounds alternate which of the two goes first.

:func:`check_files` is also the sweep of the reliability tests (stdlib and
corpus), so the benchmark and the test judge the engine the same way.
"""

from __future__ import annotations

import argparse
import ast
import gc
import json
import multiprocessing
import os
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import timing
from benchmarks.corpus import REPO, python_files


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    col: int
    code: str
    message: str

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col + 1}: {self.code} {self.message}"


@dataclass
class FileResult:
    """What the engine did with one file."""

    path: str
    lines: int = 0
    findings: list[Finding] = field(default_factory=list)
    #: Engine exception (type, message and innermost frame), when it raised.
    error: str | None = None
    #: Why the file was not checked (it does not parse under this interpreter).
    skipped: str | None = None


def check_file(path: Path) -> FileResult:
    """Parse and run the engine on one file, as the flake8 plugin would; never raises."""
    from cachelint.analysis import check_tree
    from cachelint.config import load_settings

    result = FileResult(str(path))
    try:
        source = path.read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source, filename=str(path))
    except (SyntaxError, ValueError, RecursionError, MemoryError, OSError) as error:
        result.skipped = f"{type(error).__name__}: {error}"
        return result
    result.lines = source.count(b"\n")
    try:
        diagnostics = check_tree(tree, path, load_settings(path.parent))
    except Exception as error:  # the point of the sweep is to catch anything
        frame = traceback.extract_tb(error.__traceback__)[-1]
        result.error = f"{type(error).__name__}: {error} (at {frame.filename}:{frame.lineno})"
        return result
    result.findings = [Finding(str(path), d.line, d.col, d.code, d.message) for d in diagnostics]
    return result


def _check_chunk(paths: list[str]) -> list[FileResult]:
    os.environ["CACHELINT_DEBUG"] = "1"
    return [check_file(Path(path)) for path in paths]


def check_files(paths: Sequence[Path], workers: int = 1, debug: bool = True) -> list[FileResult]:
    """:func:`check_file` over ``paths``, in ``workers`` fresh processes when more than one.

    With ``debug`` engine errors raise inside the engine (``CACHELINT_DEBUG=1``)
    and are reported as :attr:`FileResult.error`.
    """
    if workers <= 1:
        previous = os.environ.get("CACHELINT_DEBUG")
        if debug:
            os.environ["CACHELINT_DEBUG"] = "1"
        try:
            return [check_file(path) for path in paths]
        finally:
            if previous is None:
                os.environ.pop("CACHELINT_DEBUG", None)
            else:
                os.environ["CACHELINT_DEBUG"] = previous
    # Big files first so the last chunk is not the slowest; many small chunks balance the pool.
    ordered = sorted((str(p) for p in paths), key=lambda p: -os.path.getsize(p))
    chunks = [ordered[i :: workers * 8] for i in range(workers * 8)]
    # spawn, not fork: the caller may hold threads (pytest plugins) and fork is unsafe then.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        results = [result for chunk in pool.map(_check_chunk, chunks) for result in chunk]
    return sorted(results, key=lambda r: r.path)


def accuracy(corpus: Path, workers: int = 1) -> dict[str, Any]:
    """Every finding and every engine error over the corpus."""
    start = time.perf_counter()
    results = check_files(python_files(corpus), workers=workers)
    findings = [f for r in results for f in r.findings]
    by_code: dict[str, int] = {}
    for finding in findings:
        by_code[finding.code] = by_code.get(finding.code, 0) + 1
    return {
        "files": len(results),
        "lines": sum(r.lines for r in results),
        "skipped": [{"path": r.path, "reason": r.skipped} for r in results if r.skipped],
        "errors": [{"path": r.path, "error": r.error} for r in results if r.error],
        "findings": [asdict(f) for f in findings],
        "findings_by_code": by_code,
        "seconds": time.perf_counter() - start,
    }


def _speed_worker(root: Path, engine_first: bool) -> dict[str, float]:
    """One round in this (fresh) process; see the module docstring."""
    from cachelint.analysis import check_tree
    from cachelint.config import load_settings

    sources = [(path, path.read_bytes()) for path in python_files(root)]
    warnings.simplefilter("ignore")

    def parse_all() -> float:
        # Trees are dropped as they are made, as flake8 and the CLI do: holding
        # 1,400 of them would bill the cyclic GC's walks over them to the parser.
        gc.collect()
        gc.freeze()
        start = time.perf_counter()
        for path, data in sources:
            ast.parse(data, filename=str(path))
        return time.perf_counter() - start

    trees = [(path, ast.parse(data, filename=str(path))) for path, data in sources]
    # The engine sees one tree at a time in real use; freezing (before each
    # timed phase) keeps the GC from walking what earlier phases left behind.

    def engine_all() -> float:
        gc.collect()
        gc.freeze()
        start = time.perf_counter()
        for path, tree in trees:
            check_tree(tree, path, load_settings(path.parent))
        return time.perf_counter() - start

    if engine_first:
        engine = engine_all()
        parse = parse_all()
    else:
        parse = parse_all()
        engine = engine_all()
    warm = engine_all()
    return {"parse": parse, "engine": engine, "engine_warm": warm}


def speed(corpus: Path, repeat: int) -> dict[str, Any]:
    """Engine alone (cold and warm) against single-threaded ``ast.parse`` of the same files."""
    rounds: list[dict[str, float]] = []
    for round_ in range(repeat):
        argv = [sys.executable, "-m", "benchmarks.bench_engine", "--speed-worker", str(corpus)]
        if round_ % 2:
            argv.append("--engine-first")
        completed = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise RuntimeError(f"engine speed worker failed: {completed.stderr.strip()[-500:]}")
        rounds.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    parse = [r["parse"] for r in rounds]
    engine = [r["engine"] for r in rounds]
    warm = [r["engine_warm"] for r in rounds]
    return {
        "repeat": repeat,
        "parse": timing.summary(parse),
        "engine": timing.summary(engine),
        "engine_warm": timing.summary(warm),
        "engine_vs_parse": timing.ratio(engine, parse),
        "engine_warm_vs_parse": timing.ratio(warm, parse),
    }


#: Issue 10's constraint: the engine's cold CPU time rises at most this much over 0.1.
COLD_GOAL = 1.10
FIXTURES = REPO / "tests" / "fixtures"

#: Run by each tree's own interpreter (0.1 has no helper for it): CPU time of ``check_tree``
#: over trees parsed before the clock starts, settings loaded before it too.
_CPU_WORKER = r"""
import ast, gc, inspect, json, sys, time, warnings
from pathlib import Path
from cachelint.analysis import check_tree
from cachelint.config import load_settings

warnings.simplefilter("ignore")
with_source = "source" in inspect.signature(check_tree).parameters
try:  # the front ends' per-file collector pause (0.1 did it inside check_tree)
    from cachelint.collector import one_file
except ImportError:
    from contextlib import nullcontext as one_file
items = []
for name in sys.stdin.read().splitlines():
    path = Path(name)
    data = path.read_bytes()
    try:
        tree = ast.parse(data, filename=name)
    except (SyntaxError, ValueError):
        continue
    items.append((path, data, tree, load_settings(path.parent)))
gc.collect()
gc.freeze()
start = time.process_time()
for path, data, tree, settings in items:
    with one_file():
        if with_source:
            check_tree(tree, path, settings, source=data)
        else:
            check_tree(tree, path, settings)
print(json.dumps({"cpu": time.process_time() - start, "files": len(items)}))
"""


def _cpu_round(repo: Path, files: Sequence[Path]) -> float:
    python = repo / ".venv" / "bin" / "python"
    completed = subprocess.run(
        [str(python if python.exists() else sys.executable), "-c", _CPU_WORKER],
        input="\n".join(str(path) for path in files),
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "CACHELINT_DEBUG")},
    )
    if completed.returncode != 0:
        raise RuntimeError(f"CPU worker in {repo} failed: {completed.stderr.strip()[-500:]}")
    return float(json.loads(completed.stdout.strip().splitlines()[-1])["cpu"])


def skipped_share(files: Sequence[Path]) -> tuple[int, int]:
    """(files the relevance pre-filter skips, files checked), in this process."""
    from cachelint.analysis import analyse
    from cachelint.config import load_settings

    skipped = checked = 0
    for path in files:
        data = path.read_bytes()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(data, filename=str(path))
        except (SyntaxError, ValueError):
            continue
        result = analyse(tree, path, load_settings(path.parent), source=data)
        checked += 1
        skipped += result.model is None and not result.errors
    return skipped, checked


def versus(base: Path, files: Sequence[Path], rounds: int = 3) -> dict[str, Any]:
    """Engine cold CPU time of this tree against ``base`` (0.1), alternating which goes first."""
    mine: list[float] = []
    theirs: list[float] = []
    for round_ in range(rounds):
        order = [(REPO, mine), (base, theirs)]
        if round_ % 2 == 0:
            order.reverse()
        for repo, into in order:
            into.append(_cpu_round(repo, files))
    ratio = timing.ratio(mine, theirs)
    return {"files": len(files), "base": theirs, "now": mine, "ratio": ratio, "goal": COLD_GOAL}


def _versus_report(base: Path, corpus: Path | None, rounds: int) -> int:
    sets = [("fixtures", sorted(FIXTURES.rglob("*.py")))]
    if corpus is not None:
        sets.insert(0, ("corpus", python_files(corpus)))
    print("set       files  skipped  0.1 CPU (rounds)             now CPU (rounds)             ratio   goal    met?")
    for name, files in sets:
        result = versus(base, files, rounds)
        skipped, checked = skipped_share(files)
        shown = {key: " ".join(f"{value:.2f}" for value in result[key]) for key in ("base", "now")}
        print(
            f"{name:9} {checked:5}  {skipped / max(checked, 1):6.0%}   {shown['base']:28} {shown['now']:28}"
            f" {result['ratio']:.3f}×  ≤ {COLD_GOAL:.2f}×  {'yes' if result['ratio'] <= COLD_GOAL else 'NO'}",
            flush=True,
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cachelint engine accuracy and speed on the corpus")
    parser.add_argument("--speed-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--engine-first", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--versus",
        type=Path,
        metavar="BASE",
        help="engine cold CPU time against the checkout BASE (with its own .venv), on the corpus and the fixtures",
    )
    parser.add_argument("--corpus", type=Path, help="the real-package corpus (default: $CACHELINT_CORPUS)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if args.versus is not None:
        corpus = args.corpus or (Path(os.environ["CACHELINT_CORPUS"]) if os.environ.get("CACHELINT_CORPUS") else None)
        return _versus_report(args.versus, corpus, args.rounds)
    if args.speed_worker is not None:
        print(json.dumps(_speed_worker(args.speed_worker, args.engine_first)))
        return 0
    parser.error("run `python -m benchmarks --only accuracy,engine` instead")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
