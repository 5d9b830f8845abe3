"""Where the imports the codemod adds go: in their isort section, sorted as ruff's ``I`` rules expect.

LibCST's ``AddImportsVisitor`` merges a name into an existing ``from m import``
(appending it) or adds a new statement after the last top-level import.  Both
can break ``ruff check --select I``: this module sorts the names of a merged
statement and moves a new statement into its section (future, standard
library, third party, first party, local), in module order, with one blank
line between sections.  First party means found under the project's source
roots, as ruff's default ``src`` does; ruff's ``known-first-party`` settings
are not read.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import libcst as cst

_FUTURE, _STDLIB, _THIRD, _FIRST, _LOCAL = range(5)


def first_party_in(roots: Iterable[Path]) -> Callable[[str], bool]:
    """A test: is this top-level module a package or module under one of ``roots``?"""
    folders = [Path(root) for root in roots]

    def test(top: str) -> bool:
        return any((folder / top).is_dir() or (folder / f"{top}.py").is_file() for folder in folders)

    return test


def _module_of(stmt: cst.BaseStatement) -> tuple[str, bool, int] | None:
    """(module, is-from, relative level) of a one-import statement line, else None."""
    if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
        return None
    node = stmt.body[0]
    if isinstance(node, cst.Import):
        return _dotted(node.names[0].name), False, 0
    if isinstance(node, cst.ImportFrom):
        module = _dotted(node.module) if node.module is not None else ""
        return module, True, len(node.relative)
    return None


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _member_key(name: str) -> tuple[int, str]:
    """ruff's order-by-type: CONSTANTS, then Classes, then everything else; case-insensitive within."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return kind, name.lower()


class _Sorter:
    def __init__(self, first_party: Callable[[str], bool]) -> None:
        self.first_party = first_party

    def section(self, module: str, level: int) -> int:
        if level:
            return _LOCAL
        top = module.partition(".")[0]
        if top == "__future__":
            return _FUTURE
        if top in sys.stdlib_module_names:
            return _STDLIB
        return _FIRST if self.first_party(top) else _THIRD

    def key(self, stmt: cst.BaseStatement) -> tuple[int, int, str] | None:
        found = _module_of(stmt)
        if found is None:
            return None
        module, is_from, level = found
        return self.section(module, level), int(is_from), module.lower()


def _sorted_names(stmt: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    node = stmt.body[0]
    assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
    names = list(node.names)
    ordered = sorted(names, key=lambda a: _member_key(_dotted(a.name)))
    if ordered == names:
        return stmt
    # Keep the separators where they were: the n-th alias gets the n-th comma.
    commas = [alias.comma for alias in names]
    aliases = [alias.with_changes(comma=comma) for alias, comma in zip(ordered, commas, strict=True)]
    return stmt.with_changes(body=[node.with_changes(names=aliases)])


def place(original: cst.Module, new: cst.Module, modules: set[str], first_party: Callable[[str], bool]) -> cst.Module:
    """``new`` with the imports of ``modules`` that the rewrite added or extended put in isort order,
    and the sections of the leading import block separated again where a removal joined them."""
    sorter = _Sorter(first_party)
    before = {original.code_for_node(stmt) for stmt in original.body}
    body = list(new.body)
    added: list[cst.SimpleStatementLine] = []
    kept: list[cst.BaseStatement] = []
    for stmt in body:
        found = _module_of(stmt)
        touched = found is not None and found[1] and found[0] in modules and new.code_for_node(stmt) not in before
        if not touched:
            kept.append(stmt)
            continue
        assert isinstance(stmt, cst.SimpleStatementLine)
        stmt = _sorted_names(stmt)
        if any(_module_of(old) == found for old in original.body):
            kept.append(stmt)  # an existing statement that gained a name: it stays where it is
        else:
            added.append(stmt.with_changes(leading_lines=[]))
    if not any(sorter.key(stmt) is not None for stmt in kept):
        return new.with_changes(body=body)  # no import block to join: LibCST's placement stands
    for stmt in added:
        kept = _insert(kept, stmt, sorter)
    return new.with_changes(body=_separate_sections(kept, sorter))


def _separate_sections(body: list[cst.BaseStatement], sorter: _Sorter) -> list[cst.BaseStatement]:
    """One blank line where the leading import block changes section: a removed import
    (``RemoveImportsVisitor``) takes the blank line before it along."""
    out = list(body)
    previous: tuple[int, int, str] | None = None
    for i, stmt in enumerate(out):
        key = sorter.key(stmt)
        if key is None:
            if previous is not None:
                break
            continue
        if previous is not None and previous[0] != key[0] and isinstance(stmt, cst.SimpleStatementLine):
            if not any(line.comment is None for line in stmt.leading_lines):
                out[i] = stmt.with_changes(leading_lines=[cst.EmptyLine(), *stmt.leading_lines])
        previous = key
    return out


def _insert(body: list[cst.BaseStatement], stmt: cst.SimpleStatementLine, sorter: _Sorter) -> list[cst.BaseStatement]:
    key = sorter.key(stmt)
    assert key is not None
    block = [i for i, s in enumerate(body) if sorter.key(s) is not None]
    # Only the leading import block counts: imports further down are the author's business.
    leading: list[int] = []
    for i in block:
        if leading and i != leading[-1] + 1:
            break
        leading.append(i)
    position = next((i for i in leading if sorter.key(body[i]) > key), leading[-1] + 1)  # type: ignore[operator]
    previous = sorter.key(body[position - 1]) if position - 1 in leading else None
    following = sorter.key(body[position]) if position in leading else None
    same_as_previous = previous is not None and previous[0] == key[0]
    same_as_following = following is not None and following[0] == key[0]
    blank = [cst.EmptyLine()]
    if previous is None:
        # First of the block: take over the block's leading lines (a comment, a blank after the docstring).
        first = body[position]
        assert isinstance(first, cst.SimpleStatementLine)
        stmt = stmt.with_changes(leading_lines=first.leading_lines)
        body = [
            *body[:position],
            first.with_changes(leading_lines=[] if same_as_following else blank),
            *body[position + 1 :],
        ]
    elif not same_as_previous:
        stmt = stmt.with_changes(leading_lines=blank)
    if following is not None:
        nxt = body[position]
        assert isinstance(nxt, cst.SimpleStatementLine)
        comments = [line for line in nxt.leading_lines if line.comment is not None]
        if previous is not None:
            nxt = nxt.with_changes(leading_lines=(comments if same_as_following else [*blank, *comments]))
        body = [*body[:position], nxt, *body[position + 1 :]]
    return [*body[:position], stmt, *body[position:]]
