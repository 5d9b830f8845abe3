"""Source spans shared by the planners and the LibCST rewrite: ``ast`` byte columns to LibCST characters."""

from __future__ import annotations

import ast
import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A node's source range with 1-based lines and 0-based *character* columns (LibCST's)."""

    line: int
    col: int
    end_line: int
    end_col: int


class Columns:
    """Converts ``ast`` columns (UTF-8 bytes) to LibCST columns (characters)."""

    def __init__(self, text: str) -> None:
        # Only \n, \r\n and \r end a line for Python; str.splitlines would also split on \f, \x1c...
        self._lines = io.StringIO(text, newline="").readlines()

    def chars(self, line: int, byte_col: int) -> int:
        if not 0 < line <= len(self._lines):
            return byte_col
        text = self._lines[line - 1]
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))

    def span(self, node: ast.AST) -> Span:
        line: int = getattr(node, "lineno", 1)
        col: int = getattr(node, "col_offset", 0)
        end_line: int = getattr(node, "end_lineno", None) or line
        end_col: int = getattr(node, "end_col_offset", None) or col
        return Span(line, self.chars(line, col), end_line, self.chars(end_line, end_col))
