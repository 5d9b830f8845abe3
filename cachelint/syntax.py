"""Why a file cannot be parsed, in one line: the parser's message, and the Python version it needs.

A project may target a newer Python than the interpreter cachelint runs on
(pre-commit's default ``python3``, an older CI image).  The parser then says
only "invalid syntax"; this module recognises the syntax that is certain to
belong to a newer version and names it, so the fix (run cachelint on that
version: pre-commit's ``language_version``) is obvious.  Only constructs that
cannot be valid in any older version are named; anything else keeps the
parser's own message.
"""

from __future__ import annotations

import io
import sys
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass

#: ``(major, minor)`` of the running interpreter, a parameter so tests can ask about others.
Version = tuple[int, int]


@dataclass(frozen=True)
class NewerSyntax:
    version: Version
    feature: str

    def text(self) -> str:
        return f"requires Python {self.version[0]}.{self.version[1]}+ ({self.feature})"


def _tokens(line: str) -> list[tokenize.TokenInfo]:
    out: list[tokenize.TokenInfo] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(line).readline):
            if token.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.COMMENT):
                continue
            if token.type in (tokenize.INDENT, tokenize.DEDENT):
                continue
            out.append(token)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass  # a line cut from its context may leave brackets open: the tokens so far are enough
    return out


def _words(tokens: Sequence[tokenize.TokenInfo]) -> list[str]:
    return [token.string for token in tokens]


def _type_params(words: list[str]) -> list[str] | None:
    """The tokens inside ``[...]`` after ``class NAME``, ``def NAME`` or ``type NAME`` (PEP 695)."""
    if words[:1] == ["async"]:
        words = words[1:]
    if len(words) < 3 or words[0] not in ("class", "def", "type") or words[2] != "[":
        return None
    if not words[1].isidentifier():
        return None
    depth = 0
    inside: list[str] = []
    for word in words[2:]:
        if word == "[":
            depth += 1
            if depth == 1:
                continue
        elif word == "]":
            depth -= 1
            if depth == 0:
                return inside
        inside.append(word)
    return inside


def newer_syntax(line: str) -> NewerSyntax | None:
    """The newest-version construct that starts ``line``, if it is one no older Python accepts."""
    words = _words(_tokens(line.strip()))
    if not words:
        return None
    params = _type_params(words)
    if params is not None:
        # PEP 696 defaults (``[T = int]``) came a version after PEP 695's brackets.
        depth = 0
        for word in params:
            depth += word in "([{"
            depth -= word in ")]}"
            if word == "=" and depth == 0:
                return NewerSyntax((3, 13), "PEP 696 type parameter defaults")
        return NewerSyntax((3, 12), "PEP 695 type parameters")
    if len(words) >= 3 and words[0] == "type" and words[1].isidentifier() and words[2] == "=":
        return NewerSyntax((3, 12), "PEP 695 `type` statement")
    if words[:2] == ["except", "*"]:
        return NewerSyntax((3, 11), "PEP 654 `except*`")
    if words[0] == "except" and words[-1] == ":" and "," in words and "as" not in words and words[1] != "(":
        return NewerSyntax((3, 14), "PEP 758 `except` without parentheses")
    return None


def parse_error_message(error: SyntaxError, source: bytes | str, running: Version | None = None) -> str:
    """``cannot parse: MESSAGE``, plus the Python version the failing line needs when it is newer."""
    message = f"cannot parse: {error.msg}"
    running = running or (sys.version_info.major, sys.version_info.minor)
    line_number = error.lineno or 0
    if line_number <= 0:
        return message
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    lines = text.splitlines()
    if line_number > len(lines):
        return message
    needed = newer_syntax(lines[line_number - 1])
    if needed is None or needed.version <= running:
        return message
    return f"{message}: {needed.text()}, running {running[0]}.{running[1]}"
