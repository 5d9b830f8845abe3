"""Command-line parsing shared by ``cachelint`` and ``cachelint fix --stdin-filename``.

Below both :mod:`cachelint.cli` and :mod:`cachelint.fixing`, so neither
imports the other for it.  Options follow ruff's habits: no abbreviated
options, and a suggestion for a mistyped option or command.
"""

from __future__ import annotations

import argparse
from typing import NoReturn


class Parser(argparse.ArgumentParser):
    """argparse without abbreviations, and with a suggestion for a mistyped option."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _known_options(self) -> list[str]:
        options = list(self._option_string_actions)
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                for parser in action.choices.values():
                    options.extend(parser._option_string_actions)
        return options

    def error(self, message: str) -> NoReturn:
        prefix = "unrecognized arguments: "
        if message.startswith(prefix):
            import difflib

            hints: list[str] = []
            for word in message[len(prefix) :].split():
                if word.startswith("-"):
                    close = difflib.get_close_matches(word.split("=", 1)[0], self._known_options(), n=1, cutoff=0.6)
                    if close:
                        hints.append(f"did you mean '{close[0]}' for '{word}'?")
            if hints:
                message = f"{message} ({'; '.join(hints)})"
        elif message.startswith("argument COMMAND: invalid choice: "):
            import difflib
            import re

            typed = re.search(r"invalid choice: '([^']*)'", message)
            choices = [c for a in self._actions if isinstance(a, argparse._SubParsersAction) for c in a.choices]
            close = difflib.get_close_matches(typed.group(1), choices, n=1) if typed else []
            if close:
                message = f"{message} (did you mean '{close[0]}'?)"
        super().error(message)
