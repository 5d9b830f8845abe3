"""What the user sees: a progress bar while files are processed, then the summary.

The progress line goes to stderr and only when stderr is a terminal and
``--no-progress`` is not given: one line redrawn in place (``\r``), erased at
the end, so CI logs and pre-commit output never hold it.  Plain text on
purpose: a progress bar library would be the only reason for a dependency.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from types import TracebackType
from typing import TextIO

#: Below this many files a bar would only flicker.
PROGRESS_MIN_FILES = 50


@dataclass
class Summary:
    scanned: int = 0
    changed: int = 0
    rewritten: Counter[str] = field(default_factory=Counter)
    manual: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: One line per file changed (or that would change), in path order.
    files: list[str] = field(default_factory=list)
    unsafe: int = 0

    def add_file(self, path: str, fixed: Counter[str], *, writing: bool) -> None:
        verb = "rewrote" if writing else "would rewrite"
        self.files.append(f"{verb} {path} ({_per_code(fixed)})")

    def render(self, *, writing: bool) -> str:
        """The closing line; a dry run (--check/--diff) says what *would* happen."""
        sites = sum(self.rewritten.values())
        what = "fixed" if writing else "would fix"
        changed = f"{self.changed} changed" if writing else f"{self.changed} would change"
        unsafe = f"; unsafe fixes available: {self.unsafe} (apply with --unsafe-fixes)" if self.unsafe else ""
        return (
            f"cachelint fix: {self.scanned} file(s) scanned, {changed}; "
            f"{what}: {_per_code(self.rewritten)} ({sites} finding(s)){unsafe}; "
            f"left for a manual fix: {len(self.manual) - self.unsafe}; errors: {len(self.errors)}"
        )


def _per_code(counts: Counter[str]) -> str:
    return ", ".join(f"{code} {count}" for code, count in sorted(counts.items())) or "none"


class Progress:
    """A context manager; ``advance()`` once per file.  A no-op when not shown."""

    def __init__(self, total: int, *, enabled: bool, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._total = total
        self._done = 0
        self._shown = -1  # the percentage last drawn: redraw only when it moves
        self._enabled = enabled and total >= PROGRESS_MIN_FILES and self._stream.isatty()

    def __enter__(self) -> Progress:  # noqa: PYI034 - typing.Self is 3.11+
        self._draw()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._enabled:
            self._stream.write("\r\x1b[2K")  # erase the line: the summary follows
            self._stream.flush()

    def advance(self, count: int = 1) -> None:
        self._done += count
        self._draw()

    def _draw(self) -> None:
        if not self._enabled:
            return
        percent = self._done * 100 // max(self._total, 1)
        if percent == self._shown:
            return
        self._shown = percent
        self._stream.write(f"\rcachelint fix: {self._done}/{self._total} files ({percent}%)")
        self._stream.flush()
