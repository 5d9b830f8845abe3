"""The summary skeleton: a module's source without the code its summary never reads.

The project index summarises every module an import reaches (see
:func:`cachelint.analysis.index.summarize`), and most of a module is function
bodies the summary never looks at.  Building AST nodes for them is most of the
parse.  :func:`summary_source` returns a text in which

- every function outside a class body (at module level, or in any block of
  statements there: ``if TYPE_CHECKING:``, ``try:``, ``for``...) keeps its
  header (decorators, signature, the ``:``) and gets ``...`` for a body;
- a method (a ``def`` directly in a class body) gets the same, unless its body
  may assign a ``<name>.attr`` (the summary records ``self.x = ...`` and
  ``self.x: T`` at any depth): then it is kept whole.  That test is a regular
  expression that errs on the side of keeping;
- everything else is kept byte for byte.  Dropped lines become empty lines, so
  every kept line and column is where it was.

It answers ``None`` whenever it is not sure the trimmed text summarises the
same: a tab or form feed in an indentation, a lone ``\\r``, a NUL byte, an
encoding other than UTF-8, a bracket nesting deeper than :data:`MAX_DEPTH`, a
line the scanner cannot read, Python 3.10 (no possessive quantifiers), and, from
3.12 on (PEP 701), any f-string whose replacement fields it cannot scan exactly.
The caller then parses the full source.

The scanner works on whole logical lines and whole blocks with regular
expressions (strings, comments, bracket groups and backslash continuations are
matched in C), so a function body costs one match however long it is.  A syntax
error *inside a dropped body* that the scanner does not need to see (``x = = 1``,
``(]``, an inconsistent dedent) is not detected: such a module gets a summary
where a full parse gets none.  Unterminated strings and brackets, a missing or
unexpected indented block, and bad indentation between kept statements are.
"""

from __future__ import annotations

import re
import sys

__all__ = ["MAX_DEPTH", "summary_source"]

#: Bracket groups nested deeper than this make the scanner give up (the pattern is unrolled).
MAX_DEPTH = 20

_BOM = b"\xef\xbb\xbf"
_IDENT_START = rb"[A-Za-z_\x80-\xff]"
_IDENT_CHAR = rb"[\w\x80-\xff]"

# A string literal by the tokenizer's rules up to 3.11: its prefix does not
# change where it ends (``r"\""`` is one string), so the prefix letters are left
# to the surrounding pattern.  Triple quotes are tried first.
_STRING = (
    rb'"""(?:[^"\\]++|\\[\s\S]|"(?!""))*+"""'
    rb"|'''(?:[^'\\]++|\\[\s\S]|'(?!''))*+'''"
    rb'|"(?:[^"\\\r\n]++|\\(?:\r\n|[\s\S]))*+"'
    rb"|'(?:[^'\\\r\n]++|\\(?:\r\n|[\s\S]))*+'"
)
_COMMENT = rb"#[^\r\n]*+"
_CONTINUATION = rb"\\\r?\n"


def _group(depth: int) -> bytes:
    """A bracket group nested at most ``depth`` deep (kinds are not paired: see the module note)."""
    inner = rb"[^'\"#\\()\[\]{}]++|" + _STRING + rb"|" + _COMMENT + rb"|" + _CONTINUATION
    if depth > 1:
        inner += rb"|" + _group(depth - 1)
    return rb"[(\[{](?:" + inner + rb")*+[)\]}]"


_GROUP = _group(MAX_DEPTH)
# The rest of a logical line, from its first token to its newline included.
_LOGICAL = (
    rb"(?:[^'\"#\\()\[\]{}\r\n]++|" + _STRING + rb"|" + _GROUP + rb"|" + _CONTINUATION + rb")*+"
    rb"(?:" + _COMMENT + rb")?\r?\n"
)
# A form feed may stand on a blank or comment line (it separates sections in some code).
_BLANK_LINE = rb"[ \f]*+(?:" + _COMMENT + rb")?\r?\n"

if sys.version_info >= (3, 11):
    _LOGICAL_RE: re.Pattern[bytes] | None = re.compile(_LOGICAL)
    # Blank and comment lines, then the next line's indentation (group 1).
    _LEAD_RE: re.Pattern[bytes] | None = re.compile(rb"(?:" + _BLANK_LINE + rb")*+([ ]*+)")
    # ``def name ... :`` up to the colon that ends the header (the first one outside brackets and strings).
    _DEF_RE: re.Pattern[bytes] | None = re.compile(
        rb"(?:async[ \t]++)?def[ \t]++" + _IDENT_START + rb"(?:[^:'\"#\\()\[\]{}\r\n]++|"
        rb"" + _STRING + rb"|" + _GROUP + rb"|" + _CONTINUATION + rb")*+:"
    )
else:  # pragma: no cover - Python 3.10 has no possessive quantifiers: always parse in full
    _LOGICAL_RE = _LEAD_RE = _DEF_RE = None

# Any statement that starts with the keyword ``class`` defines a class (even ``class\<newline> C:``).
_CLASS_RE = re.compile(rb"class(?!" + _IDENT_CHAR + rb")")
# Nothing after the header's colon but a comment: the body is an indented block.
_NO_INLINE_BODY_RE = re.compile(rb"[ \t]*+(?:" + _COMMENT + rb")?\r?\n")
# A tab anywhere in an indentation, or a form feed before a line's first token (it resets the column).
_TABBED_INDENT_RE = re.compile(rb"^[ \f]*(?:\t|\f[ \f]*[^ \f\r\n#])", re.MULTILINE)
_CODING_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)

# A statement that may assign ``<name>.attr = ...`` or ``<name>.attr: T``: at a line
# start, after ``;`` or after a compound header's ``:``, an optionally parenthesised
# ``name . attr`` (comments, newlines and continuations allowed between the tokens
# inside brackets), then ``=`` (not ``==``) or ``:``.  It matches more than that
# (``x[a: b.c:]``), which only keeps a body that could have been dropped.
_GAP_BEFORE = rb"[ \t\f\r\n(\\]*+(?:" + _COMMENT + rb"[ \t\f\r\n(\\]*+)*+"
_GAP_AFTER = rb"[ \t\f\r\n)\\]*+(?:" + _COMMENT + rb"[ \t\f\r\n)\\]*+)*+"
_GAP_DOT = rb"[ \t\f\r\n\\]*+(?:" + _COMMENT + rb"[ \t\f\r\n\\]*+)*+"
_ATTR_TARGET = rb"\." + _GAP_DOT + _IDENT_CHAR + rb"++" + _GAP_AFTER + rb"(?:=(?!=)|:)"
_SELF_ASSIGN_RE = re.compile(rb"[\n;:]" + _GAP_BEFORE + _IDENT_CHAR + rb"++" + _GAP_AFTER + _ATTR_TARGET)
# The same without the statement start: a search led by a literal, so cheap; most bodies fail it.
_SELF_ASSIGN_HINT_RE = re.compile(_ATTR_TARGET)

# PEP 701 (3.12) lets an f-string's replacement field hold any expression, the same
# quote included, so its extent can differ from the one :data:`_STRING` finds.  Every
# possible f-string (t-string from 3.14) start is checked; false starts only make us
# give up more often.
_FSTRING_START_RE = re.compile(rb"(?<![\w\x80-\xff])(?:[fFtT][rR]?|[rR][fFtT])(?=['\"])")
_STRING_RE = re.compile(_STRING)
_BRACES_RE = re.compile(rb"[{}]")
_FIELD_UNSAFE_RE = re.compile(rb"['\"\\#]")
# A one-line string without braces, quotes of the other kind, backslashes or ``#``
# (``f"{d['key']}"``): inside a field it cannot move the f-string's end, and in the
# literal part it is text.  A pair that would span a field's edge holds a brace.
_PLAIN_NESTED_STRING_RE = re.compile(rb"'[^'\"{}\\#\r\n]*'|\"[^'\"{}\\#\r\n]*\"")

_block_res: dict[int, re.Pattern[bytes]] = {}


class _Unsure(Exception):
    """The scanner met something it cannot vouch for: the caller parses the full source."""


def summary_source(source: bytes) -> bytes | None:
    """The skeleton of ``source`` for :func:`~cachelint.analysis.index.summarize`, or ``None`` if unsure.

    Parsing the result gives the same summary as parsing ``source``, with every
    kept node at the same line and column.
    """
    if _LOGICAL_RE is None:
        return None
    bom = source.startswith(_BOM)
    text = source[len(_BOM) :] if bom else source
    if not _plain(text):
        return None
    if not text.endswith(b"\n"):
        text += b"\n"
    scan = _Scan(text)
    try:
        scan.block(0, 0, in_class=False)
    except (_Unsure, RecursionError):
        return None
    if scan.position != len(text):
        return None
    result = b"".join(scan.out)
    if result.count(b"\n") != text.count(b"\n"):  # a line lost or gained: never hand that out
        return None
    return _BOM + result if bom else result


def _plain(text: bytes) -> bool:
    """Whether the text is one the scanner reads exactly (see the module docstring)."""
    if b"\0" in text:
        return False
    if b"\r" in text and text.count(b"\r") != text.count(b"\r\n"):
        return False
    if (b"\t" in text or b"\f" in text) and _TABBED_INDENT_RE.search(text) is not None:
        return False
    head = text.split(b"\n", 2)[:2]
    for line in head:
        cookie = _CODING_RE.match(line)
        if cookie is not None and cookie.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
            return False
    return sys.version_info < (3, 12) or _fstrings_scannable(text)


def _fstrings_scannable(text: bytes) -> bool:
    """From 3.12: every f-string ends where a 3.11 string would, as far as we can tell.

    The 3.12 tokenizer ends an f-string at the quote :data:`_STRING` finds unless a
    replacement field is still open there.  A field the scan can follow holds no
    backslash, ``#`` or quote (but plain strings, see :data:`_PLAIN_NESTED_STRING_RE`),
    and its braces never close more than they opened.
    """
    if b"{" not in text:
        return True
    for start in _FSTRING_START_RE.finditer(text):
        literal = _STRING_RE.match(text, start.end())
        if literal is None:
            continue  # not a string start after all (the real one would fail the main scan)
        body = literal.group()
        if b"{" not in body and b"}" not in body:
            continue
        quotes = 3 if body[:3] in (b'"""', b"'''") else 1
        content = _PLAIN_NESTED_STRING_RE.sub(b"", body[quotes:-quotes])
        if _FIELD_UNSAFE_RE.search(content) is not None:
            return False
        depth = 0
        for brace in _BRACES_RE.findall(content):
            depth += 1 if brace == b"{" else -1
            if depth < 0:
                return False
        if depth:
            return False
    return True


def _block_re(indent: int) -> re.Pattern[bytes]:
    """Blank and comment lines, and logical lines indented deeper than ``indent``: a body."""
    found = _block_res.get(indent)
    if found is None:
        found = re.compile(rb"(?:" + _BLANK_LINE + rb"|[ ]{%d,}+(?=[^ \r\n#])" % (indent + 1) + _LOGICAL + rb")*+")
        _block_res[indent] = found
    return found


class _Scan:
    """One pass over a module: ``out`` collects the skeleton's pieces in order."""

    def __init__(self, text: bytes) -> None:
        self.text = text
        self.out: list[bytes] = []
        self.position = 0

    def _lead(self, pos: int) -> tuple[int, int]:
        """The next content line after ``pos``: where its text starts, and its indentation."""
        assert _LEAD_RE is not None
        lead = _LEAD_RE.match(self.text, pos)
        assert lead is not None  # the pattern matches the empty string
        return lead.end(), lead.end() - lead.start(1)

    def block(self, pos: int, indent: int, *, in_class: bool) -> int:
        """Statements at exactly ``indent`` spaces from ``pos``; the position of the first shallower line."""
        text, out, size = self.text, self.out, len(self.text)
        while True:
            start, width = self._lead(pos)
            if start >= size:
                out.append(text[pos:])
                pos = size
                break
            if width < indent:
                line = start - width
                out.append(text[pos:line])
                pos = line
                break
            if width > indent:
                raise _Unsure  # an unexpected indent: let the full parse say so
            pos = self._statement(pos, start, indent, in_class=in_class)
        self.position = pos
        return pos

    def _statement(self, line: int, start: int, indent: int, *, in_class: bool) -> int:
        """The statement whose first token is at ``start`` (``line`` is where its blank lines begin)."""
        text = self.text
        assert _LOGICAL_RE is not None and _DEF_RE is not None
        logical = _LOGICAL_RE.match(text, start)
        if logical is None:
            raise _Unsure
        end = logical.end()
        if text.startswith((b"def", b"async"), start):
            header = _DEF_RE.match(text, start, end)
            if header is not None and b"lambda" not in text[start : header.end()]:
                return self._function(line, header.end(), end, indent, in_class=in_class)
        self.out.append(text[line:end])
        is_class = text.startswith(b"class", start) and _CLASS_RE.match(text, start) is not None
        return self._children(end, indent, in_class=is_class)

    def _children(self, pos: int, indent: int, *, in_class: bool) -> int:
        """The indented block after a kept statement, if any, scanned as statements."""
        start, width = self._lead(pos)
        if start >= len(self.text) or width <= indent:
            return pos
        return self.block(pos, width, in_class=in_class)

    def _function(self, line: int, colon: int, end: int, indent: int, *, in_class: bool) -> int:
        """A ``def`` whose header ends at ``colon`` and whose first logical line ends at ``end``."""
        text = self.text
        start, width = self._lead(end)
        deeper = start < len(text) and width > indent
        if _NO_INLINE_BODY_RE.match(text, colon, end) is not None:
            if not deeper:
                raise _Unsure  # "expected an indented block"
            body = _block_re(indent).match(text, end)
            assert body is not None  # the pattern matches the empty string
            body_end = body.end()
        elif deeper:
            raise _Unsure  # an inline body followed by an indented line
        else:
            body_end = end
        if (
            in_class
            and _SELF_ASSIGN_HINT_RE.search(text, colon, body_end) is not None
            and _SELF_ASSIGN_RE.search(text, colon - 1, body_end) is not None
        ):
            # A method that may record ``self.x``: kept whole (``_statements`` reads any depth).
            self.out.append(text[line:body_end])
            return body_end
        self.out.append(text[line:colon])
        self.out.append(b" ...")
        self.out.append(b"\n" * text.count(b"\n", colon, body_end))
        return body_end
