"""The rule implementations, one module per rule family.

Each module exports ``NODE_CHECKS``: node type -> functions called with the
:class:`~cachelint.analysis.context.Context` and a
:class:`~cachelint.analysis.semantic.Visit`, yielding diagnostics.  Per-file
passes that need every node first (CLT103's data flow) export ``FILE_CHECKS``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic
from cachelint.analysis.semantic import Visit

NodeCheck = Callable[[Context, Visit], Iterator[Diagnostic]]
FileCheck = Callable[[Context], Iterator[Diagnostic]]


def registry() -> tuple[dict[type[ast.AST], list[NodeCheck]], list[FileCheck]]:
    from cachelint.analysis.checks import cache_calls, models, retrieval, test_doubles

    node_checks: dict[type[ast.AST], list[NodeCheck]] = {}
    file_checks: list[FileCheck] = []
    for module in (cache_calls, retrieval, test_doubles, models):
        for node_type, check in getattr(module, "NODE_CHECKS", ()):
            node_checks.setdefault(node_type, []).append(check)
        file_checks.extend(getattr(module, "FILE_CHECKS", ()))
    return node_checks, file_checks
