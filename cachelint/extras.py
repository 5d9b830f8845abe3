"""The optional front ends: which extra installs each, and loading them without surprises.

``pip install cachelint`` is the runtime, the engine and ``cachelint check``
with pydantic alone, so production code that imports ``cachelint.runtime``
pulls in no lint tooling.  The other front ends need an extra; asking for one
that is not installed is a :class:`MissingExtra` whose text is the one line
to show (the CLI exits 2 with it).

The codemod lives in :mod:`cachelint.codemod`, inside this package, so a
project's own top-level ``codemods`` package neither shadows it nor is
shadowed by it: plain imports suffice.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

#: The extra that installs each optional import, and what needs it.
EXTRAS: dict[str, str] = {"libcst": "codemod", "pygls": "lsp", "lsprotocol": "lsp", "flake8": "flake8", "mypy": "mypy"}


class MissingExtra(Exception):
    """An optional dependency is not installed; ``str(error)`` names the extra to install."""


def require(feature: str, *modules: str) -> None:
    """Raise :class:`MissingExtra` unless every module is importable (found, not imported)."""
    for module in modules:
        if importlib.util.find_spec(module) is None:
            extra = EXTRAS[module]
            raise MissingExtra(
                f"{feature} needs the [{extra}] extra ({module} is not installed): pip install 'cachelint[{extra}]'"
            )


def codemod(submodule: str) -> ModuleType:
    """``cachelint.codemod.<submodule>``, imported on demand (callers check the extra with :func:`require`)."""
    return importlib.import_module(f"cachelint.codemod.{submodule}")
