"""``python -m benchmarks``: every speed and accuracy figure of cachelint in one run.

Sections (``--only`` picks some): ``accuracy`` and ``engine``
(:mod:`benchmarks.bench_engine`), ``flake8`` (:mod:`benchmarks.bench_flake8`),
``cli``, ``precommit`` (five changed files in a project of a few hundred),
``codemod``, ``mypy`` and ``runtime`` (the ``bench_*`` modules of the parts
that own them, imported when present; a missing or failing one is shown as
``n/a (reason)``), and ``fuzz`` (the hypothesmith reliability tests run
with ``CACHELINT_FUZZ_EXAMPLES`` raised).  Prints a table — figure, value,
goal, met? — and writes it with the raw figures and the machine's facts to
``benchmarks/results/latest.json`` and ``latest.md``.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import inspect
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import corpus as corpus_mod
from benchmarks.corpus import REPO

SECTIONS = ("accuracy", "engine", "flake8", "cli", "precommit", "codemod", "mypy", "runtime", "fuzz")
RESULTS = REPO / "benchmarks" / "results"
PACKAGES = (
    "cachelint",
    "flake8",
    "pycodestyle",
    "pyflakes",
    "mccabe",
    "mypy",
    "libcst",
    "pydantic",
    "ruff",
    "hypothesis",
    "hypothesmith",
    "aiocache",
)


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    section: str
    figure: str
    value: str
    goal: str = "—"
    #: True/False against the goal; None where there is no goal or no figure.
    met: bool | None = None


@dataclass(frozen=True)
class Plan:
    quick: bool
    corpus: Path | None

    def repeat(self, full: int, quick: int) -> int:
        return quick if self.quick else full


def _seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


# --- sections owned here ------------------------------------------------------


def _accuracy(plan: Plan, raw: dict[str, Any]) -> list[Row]:
    from benchmarks import bench_engine

    assert plan.corpus is not None
    result = bench_engine.accuracy(plan.corpus, workers=max(1, min(os.cpu_count() or 1, 4)))
    raw.update(result)
    where = f"{result['files']:,} files, {result['lines']:,} lines"
    findings, errors = result["findings"], result["errors"]
    for finding in findings:
        where = f"{finding['path']}:{finding['line']}:{finding['col'] + 1}"
        print(f"  finding: {where}: {finding['code']} {finding['message']}")
    for error in errors:
        print(f"  engine error: {error['path']}: {error['error']}")
    return [
        Row(
            "accuracy",
            f"findings on the corpus ({where}), all codes incl. CLT104",
            str(len(findings)),
            "0",
            not findings,
        ),
        Row("accuracy", "engine exceptions on the corpus (CACHELINT_DEBUG=1)", str(len(errors)), "0", not errors),
    ]


def _engine(plan: Plan, raw: dict[str, Any]) -> list[Row]:
    from benchmarks import bench_engine

    assert plan.corpus is not None
    result = bench_engine.speed(plan.corpus, plan.repeat(5, 3))
    raw.update(result)
    parse = result["parse"]["median"]
    return [
        Row("engine", "ast.parse of every corpus file, single thread", _seconds(parse)),
        Row(
            "engine",
            "engine alone (check_tree), cold process",
            f"{_seconds(result['engine']['median'])} = {result['engine_vs_parse']:.2f}× ast.parse",
        ),
        Row(
            "engine",
            "engine alone, warm project index",
            f"{_seconds(result['engine_warm']['median'])} = {result['engine_warm_vs_parse']:.2f}× ast.parse",
        ),
    ]


def _flake8(plan: Plan, raw: dict[str, Any]) -> list[Row]:
    from benchmarks import bench_flake8

    assert plan.corpus is not None
    result = bench_flake8.run(plan.corpus, plan.repeat(5, 2))
    raw.update(result)
    medians = {name: figure["median"] for name, figure in result["timings"].items()}
    figure = "flake8 --select CLT (with cachelint) / --select E9 (flake8 alone), -j1"
    value = (
        f"{result['ratio']:.3f}× ({_seconds(medians['CLT_with_cachelint'])} / "
        f"{_seconds(medians['E9_without_cachelint'])})"
    )
    if not result["valid"]:
        return [Row("flake8", figure, f"{value} INVALID: {'; '.join(result['problems'])}", "≤ 1.10×", None)]
    rows = [
        Row("flake8", figure, value, f"≤ {result['goal']:.2f}×", result["ratio"] <= result["goal"]),
        Row(
            "flake8",
            "flake8 --select E9 with cachelint installed / without (plugins run whatever is selected)",
            f"{result['e9_with_vs_without']:.3f}× ({_seconds(medians['E9_with_cachelint'])})",
        ),
    ]
    if result["clt_reports"]:
        rows.append(Row("flake8", "CLT reports by flake8 on the corpus", str(len(result["clt_reports"])), "0", False))
    return rows


def _fuzz(plan: Plan, raw: dict[str, Any]) -> list[Row]:
    """The fuzz tests in fresh pytest processes of at most 1,000 examples per test, one per core at a time.

    Hypothesis's memory grows with every example a process has run (several
    GB by 10,000 hypothesmith programs), so a long run is many short ones.
    """
    from concurrent.futures import ThreadPoolExecutor

    examples = 300 if plan.quick else 10_000
    sizes = [min(1_000, examples - start) for start in range(0, examples, 1_000)]
    argv = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-m",
        "slow",
        "tests/reliability/test_fuzz.py",
    ]

    start = time.perf_counter()

    def batch(number: int, size: int) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, CACHELINT_FUZZ_EXAMPLES=str(size), CACHELINT_DEBUG="1")
        run = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, check=False)
        # One line per finished batch, so a run stopped part-way still says how
        # far it got (each batch is ``size`` examples of each of the 3 tests).
        last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-200:]
        print(
            f"   batch {number + 1}/{len(sizes)} ({size} examples per test): exit {run.returncode},"
            f" {last} [{_seconds(time.perf_counter() - start)} since start]",
            flush=True,
        )
        if run.returncode != 0:
            print(run.stdout[-5000:], flush=True)
        return run

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        done = list(pool.map(batch, range(len(sizes)), sizes))
    seconds = time.perf_counter() - start
    failed = [run for run in done if run.returncode != 0]
    summaries = [run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-200:] for run in done]
    raw.update(
        {
            "examples_per_test": examples,
            "batches": sizes,
            "summaries": summaries,
            "seconds": seconds,
            "failures": [run.stdout[-5000:] for run in failed],
        }
    )
    value = f"{len(done) - len(failed)}/{len(done)} runs passed in {_seconds(seconds)}"
    if failed:
        value += f"; first failure: {summaries[done.index(failed[0])]}"
    return [
        Row(
            "fuzz",
            f"generated programs (hypothesmith grammar + CST, cache-shaped), {examples:,} per test",
            value,
            "no crash",
            not failed,
        )
    ]


# --- sections owned by other parts --------------------------------------------


def _call_run(module: Any, plan: Plan) -> dict[str, Any]:
    """Call ``module.run`` with what its signature accepts: the corpus, a repeat count, ``quick``."""
    run: Callable[..., Any] = module.run
    parameters = inspect.signature(run).parameters
    kwargs: dict[str, Any] = {}
    args: list[Any] = []
    for name, parameter in parameters.items():
        if name in ("corpus", "root", "path"):
            args.append(plan.corpus) if parameter.kind is parameter.POSITIONAL_ONLY else kwargs.setdefault(
                name, plan.corpus
            )
        elif name == "quick":
            kwargs[name] = plan.quick
        elif name in ("repeat", "repeats", "rounds") and plan.quick:
            default = parameter.default if isinstance(parameter.default, int) else 5
            kwargs[name] = max(2, default // 3)
        elif name in ("n", "copies") and plan.quick and isinstance(parameter.default, int):
            kwargs[name] = max(10, parameter.default // 4)
        elif name == "include_flake8" and plan.quick:
            kwargs[name] = False  # the flake8 section measures flake8 already
    result = run(*args, **kwargs)
    if not isinstance(result, dict):
        raise TypeError(f"{module.__name__}.run() returned {type(result).__name__}, not dict")
    return result


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), item, out)
    elif isinstance(value, (bool, int, float)) or value is None:
        out[prefix] = value


def _generic_rows(section: str, result: dict[str, Any]) -> list[Row]:
    """Rows from another part's figures.

    Preferred shape: ``result["rows"]`` (or ``"table"``), a list of
    ``{"figure", "value", "goal", "met"}``.  Otherwise ``ratios`` become rows,
    and ``goals_met`` entries say whether goals were met.
    """
    listed = result.get("rows") or result.get("table")
    if isinstance(listed, list):
        return [
            Row(
                section,
                str(item.get("figure", "?")),
                str(item.get("value", "?")),
                str(item.get("goal", "—")),
                item.get("met") if isinstance(item.get("met"), bool) else None,
            )
            for item in listed
            if isinstance(item, dict)
        ]
    rows: list[Row] = []
    ratios = result.get("ratios")
    if isinstance(ratios, dict):
        rows += [
            Row(section, name, f"{value:.3f}×") for name, value in ratios.items() if isinstance(value, (int, float))
        ]
    goals = result.get("goals_met")
    if isinstance(goals, dict):
        rows += [
            Row(section, f"goal {name}", "—" if met is None else str(met), name, met)
            for name, met in goals.items()
            if met is None or isinstance(met, bool)
        ]
    if not rows:
        flat: dict[str, Any] = {}
        _flatten("", result, flat)
        rows = [
            Row(section, key, f"{value:.4g}" if isinstance(value, float) else str(value)) for key, value in flat.items()
        ]
    return rows


def _runtime_rows(result: dict[str, Any]) -> list[Row]:
    ratios, us = result["ratios"], result["us_per_op"]
    rows = [
        Row(
            "runtime",
            f"get_list hit ({result['items']} models) vs raw sync get + hand validation",
            f"{ratios['get_list_hit_vs_raw']:.2f}× ({us['get_list_hit']:.1f} µs / {us['raw_hit']:.1f} µs)",
            "≤ 1.30×",
            result["goals_met"]["hit_le_1.3x_raw"],
        ),
    ]
    if result.get("aiocache"):
        rows.append(
            Row(
                "runtime",
                "get_list hit vs aiocache SimpleMemoryCache + validation",
                f"{ratios['get_list_hit_vs_aiocache']:.2f}× "
                f"({us['get_list_hit']:.1f} µs / {us['aiocache_hit']:.1f} µs)",
                "< 1.00×",
                result["goals_met"]["hit_faster_than_aiocache"],
            )
        )
    return rows


def _codemod_rows(result: dict[str, Any]) -> list[Row]:
    rows = [
        Row(
            "codemod",
            "codemod --check on the corpus (nothing to fix), cold / ruff check --select ASYNC --no-cache",
            f"{result['ratio']:.2f}× ({_seconds(result['codemod_check_s'])} / {_seconds(result['ruff_async_s'])})",
            "≤ 2.00×",
            result["ratio"] <= 2.0,
        )
    ]
    if "warm_ratio" in result:
        rows.append(
            Row(
                "codemod",
                "codemod --check after cachelint check (its result cache) / ruff check --select ASYNC (cached)",
                f"{result['warm_ratio']:.2f}× ({_seconds(result['codemod_check_warm_s'])}"
                f" / {_seconds(result['ruff_async_cached_s'])})",
                "≤ 2.00×",
                result["warm_ratio"] <= 2.0,
            )
        )
    if "rewrite_files_per_s" in result:
        rows.append(
            Row("codemod", "codemod rewriting (files that need fixing)", f"{result['rewrite_files_per_s']:.1f} files/s")
        )
    return rows


def _external(section: str) -> Callable[[Plan, dict[str, Any]], list[Row]]:
    def measure(plan: Plan, raw: dict[str, Any]) -> list[Row]:
        module = importlib.import_module(f"benchmarks.bench_{section}")
        result = _call_run(module, plan)
        raw.update(result)
        if section == "runtime" and "ratios" in result and "us_per_op" in result:
            return _runtime_rows(result)
        if section == "codemod" and {"ratio", "codemod_check_s", "ruff_async_s"} <= set(result):
            return _codemod_rows(result)
        return _generic_rows(section, result)

    return measure


MEASURES: dict[str, Callable[[Plan, dict[str, Any]], list[Row]]] = {
    "accuracy": _accuracy,
    "engine": _engine,
    "flake8": _flake8,
    "cli": _external("cli"),
    "precommit": _external("precommit"),
    "codemod": _external("codemod"),
    "mypy": _external("mypy"),
    "runtime": _external("runtime"),
    "fuzz": _fuzz,
}
NEEDS_CORPUS = frozenset({"accuracy", "engine", "flake8", "cli", "precommit", "codemod"})


# --- machine facts and output ---------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def machine_facts() -> dict[str, Any]:
    versions: dict[str, str] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cores": os.cpu_count(),
        "usable_cores": affinity,
        "cpu": _cpu_model(),
        "memory": _memory(),
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": sys.executable,
        "packages": versions,
        "commit": _git("rev-parse", "--short", "HEAD"),
    }


def render_text(rows: list[Row]) -> str:
    header = ("section", "figure", "value", "goal", "met?")
    table = [header] + [(r.section, r.figure, r.value, r.goal, _met(r.met)) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip() for line in table)


def _met(met: bool | None) -> str:
    return "—" if met is None else ("yes" if met else "NO")


def render_markdown(report: dict[str, Any]) -> str:
    machine = report["machine"]
    lines = [
        f"Command: `{report['command']}`  ",
        f"Date: {report['date']}  ",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']}; {machine['python']}; "
        f"commit {machine['commit'] or '?'}  ",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in machine["packages"].items()),
        "",
        "| section | figure | value | goal | met? |",
        "|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        cells = [row["section"], row["figure"], row["value"], row["goal"], _met(row["met"])]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats and fuzz examples (a few minutes)")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run (default all: {','.join(SECTIONS)})",
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        help="corpus root (default $CACHELINT_CORPUS, else ~/.cache/cachelint/corpus, built on first use)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=RESULTS / "latest.json",
        help="where to write the JSON (a .md table is written beside it)",
    )
    args = parser.parse_args(argv)
    args.sections = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    corpus: Path | None = None
    corpus_error: str | None = None
    if NEEDS_CORPUS & set(args.sections):
        try:
            corpus = corpus_mod.locate(args.corpus)
        except corpus_mod.CorpusError as error:
            corpus_error = str(error)
            print(f"corpus: n/a ({error})", file=sys.stderr)
    plan = Plan(args.quick, corpus)
    if corpus is not None:
        packages = corpus_mod.manifest(corpus)
        print(
            f"corpus: {corpus} ({len(packages)} packages, {sum(p.files for p in packages):,} files, "
            f"{sum(p.lines for p in packages):,} lines)"
        )
    rows: list[Row] = []
    sections: dict[str, Any] = {}
    for name in args.sections:
        print(f"== {name} ...", flush=True)
        raw: dict[str, Any] = {}
        start = time.perf_counter()
        if name in NEEDS_CORPUS and corpus is None:
            got = [Row(name, name, f"n/a (no corpus: {corpus_error})")]
            raw["error"] = corpus_error
        else:
            try:
                got = MEASURES[name](plan, raw)
            except ModuleNotFoundError as error:
                got = [Row(name, name, f"n/a ({error})")]
                raw["error"] = str(error)
            except Exception as error:  # one broken section must not lose the others' figures
                got = [Row(name, name, f"n/a ({type(error).__name__}: {error})")]
                raw["error"] = f"{type(error).__name__}: {error}"
        raw["section_seconds"] = time.perf_counter() - start
        sections[name] = raw
        rows += got
        for row in got:
            print(f"   {row.figure}: {row.value}  (goal {row.goal}, met: {_met(row.met)})", flush=True)
    command = "python -m benchmarks " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    report = {
        "command": command.strip(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_facts(),
        "corpus": {
            "path": str(corpus) if corpus else None,
            "packages": [asdict(p) for p in corpus_mod.manifest(corpus)] if corpus else [],
        },
        "rows": [asdict(row) for row in rows],
        "sections": sections,
    }
    print()
    print(render_text(rows))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    markdown = args.output.with_suffix(".md")
    markdown.write_text(render_markdown(report), encoding="utf-8")
    print(f"\nwrote {args.output} and {markdown}")
    missed = [row for row in rows if row.met is False]
    return 1 if missed else 0
