"""Column conventions: the engine counts UTF-8 bytes (as ``ast`` does); users see characters.

Every place cachelint shows a column to a person or a tool (the text, json,
github and SARIF formats, the flake8 plugin, the codemod's "needs manual fix"
lines excepted) uses **1-based Unicode code points**: the column an editor
shows, the column ruff prints, and SARIF's ``columnKind: unicodeCodePoints``.
On an ASCII line bytes and code points agree; on ``name = "café"; await
cache.get(...)`` they do not, and the same finding must not move between
formats.  The language server starts from the same code point columns and
lets pygls convert them to the unit the editor negotiated (UTF-16 by default).
"""

from __future__ import annotations


def char_column(line: bytes | str, byte_col: int) -> int:
    """The 0-based code point column of 0-based UTF-8 byte column ``byte_col`` on ``line``."""
    if byte_col <= 0:
        return byte_col
    data = line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line
    if data.isascii():
        return byte_col
    return len(data[:byte_col].decode("utf-8", "replace"))
