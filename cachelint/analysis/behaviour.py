"""What a function's body does, read on demand: decorator wrappers, awaitables, store access.

Summaries (``index.py``) keep signatures, not bodies, so that they stay small
for the life of a process.  A few judgements need a body:

- the effect of a project decorator on the method it wraps (a plain ``def``
  wrapper keeps it synchronous, an ``async def`` wrapper makes it async, a
  decorator returning its argument changes nothing);
- whether an unannotated plain ``def`` may hand back an awaitable
  (``return loop.run_in_executor(...)``);
- whether a method reaches a store (CLT104 reports blocking I/O, not key
  builders): which ``self`` methods and ``self.x`` attributes it calls, and
  whether it calls file, network or process I/O itself.

These are asked only for methods of caches that are actually called, so the
module's file is parsed again then, and the few most recent trees are kept.
"""

from __future__ import annotations

import ast
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cachelint.policy import AWAITABLE_MAKERS, FILE_METHODS, DecoratorEffect, is_io_call

_TREES = 16
_MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class MethodBody:
    """What one method's body calls, for the store-access judgement."""

    #: ``self.m(...)``: methods of the same object called.
    self_calls: frozenset[str]
    #: ``self.x.m(...)``: (attribute, method) pairs.
    attr_calls: frozenset[tuple[str, str]]
    #: Calls a known blocking I/O function itself (``open``, ``requests.get``, ...).
    io: bool
    #: An unannotated plain ``def`` that may return an awaitable.
    may_return_awaitable: bool


class Bodies:
    """Function bodies by file and line, parsed on demand (a few trees kept)."""

    def __init__(self) -> None:
        self._trees: OrderedDict[Path, ast.Module | None] = OrderedDict()
        self._functions: dict[Path, dict[tuple[str, int], ast.FunctionDef | ast.AsyncFunctionDef]] = {}

    def clear(self) -> None:
        self._trees.clear()
        self._functions.clear()

    def _tree(self, path: Path) -> ast.Module | None:
        if path in self._trees:
            self._trees.move_to_end(path)
            return self._trees[path]
        tree: ast.Module | None = None
        try:
            if path.stat().st_size <= _MAX_BYTES:
                tree = ast.parse(path.read_bytes(), filename=str(path))
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        self._trees[path] = tree
        if len(self._trees) > _TREES:
            dropped, _ = self._trees.popitem(last=False)
            self._functions.pop(dropped, None)
        return tree

    def function(self, path: Path | None, name: str, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The ``def`` named ``name`` whose ``def`` line (or first decorator's) is ``line``."""
        if path is None:
            return None
        tree = self._tree(path)
        if tree is None:
            return None
        functions = self._functions.get(path)
        if functions is None:
            functions = self._functions[path] = {}
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for start in {node.lineno, *(d.lineno for d in node.decorator_list)}:
                        functions[(node.name, start)] = node
        return functions.get((name, line))


def _returned_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr | None]:
    """Values of the ``return`` statements of ``func`` itself (nested scopes excluded)."""
    found: list[ast.expr | None] = []
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Return):
            found.append(node.value)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _nested_defs(func: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    return {
        stmt.name: stmt
        for stmt in ast.walk(func)
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt is not func
    }


def _callee_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def may_return_awaitable(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A plain ``def`` whose returns include a call known to make an awaitable."""
    for value in _returned_names(func):
        if isinstance(value, ast.Call) and _callee_name(value) in AWAITABLE_MAKERS:
            return True
    return False


@dataclass(frozen=True)
class Wrapper:
    """The effect of a decorator on the function it decorates."""

    effect: DecoratorEffect
    #: The wrapper takes ``(*args, **kwargs)``, so the decorated function's own signature still binds.
    keeps_signature: bool


_UNKNOWN = Wrapper("unknown", False)


def decorator_wrapper(func: ast.FunctionDef | ast.AsyncFunctionDef, depth: int = 0) -> Wrapper:
    """What applying the decorator ``func`` (or the decorator a factory ``func`` returns) does.

    Follows returned nested ``def``s to the innermost one: a ``def`` returning its
    own parameter leaves the function as written (``"none"``); a returned
    wrapper that is ``async def`` makes it async; a plain ``def`` wrapper keeps it
    synchronous unless it returns an awaitable.  Anything else is unknown.
    """
    if depth > 3 or isinstance(func, ast.AsyncFunctionDef):
        return _UNKNOWN
    returns = _returned_names(func)
    if not returns:
        return _UNKNOWN
    params = {a.arg for a in [*func.args.posonlyargs, *func.args.args, *func.args.kwonlyargs]}
    nested = _nested_defs(func)
    results: set[Wrapper] = set()
    for value in returns:
        if isinstance(value, ast.Name) and value.id in params:
            results.add(Wrapper("none", True))
        elif isinstance(value, ast.Name) and value.id in nested:
            inner = nested[value.id]
            if _is_wrapper(inner):
                results.add(_wrapper_effect(inner))
            else:
                results.add(decorator_wrapper(inner, depth + 1))
        else:
            return _UNKNOWN
    if len(results) != 1:
        return _UNKNOWN
    return results.pop()


def _is_wrapper(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A wrapper calls something and does not return a nested ``def`` (that would be a decorator)."""
    nested = _nested_defs(func)
    return not any(isinstance(value, ast.Name) and value.id in nested for value in _returned_names(func))


def _wrapper_effect(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Wrapper:
    args = func.args
    spread = args.vararg is not None and args.kwarg is not None
    if isinstance(func, ast.AsyncFunctionDef):
        return Wrapper("async", spread)
    if may_return_awaitable(func):
        return _UNKNOWN
    return Wrapper("sync", spread)


def method_body(func: ast.FunctionDef | ast.AsyncFunctionDef, qualify: Callable[[ast.expr], str | None]) -> MethodBody:
    """The calls of a method's body that tell whether it reaches a store."""
    args = [*func.args.posonlyargs, *func.args.args]
    self_name = args[0].arg if args else None
    self_calls: set[str] = set()
    attr_calls: set[tuple[str, str]] = set()
    io = False
    for node in ast.walk(func):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        if isinstance(callee, ast.Attribute):
            owner = callee.value
            if isinstance(owner, ast.Name) and owner.id == self_name:
                self_calls.add(callee.attr)
                continue
            if isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name) and owner.value.id == self_name:
                attr_calls.add((owner.attr, callee.attr))
                continue
        if isinstance(callee, ast.Attribute) and callee.attr in FILE_METHODS:
            io = True  # path.read_bytes(): only file objects and paths spell these
            continue
        name = qualify(callee) if isinstance(callee, (ast.Name, ast.Attribute)) else None
        if name is not None and is_io_call(name):
            io = True
    unannotated = func.returns is None and isinstance(func, ast.FunctionDef)
    return MethodBody(frozenset(self_calls), frozenset(attr_calls), io, unannotated and may_return_awaitable(func))


__all__ = ["Bodies", "MethodBody", "Wrapper", "decorator_wrapper", "may_return_awaitable", "method_body"]
