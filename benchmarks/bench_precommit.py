"""The pre-commit case: five changed files in a project of a few hundred, against ruff and flake8.

A pre-commit hook runs the linter on the staged files only, named on the
command line, from the repository root.  The project here is a scratch copy
of six packages of the corpus that import each other (redis, fakeredis,
cashews, limits, hishel, requests-cache: 336 files, one ``pyproject.toml``),
so imports resolve across the project as in a real repository; five files
spread over it are the "changed" ones.

Variants, alternating (:func:`benchmarks.timing.alternate`), each a real
subprocess run from the project root with the five paths:

* ``cachelint check --force-exclude`` (what the hook passes):
  *cold* (an empty result cache), *warm, edited* (the cache filled by a run
  over the whole project, then the five files edited: they must be checked
  again, the usual commit) and *warm, unchanged* (the same five files again,
  as when a commit is retried);
* ``ruff check --select ASYNC`` cold (an empty cache) and warm, edited;
* ``flake8 --select CLT`` with cachelint and ``flake8 --select E9`` without
  it (flake8 has no cache; the baseline environment is the one of
  :mod:`benchmarks.bench_flake8`).

An edit appends a comment line to each of the five files before the run it
is for (outside the timing).  Wall and CPU time (user + system, children
included) are recorded; no goal is set by the design, the figures are
reported.

Run: ``python benchmarks/bench_precommit.py [CORPUS] [--rounds N]`` or
``python -m benchmarks --only precommit``.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cachelint  # noqa: E402
from benchmarks import bench_flake8, timing  # noqa: E402

DEFAULT_CORPUS = Path("/work/corpus")
#: Corpus folders copied into the project: (corpus folder, package folder inside it).
PACKAGES = (
    ("redis", "redis"),
    ("fakeredis", "fakeredis"),
    ("cashews", "cashews"),
    ("limits", "limits"),
    ("hishel", "hishel"),
    ("requests-cache", "requests_cache"),
)
CHANGED = 5


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def make_project(corpus: Path, target: Path) -> list[Path]:
    """Copy the packages into ``target`` (one project) and return its Python files, sorted."""
    for folder, package in PACKAGES:
        source = corpus / folder / package
        if not source.is_dir():
            raise FileNotFoundError(f"{source}: not in the corpus")
        shutil.copytree(source, target / package, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "pyproject.toml").write_text('[project]\nname = "precommit-bench"\n', encoding="utf-8")
    return sorted(path for path in target.rglob("*.py") if path.is_file())


def changed_files(files: list[Path], count: int = CHANGED) -> list[Path]:
    """``count`` files spread evenly over the sorted list (so over several packages)."""
    step = len(files) / count
    return [files[int(step * i + step / 2)] for i in range(count)]


class Editor:
    """Appends a new comment line to each changed file: a real edit every time."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.edits = 0

    def __call__(self) -> None:
        self.edits += 1
        for path in self.paths:
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"# pre-commit benchmark edit {self.edits}\n")


def run(corpus: Path = DEFAULT_CORPUS, rounds: int = 5) -> dict[str, Any]:
    corpus = Path(corpus).resolve()
    compileall.compile_dir(str(Path(cachelint.__file__).parent), quiet=1)
    ruff = _tool("ruff")
    with tempfile.TemporaryDirectory(prefix="bench-precommit-") as scratch_name:
        scratch = Path(scratch_name)
        project = scratch / "project"
        files = make_project(corpus, project)
        changed = changed_files(files)
        names = [str(path.relative_to(project)) for path in changed]
        edit = Editor(changed)
        env = {key: value for key, value in os.environ.items() if key != "CACHELINT_DEBUG"}
        counter = {"fresh": 0}

        def fresh(prefix: str) -> str:
            counter["fresh"] += 1
            return str(scratch / f"{prefix}-{counter['fresh']}")

        warm_cache = str(scratch / "cachelint-warm")
        ruff_warm_cache = str(scratch / "ruff-warm")
        cachelint_cmd = [sys.executable, "-m", "cachelint.cli", "check", "--force-exclude", "--exit-zero"]
        cpu: dict[str, list[float]] = {}

        def sync() -> None:
            """Bring the warm cache up to date with the files (other variants edit them)."""
            timing.run_command([*cachelint_cmd, *names], cwd=project, env=dict(env, CACHELINT_CACHE_DIR=warm_cache))

        def command(
            name: str,
            argv: Callable[[], list[str]],
            environment: Callable[[], dict[str, str]],
            before: Callable[[], None] = edit,
        ) -> Callable[[], float]:
            def call() -> float:
                before()
                done = timing.run_command(argv(), cwd=project, env=environment())
                if done.returncode not in (0, 1) or "Traceback" in done.stderr:
                    raise RuntimeError(f"{name} failed ({done.returncode}): {done.stderr[-500:]}")
                cpu.setdefault(name, []).append(done.cpu_seconds)
                return done.seconds

            return call

        variants: dict[str, Callable[[], float]] = {
            "cachelint_cold": command(
                "cachelint_cold",
                lambda: [*cachelint_cmd, *names],
                lambda: dict(env, CACHELINT_CACHE_DIR=fresh("cachelint-cold")),
            ),
            "cachelint_warm_edited": command(
                "cachelint_warm_edited",
                lambda: [*cachelint_cmd, *names],
                lambda: dict(env, CACHELINT_CACHE_DIR=warm_cache),
            ),
            "cachelint_warm_unchanged": command(
                "cachelint_warm_unchanged",
                lambda: [*cachelint_cmd, *names],
                lambda: dict(env, CACHELINT_CACHE_DIR=warm_cache),
                before=sync,
            ),
        }
        if ruff:
            ruff_cmd = [ruff, "check", "--select", "ASYNC", "--exit-zero", "--quiet", "--force-exclude"]
            variants["ruff_cold"] = command(
                "ruff_cold", lambda: [*ruff_cmd, "--cache-dir", fresh("ruff-cold"), *names], lambda: env
            )
            variants["ruff_warm_edited"] = command(
                "ruff_warm_edited",
                lambda: [*ruff_cmd, "--cache-dir", ruff_warm_cache, *names],
                lambda: env,
            )
        sides = bench_flake8.Sides(bench_flake8.baseline_path(Path(tempfile.mkdtemp(dir=scratch))))
        with_argv, with_env = sides.with_cachelint
        without_argv, without_env = sides.without
        variants["flake8_clt"] = command(
            "flake8_clt",
            lambda: [*with_argv, "--isolated", "--select", "CLT", "--exit-zero", *names],
            lambda: with_env,
        )
        variants["flake8_e9_alone"] = command(
            "flake8_e9_alone",
            lambda: [*without_argv, "--isolated", "--select", "E9", "--exit-zero", *names],
            lambda: without_env,
        )

        # Warm caches: a run over the whole project, as a first commit or CI leaves them.
        prime = timing.run_command(
            [sys.executable, "-m", "cachelint.cli", "check", "--exit-zero", "-q", "."],
            cwd=project,
            env=dict(env, CACHELINT_CACHE_DIR=warm_cache),
        )
        if prime.returncode != 0:
            raise RuntimeError(f"priming cachelint failed: {prime.stderr[-500:]}")
        if ruff:
            timing.run_command([*ruff_cmd, "--cache-dir", ruff_warm_cache, "."], cwd=project, env=env)
        variants["cachelint_warm_unchanged"]()  # its five entries now match the files
        cpu.clear()
        samples = timing.alternate(variants, rounds)

    figures = {name: dict(timing.summary(values), cpu=timing.summary(cpu[name])) for name, values in samples.items()}

    def med(name: str) -> float:
        return float(figures[name]["median"])

    def cpu_med(name: str) -> float:
        return float(figures[name]["cpu"]["median"])

    def against(name: str, base: str) -> str:
        return (
            f"{med(name) / med(base):.2f}× wall ({med(name):.3f} s / {med(base):.3f} s), "
            f"{cpu_med(name) / cpu_med(base):.2f}× CPU ({cpu_med(name):.3f} s / {cpu_med(base):.3f} s)"
        )

    project_label = f"{len(files)} files, {CHANGED} changed"
    rows: list[dict[str, Any]] = []
    if ruff:
        rows += [
            {
                "figure": f"pre-commit ({project_label}): cachelint check cold / ruff --select ASYNC cold",
                "value": against("cachelint_cold", "ruff_cold"),
            },
            {
                "figure": "pre-commit: cachelint check warm, 5 edited / ruff warm, 5 edited",
                "value": against("cachelint_warm_edited", "ruff_warm_edited"),
            },
            {
                "figure": "pre-commit: cachelint check warm, unchanged / ruff warm, 5 edited",
                "value": against("cachelint_warm_unchanged", "ruff_warm_edited"),
            },
        ]
    rows += [
        {
            "figure": "pre-commit: cachelint check warm, 5 edited / flake8 --select E9 (flake8 alone)",
            "value": against("cachelint_warm_edited", "flake8_e9_alone"),
        },
        {
            "figure": "pre-commit: flake8 --select CLT (with cachelint) / flake8 --select E9 (flake8 alone)",
            "value": against("flake8_clt", "flake8_e9_alone"),
        },
    ]
    return {
        "project": [package for _, package in PACKAGES],
        "files": len(files),
        "changed": names,
        "rounds": rounds,
        "timings": figures,
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument(
        "corpus", nargs="?", type=Path, default=Path(os.environ.get("CACHELINT_CORPUS", DEFAULT_CORPUS))
    )
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args(argv)
    result = run(options.corpus, options.rounds)
    print(f"{result['files']} files, changed: {', '.join(result['changed'])}; {result['rounds']} rounds")
    for name, figure in result["timings"].items():
        print(f"  {name:<26} wall {figure['median']:7.3f} s  cpu {figure['cpu']['median']:7.3f} s")
    for row in result["rows"]:
        print(f"  {row['figure']}: {row['value']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
