"""The codemod's progress line: plain text on a terminal only, erased at the end; no progress-bar library."""

from __future__ import annotations

import io

from cachelint.codemod.report import PROGRESS_MIN_FILES, Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_on_a_terminal() -> None:
    stream = _Terminal()
    total = PROGRESS_MIN_FILES * 2
    with Progress(total, enabled=True, stream=stream) as progress:
        for _ in range(total):
            progress.advance()
    shown = stream.getvalue()
    assert f"\rcachelint fix: {total}/{total} files (100%)" in shown
    assert shown.endswith("\r\x1b[2K")  # erased: the summary line follows on a clean line
    # Redrawn when the percentage moves, not once per file.
    assert shown.count("\r") <= 102


def test_no_progress_when_piped_disabled_or_small() -> None:
    for stream, enabled, total in (
        (io.StringIO(), True, 500),
        (_Terminal(), False, 500),
        (_Terminal(), True, PROGRESS_MIN_FILES - 1),
    ):
        with Progress(total, enabled=enabled, stream=stream) as progress:
            progress.advance(total)
        assert stream.getvalue() == ""
