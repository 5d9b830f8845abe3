"""Speed of ``cachelint check`` on the real-package corpus, side by side with flake8 and ruff.

Variants, alternating each round (:func:`benchmarks.timing.alternate`),
every one a real subprocess timed from start to exit as a user sees it:

* ``cachelint check`` cold (``--no-cache``; parallel over the machine's cores)
  and warm (result cache primed, nothing changed);
* ``ruff check --select ASYNC`` with its cache (warm) and with ``--no-cache``;
* ``flake8 --select E9`` (default jobs; flake8 runs every installed plugin
  whatever ``--select`` says, so in this environment that includes cachelint's);
* single-thread ``ast.parse`` of every file, in this process (the cold goal).

Goals (DESIGN.md, quality bars): cold ≤ the single-thread ``ast.parse``
time; warm ≤ 2× ``ruff check --select ASYNC``.  The goals are on wall time;
the CPU time (user + system, workers included) of every variant is recorded
beside it and shown for the goal rows, since on a machine shared with other
work it moves far less than wall time does.  The result cache and ruff's
cache live in a temporary folder, never in the corpus.  cachelint's modules
are byte-compiled first (``compileall``), as an installed package is: with
``PYTHONDONTWRITEBYTECODE`` set, an editable checkout would otherwise be
compiled again on every start.

Run: ``python benchmarks/bench_cli.py [CORPUS] [--rounds N] [--no-flake8]``
(corpus: the argument, else ``$CACHELINT_CORPUS``, else ``/work/corpus``), or
import and call ``run(corpus)``, which returns the figures as a dict.
"""

from __future__ import annotations

import argparse
import ast
import compileall
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cachelint  # noqa: E402
from benchmarks.timing import alternate, ratio, run_command, summary  # noqa: E402

DEFAULT_CORPUS = Path("/work/corpus")
WARM_GOAL = 2.0  # × ruff check --select ASYNC
COLD_GOAL = 1.0  # × single-thread ast.parse


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def _python_files(corpus: Path) -> list[Path]:
    return sorted(path for path in corpus.rglob("*.py") if path.is_file())


def _parse_all(files: list[Path], cpu: list[float]) -> float:
    start, start_cpu = time.perf_counter(), time.process_time()
    for path in files:
        try:
            ast.parse(path.read_bytes(), filename=str(path))
        except (SyntaxError, ValueError):
            pass
    cpu.append(time.process_time() - start_cpu)
    return time.perf_counter() - start


def run(corpus: Path = DEFAULT_CORPUS, rounds: int = 5, include_flake8: bool = True) -> dict[str, Any]:
    """Time every variant ``rounds`` times, alternating; medians, ratios and files/s."""
    corpus = Path(corpus).resolve()
    files = _python_files(corpus)
    if not files:
        raise SystemExit(f"no Python files under {corpus}")
    compileall.compile_dir(str(Path(cachelint.__file__).parent), quiet=1)
    scratch = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    env = {**os.environ, "CACHELINT_CACHE_DIR": str(scratch / "cachelint-cache")}
    env.pop("CACHELINT_DEBUG", None)
    cachelint_cmd = [sys.executable, "-m", "cachelint.cli", "check", "--exit-zero", str(corpus)]
    ruff = _tool("ruff")
    flake8_cmd = [sys.executable, "-m", "flake8", "--isolated", "--select", "E9", "--exit-zero", str(corpus)]

    outputs: dict[str, str] = {}
    cpu: dict[str, list[float]] = {}

    def timed(name: str, argv: list[str], cwd: Path = scratch) -> Callable[[], float]:
        def call() -> float:
            result = run_command(argv, cwd=cwd, env=env)
            if result.returncode not in (0, 1):
                raise RuntimeError(f"{name} failed ({result.returncode}): {result.stderr[-500:]}")
            outputs[name] = result.stdout
            cpu.setdefault(name, []).append(result.cpu_seconds)
            return result.seconds

        return call

    variants: dict[str, Callable[[], float]] = {
        "cachelint_cold": timed("cachelint_cold", [*cachelint_cmd, "--no-cache"]),
        "cachelint_warm": timed("cachelint_warm", cachelint_cmd),
        "ast_parse_single_thread": lambda: _parse_all(files, cpu.setdefault("ast_parse_single_thread", [])),
    }
    if ruff:
        ruff_cache = str(scratch / "ruff-cache")
        base = [ruff, "check", "--select", "ASYNC", "--exit-zero", "--quiet", "--cache-dir", ruff_cache, str(corpus)]
        variants["ruff_async_warm"] = timed("ruff_async_warm", base)
        variants["ruff_async_no_cache"] = timed("ruff_async_no_cache", [*base, "--no-cache"])
    if include_flake8:
        variants["flake8_e9"] = timed("flake8_e9", flake8_cmd)

    # Prime both caches (and the page cache) outside the measurement.
    variants["cachelint_warm"]()
    if ruff:
        variants["ruff_async_warm"]()
    cpu.clear()
    samples = alternate(variants, rounds)
    shutil.rmtree(scratch, ignore_errors=True)

    count = len(files)
    figures: dict[str, Any] = {name: summary(values) for name, values in samples.items()}
    for name, figure in figures.items():
        figure["files_per_s"] = round(count / figure["median"], 1)
        figure["cpu"] = summary(cpu[name])
    ratios = {"cold_vs_ast_parse": ratio(samples["cachelint_cold"], samples["ast_parse_single_thread"])}
    ratios["cold_vs_ast_parse_cpu"] = ratio(cpu["cachelint_cold"], cpu["ast_parse_single_thread"])
    if ruff:
        ratios["warm_vs_ruff_async"] = ratio(samples["cachelint_warm"], samples["ruff_async_warm"])
        ratios["warm_vs_ruff_async_cpu"] = ratio(cpu["cachelint_warm"], cpu["ruff_async_warm"])
        ratios["warm_vs_ruff_async_no_cache"] = ratio(samples["cachelint_warm"], samples["ruff_async_no_cache"])
    if include_flake8:
        ratios["cold_vs_flake8_e9"] = ratio(samples["cachelint_cold"], samples["flake8_e9"])
    consistent = outputs.get("cachelint_cold") == outputs.get("cachelint_warm")

    def seconds(name: str) -> str:
        return f"{figures[name]['median']:.3f} s ({figures[name]['files_per_s']:,.0f} files/s)"

    def cpu_seconds(name: str) -> str:
        return f"{figures[name]['cpu']['median']:.3f} s"

    rows: list[dict[str, Any]] = [
        {
            "figure": "cachelint check cold (--no-cache) / ast.parse single thread",
            "value": (
                f"{ratios['cold_vs_ast_parse']:.2f}× "
                f"({seconds('cachelint_cold')} / {seconds('ast_parse_single_thread')})"
            ),
            "goal": f"≤ {COLD_GOAL:.1f}×",
            "met": ratios["cold_vs_ast_parse"] <= COLD_GOAL,
        },
        {
            "figure": "  the same in CPU time (user + system, all workers) / ast.parse CPU",
            "value": (
                f"{ratios['cold_vs_ast_parse_cpu']:.2f}× "
                f"({cpu_seconds('cachelint_cold')} / {cpu_seconds('ast_parse_single_thread')})"
            ),
        },
    ]
    if ruff:
        rows.append(
            {
                "figure": "cachelint check warm / ruff check --select ASYNC (cached)",
                "value": (
                    f"{ratios['warm_vs_ruff_async']:.2f}× ({seconds('cachelint_warm')} / {seconds('ruff_async_warm')})"
                ),
                "goal": f"≤ {WARM_GOAL:.1f}×",
                "met": ratios["warm_vs_ruff_async"] <= WARM_GOAL,
            }
        )
        rows.append(
            {
                "figure": "  the same in CPU time (user + system)",
                "value": (
                    f"{ratios['warm_vs_ruff_async_cpu']:.2f}× "
                    f"({cpu_seconds('cachelint_warm')} / {cpu_seconds('ruff_async_warm')})"
                ),
            }
        )
        rows.append(
            {
                "figure": "cachelint check warm / ruff check --select ASYNC --no-cache",
                "value": f"{ratios['warm_vs_ruff_async_no_cache']:.2f}× (ruff: {seconds('ruff_async_no_cache')})",
            }
        )
    if include_flake8:
        rows.append(
            {
                "figure": "cachelint check cold / flake8 --select E9 (default jobs)",
                "value": f"{ratios['cold_vs_flake8_e9']:.2f}× (flake8: {seconds('flake8_e9')})",
            }
        )
    rows.append(
        {
            "figure": "warm run output identical to cold run output",
            "value": "yes" if consistent else "NO",
            "goal": "yes",
            "met": consistent,
        }
    )
    return {
        "corpus": str(corpus),
        "files": count,
        "rounds": rounds,
        "cpus": os.cpu_count(),
        "timings": figures,
        "ratios": ratios,
        "warm_output_matches_cold": consistent,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    default_corpus = Path(os.environ.get("CACHELINT_CORPUS", DEFAULT_CORPUS))
    parser.add_argument("corpus", nargs="?", type=Path, default=default_corpus)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-flake8", action="store_true", help="skip flake8 (its runs dominate the time)")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    options = parser.parse_args(argv)
    result = run(options.corpus, options.rounds, include_flake8=not options.no_flake8)
    if options.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['files']:,} files in {result['corpus']}, {result['rounds']} rounds, {result['cpus']} cpus")
    for name, figure in result["timings"].items():
        print(f"  {name:<26} median {figure['median']:8.3f} s  {figure['files_per_s']:>10,.0f} files/s")
    for row in result["rows"]:
        goal = f"  goal {row['goal']}: {'met' if row['met'] else 'NOT met'}" if "goal" in row else ""
        print(f"  {row['figure']}: {row['value']}{goal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
