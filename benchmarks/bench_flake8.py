"""What cachelint adds to a flake8 run: flake8 with cachelint (``--select CLT``) against flake8 alone (``--select E9``).

flake8 runs every installed plugin whatever ``--select`` says, so
``--select E9`` in an environment that has cachelint still runs cachelint's
engine: the fair baseline is flake8 *without* cachelint.  It is built here
without a network or a second install: this interpreter run with ``-S`` (no
site-packages, so no cachelint and no other plugin) and ``PYTHONPATH`` set to a
folder of links to the very flake8, pycodestyle, pyflakes and mccabe this
environment has.  ``flake8 --version`` of both sides is recorded; a plugin
other than cachelint and flake8's own on the measured side makes the figure
``invalid`` (with flake8-async installed, E9 alone takes 380 s instead of 20 s).

Three variants, alternating, each a real ``python -m flake8 --isolated
--jobs 1`` (single process, as the design's numbers are) run from the corpus
folder: E9 without cachelint, CLT with it, and E9 with it (which shows the
cost is paid whatever is selected).  Goal: CLT with ≤ 1.10 × E9 without.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks import timing

GOAL = 1.10
FLAKE8_OWN = frozenset({"mccabe", "pycodestyle", "pyflakes"})


def _requirement_names(name: str) -> list[str]:
    names = []
    for requirement in metadata.requires(name) or []:
        if ";" in requirement and "extra" in requirement.split(";", 1)[1]:
            continue
        match = re.match(r"[A-Za-z0-9._-]+", requirement)
        if match:
            names.append(match.group(0))
    return names


def baseline_path(folder: Path) -> Path:
    """Fill ``folder`` with links to flake8 and its requirements (code and dist-info) and return it."""
    pending, seen = ["flake8"], set()
    while pending:
        name = pending.pop()
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        dist = metadata.distribution(name)
        tops = {str(item).split("/")[0] for item in dist.files or [] if not str(item).startswith("..")}
        for top in tops - {"__pycache__"}:
            link = folder / top
            if not link.exists():
                link.symlink_to(Path(str(dist.locate_file(top))))
        pending += _requirement_names(name)
    return folder


class Sides:
    """The two environments: argv prefix and environment for each."""

    def __init__(self, baseline: Path) -> None:
        env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
        self.with_cachelint: tuple[list[str], dict[str, str]] = ([sys.executable, "-m", "flake8"], env)
        # -P: not even the working folder (a checkout holds cachelint.egg-info, whose entry point flake8 would load).
        safe_path = ["-P"] if sys.version_info >= (3, 11) else []
        self.without: tuple[list[str], dict[str, str]] = (
            [sys.executable, "-S", *safe_path, "-m", "flake8"],
            dict(env, PYTHONPATH=str(baseline)),
        )


def plugins(side: tuple[list[str], dict[str, str]], cwd: Path) -> dict[str, str]:
    """``{plugin: version}`` from ``flake8 --version`` on one side, run where the measurement runs."""
    argv, env = side
    output = timing.run_command([*argv, "--version"], cwd, env).stdout
    inner = re.search(r"\((.*)\)", output)
    found: dict[str, str] = {}
    for item in inner.group(1).split(",") if inner else []:
        name, _, version = item.strip().partition(":")
        if name:
            found[name.strip()] = version.strip()
    return found


def run(corpus: Path, repeat: int = 5) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="flake8-baseline-") as scratch:
        sides = Sides(baseline_path(Path(scratch)))
        plugins_with, plugins_without = plugins(sides.with_cachelint, corpus), plugins(sides.without, corpus)
        problems = []
        if set(plugins_without) != FLAKE8_OWN:
            problems.append(f"baseline flake8 has plugins {sorted(plugins_without)}, expected {sorted(FLAKE8_OWN)}")
        if set(plugins_with) != FLAKE8_OWN | {"cachelint"}:
            problems.append(f"measured flake8 has plugins {sorted(plugins_with)}: uninstall all but cachelint")
        runs: dict[str, list[timing.CommandRun]] = {}

        def variant(name: str, side: tuple[list[str], dict[str, str]], select: str) -> Callable[[], float]:
            argv, env = side

            def measure() -> float:
                done = timing.run_command([*argv, "--isolated", "--jobs", "1", "--select", select, "."], corpus, env)
                runs.setdefault(name, []).append(done)
                return done.seconds

            return measure

        samples = timing.alternate(
            {
                "E9_without_cachelint": variant("E9_without_cachelint", sides.without, "E9"),
                "CLT_with_cachelint": variant("CLT_with_cachelint", sides.with_cachelint, "CLT"),
                "E9_with_cachelint": variant("E9_with_cachelint", sides.with_cachelint, "E9"),
            },
            repeat,
        )
    for name, done_runs in runs.items():
        first = done_runs[0]
        if first.returncode not in (0, 1) or "Traceback" in first.stderr:
            problems.append(f"{name}: exit {first.returncode}: {(first.stderr or first.stdout).strip()[-300:]}")
    clt_reports = [line for line in runs["CLT_with_cachelint"][0].stdout.splitlines() if " CLT" in line]
    return {
        "repeat": repeat,
        "plugins_with_cachelint": plugins_with,
        "plugins_without_cachelint": plugins_without,
        "valid": not problems,
        "problems": problems,
        "timings": {name: timing.summary(values) for name, values in samples.items()},
        "ratio": timing.ratio(samples["CLT_with_cachelint"], samples["E9_without_cachelint"]),
        "e9_with_vs_without": timing.ratio(samples["E9_with_cachelint"], samples["E9_without_cachelint"]),
        "goal": GOAL,
        "clt_reports": clt_reports,
    }
