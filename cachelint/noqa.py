"""``# noqa`` comments, with flake8's semantics, for the ``cachelint`` command.

flake8 filters the plugin's findings itself; the CLI has to do the same so
that both front ends report the same things:

* ``# noqa`` (any case) silences every finding on its line;
* ``# noqa: CLT101,CLT103`` silences those codes and codes starting with them
  (``# noqa: CLT1`` silences the whole family);
* a token spanning several lines (a multi-line string) shares one ``noqa``
  for all its lines, as flake8 joins them; a bracketed call spread over
  several lines does not (flake8 ends a range at each ``NL`` token), so the
  comment belongs on the line the finding is reported on;
* the raw line is searched, so ``"# noqa"`` inside a string counts too;
* a line that is only ``# flake8: noqa`` skips the file.

Tokenizing is slower than parsing, so :func:`filter_noqa` only tokenizes a
file that has findings and mentions ``noqa`` at all.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from typing import TypeVar

# Copied from flake8.defaults (flake8 7) so that both front ends agree.
NOQA_INLINE = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
NOQA_FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,\s]")

T = TypeVar("T")


def decode(source: bytes) -> str:
    """Source text as flake8 reads it: PEP 263 encoding, else latin-1."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        return source.decode(encoding)
    except (SyntaxError, UnicodeError, LookupError):
        return source.decode("latin-1")


def physical_lines(text: str) -> list[str]:
    """The file's lines as flake8 and ``tokenize`` count them (and as ``ast`` numbers them).

    Only ``\\n``, ``\\r\\n`` and a lone ``\\r`` end a line (universal newlines,
    what flake8's ``readlines`` sees); ``str.splitlines`` would also break at a
    form feed, U+2028 and a dozen other characters and shift every later line.
    """
    return io.StringIO(text, newline=None).readlines()


def noqa_lines(text: str) -> dict[int, str]:
    """Map each line number to the text searched for its ``noqa`` comment.

    Lines between two ``NL``/``NEWLINE`` tokens (the lines of a multi-line
    string) share their joined text, as in flake8's ``FileProcessor``.
    """
    lines = physical_lines(text)
    mapping: dict[int, str] = {}
    try:
        tokens = list(tokenize.generate_tokens(iter([*lines, ""]).__next__))
    except (tokenize.TokenError, SyntaxError):
        return {number: line for number, line in enumerate(lines, start=1)}
    sentinel = len(lines) + 2
    low, high = sentinel, -1
    for kind, _, (start, _), (end, _), _ in tokens:
        if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
            continue
        low = min(low, start)
        high = max(high, end)
        if kind in (tokenize.NL, tokenize.NEWLINE):
            joined = "".join(lines[low - 1 : high])
            for number in range(low, high + 1):
                mapping[number] = joined
            low, high = sentinel, -1
    return mapping


def is_silenced(code: str, line_text: str | None) -> bool:
    """Whether a finding ``code`` is silenced by a ``noqa`` comment in ``line_text``."""
    if not line_text:
        return False
    match = NOQA_INLINE.search(line_text)
    if match is None:
        return False
    codes_text = match.group("codes")
    if codes_text is None:
        return True
    codes = tuple(item for item in _SEPARATORS.split(codes_text) if item)
    return code in codes or code.startswith(codes)


def file_is_skipped(text: str) -> bool:
    """A line holding only ``# flake8: noqa`` makes flake8 skip the file."""
    return any(NOQA_FILE.match(line) for line in physical_lines(text))


def filter_noqa(source: bytes | str, findings: Sequence[T], key: Iterable[tuple[int, str]]) -> list[T]:
    """The findings not silenced by ``noqa`` comments.

    ``source`` is the file's bytes (decoded as flake8 does) or its text;
    ``key`` yields ``(line, code)`` for each finding, in the same order.
    """
    keys = list(key)
    marker = "noqa" if isinstance(source, str) else b"noqa"
    if not findings or marker not in source.lower():  # type: ignore[operator]
        return list(findings)
    text = source if isinstance(source, str) else decode(source)
    if file_is_skipped(text):
        return []
    mapping = noqa_lines(text)
    return [
        finding
        for finding, (line, code) in zip(findings, keys, strict=True)
        if not is_silenced(code, mapping.get(line))
    ]
