"""The one reading of ``CACHELINT_DEBUG``: internal errors raise instead of becoming a line.

Its own small module, below the engine and the front ends, so the CLI can ask
without importing the engine (its warm path never does).
"""

from __future__ import annotations

import os

#: The environment variable that makes internal errors raise instead of being reported.
DEBUG_VARIABLE = "CACHELINT_DEBUG"


def debug_enabled() -> bool:
    """Whether ``CACHELINT_DEBUG`` asks for internal errors to raise (the test suite sets it).

    The engine, and every front end that turns an internal error into a line
    (CLI, checker workers, flake8 adapter), ask here.  Read on each call, not
    once, so a test or a long-lived host can change it.
    """
    return os.environ.get(DEBUG_VARIABLE, "") not in ("", "0")
