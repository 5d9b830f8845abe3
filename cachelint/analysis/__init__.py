"""The detection engine on the stdlib ``ast``: per-file semantic model plus project index.

Public entry points: :func:`analyse` (diagnostics plus the check failures
front ends must report), :func:`check_tree`, :func:`check_source`, and the
:class:`Diagnostic` / :class:`FixHint` / :class:`EngineError` they return;
:func:`debug_enabled`, the one reading of ``CACHELINT_DEBUG`` (from
:mod:`cachelint.debugging`, which the CLI reads without importing the engine).
"""

from __future__ import annotations

from cachelint.analysis.diagnostic import Diagnostic, FixHint
from cachelint.analysis.engine import (
    INTERNAL_ERROR_CODE,
    EngineError,
    EngineResult,
    analyse,
    check_source,
    check_tree,
    knowledge_for,
)
from cachelint.debugging import debug_enabled

__all__ = [
    "INTERNAL_ERROR_CODE",
    "Diagnostic",
    "EngineError",
    "EngineResult",
    "FixHint",
    "analyse",
    "check_source",
    "check_tree",
    "debug_enabled",
    "knowledge_for",
]
