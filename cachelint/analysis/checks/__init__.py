"""The rule implementations, one module per rule family, found by scanning this package.

A check registers through the rules it reports (:meth:`cachelint.rules.Rule.on`,
:meth:`~cachelint.rules.Rule.per_file`); adding a module here with such checks
is all it takes for the engine to run them.  A node check is called with the
:class:`~cachelint.analysis.context.Context` and a
:class:`~cachelint.analysis.semantic.Visit` of each node of its types; a file
check (CLT103's data flow, which needs every node first) with the context alone.
Both yield diagnostics, built with :meth:`Context.report`.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic
from cachelint.analysis.semantic import Visit
from cachelint.rules import CHECK_MARK, Registration, Rule

NodeCheck = Callable[[Context, Visit], Iterator[Diagnostic]]
FileCheck = Callable[[Context], Iterator[Diagnostic]]


@dataclass(frozen=True)
class RegisteredCheck:
    """A check function with everything its registration lines say about it."""

    check: Callable[..., Iterator[Diagnostic]]
    rules: tuple[Rule, ...]
    #: The node types it is called with, in registration order; empty for a file check.
    node_types: tuple[type[ast.AST], ...]


def registered() -> list[RegisteredCheck]:
    """Every registered check of every module of this package, module by module in name
    order, each module's checks in the order they are defined."""
    found: list[RegisteredCheck] = []
    for info in sorted(pkgutil.iter_modules(__path__, f"{__name__}."), key=lambda item: item.name):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            marks: tuple[Registration, ...] = getattr(value, CHECK_MARK, ())
            # A check imported into another module is registered where it is defined, once.
            if not marks or getattr(value, "__module__", None) != module.__name__:
                continue
            rules = tuple(sorted({mark.rule.code: mark.rule for mark in marks}.values(), key=lambda rule: rule.code))
            node_types = tuple(dict.fromkeys(node_type for mark in marks for node_type in mark.node_types))
            if node_types and any(not mark.node_types for mark in marks):
                raise TypeError(f"{info.name}.{value.__name__}: a check is either per node or per file, not both")
            found.append(RegisteredCheck(value, rules, node_types))
    return found


def registry() -> tuple[dict[type[ast.AST], list[NodeCheck]], list[FileCheck]]:
    """The engine's dispatch table: node type -> the checks called with it, and the file checks."""
    node_checks: dict[type[ast.AST], list[NodeCheck]] = {}
    file_checks: list[FileCheck] = []
    for item in registered():
        if not item.node_types:
            file_checks.append(item.check)
        for node_type in item.node_types:
            node_checks.setdefault(node_type, []).append(item.check)
    return node_checks, file_checks
