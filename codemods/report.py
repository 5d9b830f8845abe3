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

    def render(self, *, verb: str) -> str:
        """``verb``: 'changed' when files were written, 'would change' for --check/--diff."""
        sites = sum(self.rewritten.values())
        per_code = ", ".join(f"{code} {count}" for code, count in sorted(self.rewritten.items())) or "none"
        return (
            f"cachelint fix: {self.scanned} file(s) scanned, {self.changed} {verb}; "
            f"sites rewritten: {per_code} ({sites} finding(s)); "
            f"left for a manual fix: {len(self.manual)}; errors: {len(self.errors)}"
        )


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
