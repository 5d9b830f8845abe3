"""mypy with and without the cachelint plugin, cold cache, side by side.

For each target, mypy runs in a fresh subprocess with a fresh (empty) cache
folder, alternating "without" and "with" each round (the order rotated every
round), and the medians of the mypy process's CPU time (user + system) are
compared; wall-clock medians are reported beside them.  The configuration is identical but for
the ``plugins`` line.  Targets:

* the research-app fixture (``tests/fixtures/research_app``, pulls in Pydantic);
* a package of the real-package corpus (default ``diskcache``; its ``Cache``
  and ``FanoutCache`` are configured as sync cache classes so the plugin's
  hooks really fire on the package's own calls).

The corpus folder comes from ``--corpus``, else an already built one
(:func:`benchmarks.corpus.find_existing`: ``$CACHELINT_CORPUS``, the default
cache, ``/work/corpus``); no corpus skips that target (it is never built here).  Goal (DESIGN.md):
with-plugin median ≤ 1.05 × without.

Run: ``python benchmarks/bench_mypy.py [--rounds N] [--corpus DIR] [--package NAME]``;
or import and call ``run()``, which returns the figures as a dict.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESEARCH_APP = REPO / "tests" / "fixtures" / "research_app"
GOAL_RATIO = 1.05
DEFAULT_PACKAGE = "diskcache"
PACKAGE_CACHE_CLASSES = {
    "diskcache": ["diskcache.core.Cache", "diskcache.fanout.FanoutCache"],
}


def _config(folder: Path, plugin: bool, cache_classes: list[str]) -> Path:
    lines = ["[tool.mypy]", "ignore_missing_imports = true"]
    if plugin:
        lines.append('plugins = ["cachelint.mypy_plugin"]')
    lines += ["", "[tool.cachelint]"]
    if cache_classes:
        lines.append("sync-cache-classes = " + json.dumps(cache_classes))
    path = folder / ("with" if plugin else "without") / "pyproject.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


#: An installed plugin has its bytecode compiled (pip does it at install time); with
#: PYTHONDONTWRITEBYTECODE set, every run would compile cachelint's sources afresh and
#: charge that to the plugin (mypy itself is compiled).  The warm-up run writes it.
_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _mypy_once(config: Path, target: Path, cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the mypy process) for one cold run."""
    with tempfile.TemporaryDirectory(prefix="bench-mypy-cache-") as cache:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--config-file",
                str(config),
                "--cache-dir",
                cache,
                "--no-error-summary",
                str(target),
            ],
            cwd=cwd,
            env=_ENV,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1) or "INTERNAL ERROR" in done.stdout + done.stderr:
        raise RuntimeError(f"mypy failed on {target}:\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def bench_target(name: str, target: Path, cwd: Path, cache_classes: list[str], rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-mypy-config-") as folder:
        configs = {plugin: _config(Path(folder), plugin, cache_classes) for plugin in (False, True)}
        wall: dict[bool, list[float]] = {False: [], True: []}
        cpu: dict[bool, list[float]] = {False: [], True: []}
        _mypy_once(configs[True], target, cwd)  # warm the OS file cache and .pyc files once
        for index in range(rounds):
            order = (False, True) if index % 2 == 0 else (True, False)
            for plugin in order:
                elapsed, used = _mypy_once(configs[plugin], target, cwd)
                wall[plugin].append(elapsed)
                cpu[plugin].append(used)
    medians = {key: (statistics.median(wall[key]), statistics.median(cpu[key])) for key in (False, True)}
    # CPU time is the verdict: on a shared two-core machine wall time mostly measures the neighbours.
    ratio = medians[True][1] / medians[False][1]
    return {
        "target": name,
        "rounds": rounds,
        "without_wall_s": round(medians[False][0], 3),
        "with_wall_s": round(medians[True][0], 3),
        "wall_ratio": round(medians[True][0] / medians[False][0], 3),
        "without_cpu_s": round(medians[False][1], 3),
        "with_cpu_s": round(medians[True][1], 3),
        "ratio": round(ratio, 3),
        "goal_ratio": GOAL_RATIO,
        "meets_goal": ratio <= GOAL_RATIO,
        "samples_cpu_without_s": [round(t, 3) for t in cpu[False]],
        "samples_cpu_with_s": [round(t, 3) for t in cpu[True]],
    }


def _find_corpus() -> Path | None:
    sys.path.insert(0, str(REPO))
    try:
        from benchmarks.corpus import find_existing
    except ImportError:  # pragma: no cover - only when run outside the repository
        env = os.environ.get("CACHELINT_CORPUS")
        return Path(env) if env else None
    return find_existing()


def run(rounds: int = 5, corpus: Path | None = None, package: str = DEFAULT_PACKAGE) -> dict[str, Any]:
    """Benchmark every available target.

    Returns ``{"targets": [...], "rows": [...]}``: the raw figures per target,
    and one table row per target for ``python -m benchmarks``.
    """
    results = [bench_target("research_app", RESEARCH_APP / "src", RESEARCH_APP, ["CacheManager"], rounds)]
    corpus = corpus or _find_corpus()
    package_dir = corpus / package / package if corpus is not None else None
    if package_dir is not None and package_dir.is_dir():
        classes = PACKAGE_CACHE_CLASSES.get(package, [])
        results.append(bench_target(f"corpus/{package}", package_dir, package_dir.parent, classes, rounds))
    rows = [
        {
            "figure": f"mypy with plugin vs without, cold cache, CPU ({item['target']})",
            "value": f"{item['ratio']:.3f}× ({item['with_cpu_s']:.2f} s / {item['without_cpu_s']:.2f} s)",
            "goal": f"≤ {GOAL_RATIO:.2f}×",
            "met": item["meets_goal"],
        }
        for item in results
    ]
    return {"targets": results, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--package", default=DEFAULT_PACKAGE)
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    options = parser.parse_args(argv)
    figures = run(options.rounds, options.corpus, options.package)
    if options.json:
        print(json.dumps(figures, indent=2))
        return 0
    for item in figures["targets"]:
        verdict = "ok" if item["meets_goal"] else "OVER GOAL"
        print(
            f"{item['target']:<18} CPU without {item['without_cpu_s']:.2f} s  with plugin {item['with_cpu_s']:.2f} s"
            f"  ratio {item['ratio']:.3f} (goal <= {GOAL_RATIO}) {verdict}"
            f"   | wall {item['without_wall_s']:.2f} s vs {item['with_wall_s']:.2f} s ({item['wall_ratio']:.3f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
