"""What the user sees: a progress bar while files are processed, then the summary.

The bar (``rich.progress``) goes to stderr and only when stderr is a terminal
and ``--no-progress`` is not given; ``rich`` is imported only then, so runs in
CI and pre-commit do not pay for it.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

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
        stream = stream if stream is not None else sys.stderr
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None
        if enabled and total >= PROGRESS_MIN_FILES and stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=stream),
                transient=True,
            )
            self._task = self._bar.add_task("cachelint fix", total=total)

    def __enter__(self) -> Progress:  # noqa: PYI034 - typing.Self is 3.11+
        if self._bar is not None:
            self._bar.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)

    def advance(self, count: int = 1) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task, count)
