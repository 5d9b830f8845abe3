"""Inline expectations in fixture files: ``# error: CLT101`` or ``# error: CLT101:22, CLT102``.

Columns are 1-based, as flake8 prints them.  A ``# flake8-args: ...`` line in
the first ten lines gives extra flake8 arguments for that file.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

MARKER = re.compile(r"#\s*error:\s*(?P<codes>CLT\d{3}(?::\d+)?(?:\s*,\s*CLT\d{3}(?::\d+)?)*)")
ARGS = re.compile(r"#\s*flake8-args:\s*(?P<args>.+)$")


@dataclass(frozen=True, order=True)
class Expected:
    line: int
    code: str
    col: int | None


def expectations(path: Path) -> set[Expected]:
    found: set[Expected] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = MARKER.search(line)
        if not match:
            continue
        for item in match.group("codes").split(","):
            code, _, col = item.strip().partition(":")
            found.add(Expected(number, code, int(col) if col else None))
    return found


def extra_args(path: Path) -> tuple[str, ...]:
    for line in path.read_text(encoding="utf-8").splitlines()[:10]:
        match = ARGS.search(line)
        if match:
            return tuple(shlex.split(match.group("args")))
    return ()
