"""Colour on a terminal, as ruff does: on for a TTY, off otherwise; ``NO_COLOR`` and ``FORCE_COLOR`` decide first.

``NO_COLOR`` (any non-empty value, https://no-color.org) wins over
``FORCE_COLOR`` (any non-empty value): a user who asked for no colour gets
none.  Machine formats and ``--output-file`` are never coloured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TextIO


def wants_colour(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    if env.get("FORCE_COLOR", ""):
        return True
    if env.get("TERM", "") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass(frozen=True)
class Style:
    """ANSI styling; every method returns its text unchanged when ``enabled`` is false."""

    enabled: bool

    def _wrap(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled else text

    def path(self, text: str) -> str:
        return self._wrap(text, "1")

    def location(self, text: str) -> str:
        return self._wrap(text, "36")

    def code(self, text: str) -> str:
        return self._wrap(text, "1;31")

    def success(self, text: str) -> str:
        return self._wrap(text, "32")

    def note(self, text: str) -> str:
        return self._wrap(text, "2")


PLAIN = Style(False)
