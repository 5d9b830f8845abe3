"""The detection engine on the stdlib ``ast``: per-file semantic model plus project index.

Public entry points: :func:`check_tree`, :func:`check_source`, and the
:class:`Diagnostic` / :class:`FixHint` they return.
"""

from __future__ import annotations

from cachelint.analysis.diagnostic import Diagnostic, FixHint
from cachelint.analysis.engine import check_source, check_tree, knowledge_for

__all__ = ["Diagnostic", "FixHint", "check_source", "check_tree", "knowledge_for"]
