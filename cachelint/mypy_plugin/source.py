"""Source text of mypy nodes, for messages that quote the code (as the flake8 plugin does).

mypy keeps positions but not text.  Columns are byte offsets of the UTF-8
line (they come from the stdlib ``ast``), so slicing is done on bytes.
"""

from __future__ import annotations

from mypy.nodes import Context


class SourceTexts:
    """Reads each file once per mypy run and slices node spans out of it."""

    def __init__(self) -> None:
        self._lines: dict[str, list[bytes]] = {}

    def _file(self, path: str) -> list[bytes]:
        lines = self._lines.get(path)
        if lines is None:
            try:
                with open(path, "rb") as handle:
                    lines = handle.read().splitlines()
            except OSError:
                lines = []
            self._lines[path] = lines
        return lines

    def forget(self, path: str) -> None:
        self._lines.pop(path, None)

    def text(self, path: str, node: Context, fallback: str = "...") -> str:
        """The source of ``node`` (joined onto one line), or ``fallback`` if unknown."""
        lines = self._file(path)
        end_line = node.end_line
        end_column = node.end_column
        if node.line < 1 or end_line is None or end_column is None or end_line > len(lines):
            return fallback
        if node.line == end_line:
            chunk = lines[node.line - 1][node.column : end_column]
        else:
            parts = [lines[node.line - 1][node.column :]]
            parts.extend(line.strip() for line in lines[node.line : end_line - 1])
            parts.append(lines[end_line - 1][:end_column].strip())
            chunk = b" ".join(part.strip() if i else part for i, part in enumerate(parts))
        text = chunk.decode("utf-8", "replace").strip()
        return text or fallback
