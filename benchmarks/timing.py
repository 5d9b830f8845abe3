"""Side-by-side timing: variants run alternately in one process, medians and ratios.

Alternating (round ``r`` runs the variants rotated by ``r``) spreads drift of
the machine — a neighbour's load, thermal state, page cache — evenly over the
variants, so a ratio of medians from one run is meaningful where two separate
runs would not be.  Wall time is ``time.perf_counter``; a subprocess's CPU
time (user + system, its children included) comes from ``getrusage`` and is
the steadier figure on a machine shared with other work.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CommandRun:
    """One timed subprocess run."""

    seconds: float
    returncode: int
    stdout: str
    stderr: str
    #: User + system CPU seconds of the process and the children it waited for.
    cpu_seconds: float = 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(argv: Sequence[str], cwd: Path | None = None, env: Mapping[str, str] | None = None) -> CommandRun:
    """Run ``argv`` to completion; the wall time includes interpreter start-up, as a user sees it."""
    cpu = _children_cpu()
    start = time.perf_counter()
    completed = subprocess.run(
        list(argv),
        cwd=cwd,
        env=dict(env) if env is not None else None,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    # One child at a time (the harness runs variants one after another), so the delta is this command's.
    used = _children_cpu() - cpu
    return CommandRun(seconds, completed.returncode, completed.stdout, completed.stderr, used)


def alternate(variants: Mapping[str, Callable[[], float]], repeat: int, warmup: int = 0) -> dict[str, list[float]]:
    """Call every variant ``warmup + repeat`` times, rotating the order each round.

    Each callable returns its own measured seconds (so it can leave set-up out
    of the figure).  Warm-up rounds are run and discarded.
    """
    names = list(variants)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(warmup + repeat):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            seconds = variants[name]()
            if round_ >= warmup:
                samples[name].append(seconds)
    return samples


def summary(samples: Sequence[float]) -> dict[str, Any]:
    """Median, spread and raw samples of one variant, in seconds."""
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "samples": [round(value, 4) for value in samples],
    }


def ratio(numerator: Sequence[float], denominator: Sequence[float]) -> float:
    """Ratio of medians."""
    return statistics.median(numerator) / statistics.median(denominator)
