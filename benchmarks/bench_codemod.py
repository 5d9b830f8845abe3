"""Codemod speed: ``--check`` on the real-package corpus against ``ruff check --select ASYNC``, and
files/s on files that do need rewriting.

``python benchmarks/bench_codemod.py [CORPUS] [--rounds N] [--copies N]`` (corpus default: env
``CACHELINT_CORPUS``, else /work/corpus).  The two tools run alternately, each round a fresh
process, and the medians are compared (goal: codemod ≤ 2× ruff).  The rewrite rate is measured on
N copies of the research app's tools module inside a copy of the app, so the index resolves its
imports as in a real project.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "tests" / "fixtures" / "research_app"
TOOLS = Path("src") / "agents" / "research_executor_tools.py"


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO))


def _timed(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(
        command, cwd=cwd, env=env or _env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start, done.returncode


def _ruff() -> str:
    beside = Path(sys.executable).with_name("ruff")
    return str(beside) if beside.exists() else shutil.which("ruff") or "ruff"


def _count(corpus: Path) -> int:
    return sum(1 for _ in corpus.rglob("*.py"))


def check_vs_ruff(corpus: Path, rounds: int) -> dict[str, float]:
    codemod = [sys.executable, "-m", "codemods.fix_cache_calls", str(corpus), "--check", "--no-progress"]
    ruff = [_ruff(), "check", "--select", "ASYNC", "--no-cache", "--quiet", "--exit-zero", str(corpus)]
    times: dict[str, list[float]] = {"codemod_check_s": [], "ruff_async_s": []}
    exit_codes: set[int] = set()
    for _ in range(rounds):
        # Cold: the codemod stores its engine pass in check's result cache, so each round gets an empty one.
        with tempfile.TemporaryDirectory() as scratch:
            spent, code = _timed(codemod, env=dict(_env(), CACHELINT_CACHE_DIR=scratch))
        times["codemod_check_s"].append(spent)
        exit_codes.add(code)
        times["ruff_async_s"].append(_timed(ruff)[0])
    medians = {name: statistics.median(values) for name, values in times.items()}
    medians["ratio"] = medians["codemod_check_s"] / medians["ruff_async_s"]
    medians["codemod_exit_codes"] = float(max(exit_codes))
    return medians


def warm_check_vs_ruff(corpus: Path, rounds: int) -> dict[str, float]:
    """``--check`` once ``cachelint check`` has seen the tree (its result cache, in a scratch
    folder), against ruff with its own cache warm: each tool's second-run cost.  (A cold
    ``--check`` fills the same cache, so its second run is as warm.)"""
    codemod = [sys.executable, "-m", "codemods.fix_cache_calls", str(corpus), "--check", "--no-progress"]
    ruff = [_ruff(), "check", "--select", "ASYNC", "--quiet", "--exit-zero", str(corpus)]
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(_env(), CACHELINT_CACHE_DIR=scratch)
        subprocess.run(
            [sys.executable, "-m", "cachelint", "check", "--exit-zero", str(corpus)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        _timed(ruff)  # fill ruff's own cache
        times: dict[str, list[float]] = {"codemod_check_warm_s": [], "ruff_async_cached_s": []}
        for _ in range(rounds):
            start = time.perf_counter()
            subprocess.run(codemod, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times["codemod_check_warm_s"].append(time.perf_counter() - start)
            times["ruff_async_cached_s"].append(_timed(ruff)[0])
    medians = {name: statistics.median(values) for name, values in times.items()}
    medians["warm_ratio"] = medians["codemod_check_warm_s"] / medians["ruff_async_cached_s"]
    return medians


def rewrite_rate(copies: int, rounds: int) -> dict[str, float]:
    spent: list[float] = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as scratch:
            app = Path(scratch) / "app"
            shutil.copytree(APP, app, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"))
            original = (app / TOOLS).read_text(encoding="utf-8")
            folder = app / "src" / "agents" / "copies"
            folder.mkdir()
            (folder / "__init__.py").write_text("", encoding="utf-8")
            for i in range(copies):
                (folder / f"tools_{i:04}.py").write_text(original, encoding="utf-8")
            seconds, code = _timed(
                [sys.executable, "-m", "codemods.fix_cache_calls", str(folder), "--no-progress"], cwd=app
            )
            if code != 0:
                raise RuntimeError(f"codemod exited {code} on the copies")
            changed = sum(p.read_text(encoding="utf-8") != original for p in folder.glob("tools_*.py"))
            if changed != copies:
                raise RuntimeError(f"only {changed} of {copies} copies were rewritten")
            spent.append(seconds)
    median = statistics.median(spent)
    return {"rewrite_files": float(copies), "rewrite_s": median, "rewrite_files_per_s": copies / median}


def run(corpus: Path, *, rounds: int = 5, copies: int = 100) -> dict[str, float]:
    """Every number of this benchmark, by name (seconds are medians over ``rounds``)."""
    result = {"corpus_files": float(_count(corpus))}
    result.update(check_vs_ruff(corpus, rounds))
    result.update(warm_check_vs_ruff(corpus, rounds))
    result.update(rewrite_rate(copies, max(1, rounds // 2)))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus", nargs="?", default=os.environ.get("CACHELINT_CORPUS", "/work/corpus"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"bench_codemod: no corpus at {corpus} (pass a path or set CACHELINT_CORPUS)", file=sys.stderr)
        return 2
    result = run(corpus, rounds=args.rounds, copies=args.copies)
    print(json.dumps(result, indent=2, sort_keys=True))
    verdict = "meets" if result["ratio"] <= 2.0 else "misses"
    print(
        f"codemod --check {result['codemod_check_s']:.3f}s vs ruff --select ASYNC {result['ruff_async_s']:.3f}s "
        f"on {int(result['corpus_files'])} files: {result['ratio']:.2f}x ({verdict} the 2x goal); "
        f"rewriting: {result['rewrite_files_per_s']:.1f} files/s",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
