"""Garbage-collector tuning, for the front ends that own their process.

The engine keeps what it learns for the life of a process: summaries of the
project's modules and memos of class knowledge, a heap that grows with every
file.  CPython's cyclic collector rescans that heap on every full collection,
and a file's check allocates enough to trigger many: measured on the
real-package corpus, that more than doubled the engine's time.  Nothing the
engine builds for one file needs the collector while the file is analysed.

The engine is a library (flake8, mypy, an editor's server and user code call
it), so it takes no process-wide action itself (STYLE.md, 14).  The front ends
that own their process do, through :func:`one_file`: ``cachelint check`` in its
own process and in its worker processes, and the flake8 adapter in flake8's
worker processes.  Everywhere else the collector is left as the host set it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_file() -> Iterator[None]:
    """No collection while one file is analysed; then its young garbage, and a freeze of what survives.

    The freeze moves what the engine keeps (summaries, memos: kept for the
    process's life) out of the collector's sight instead of rescanning it per
    file.  Only for a process whose owner wants that: frozen objects are never
    collected, so the engine breaks its own cycles when it drops a summary.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.collect(0)
            gc.freeze()
            gc.enable()


def worker_start() -> None:
    """For a worker process forked to check files: what the parent built is never garbage here."""
    gc.freeze()
