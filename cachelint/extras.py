"""The optional front ends: which extra installs each, and loading them without surprises.

``pip install cachelint`` is the runtime, the engine and ``cachelint check``
with pydantic alone, so production code that imports ``cachelint.runtime``
pulls in no lint tooling.  The other front ends need an extra; asking for one
that is not installed is a :class:`MissingExtra` whose text is the one line
to show (the CLI exits 2 with it).

The codemod still lives in the top-level ``codemods`` package beside
``cachelint``.  A project may have a ``codemods`` package of its own on
``sys.path`` (the working folder, for ``python -m cachelint``), so ours is
loaded from its own folder by location, never by searching ``sys.path``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

#: The extra that installs each optional import, and what needs it.
EXTRAS: dict[str, str] = {"libcst": "codemod", "pygls": "lsp", "lsprotocol": "lsp", "flake8": "flake8", "mypy": "mypy"}

_CODEMODS = Path(__file__).resolve().parent.parent / "codemods"


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


def _is_ours(module: ModuleType) -> bool:
    location = getattr(module, "__file__", None)
    return location is not None and Path(location).resolve().parent == _CODEMODS


def codemods_package() -> ModuleType:
    """cachelint's own ``codemods`` package, registered as ``codemods`` in ``sys.modules``.

    Meant for the ``cachelint`` process (the CLI, the language server): a
    different ``codemods`` already imported there is replaced, with its
    submodules, so ``codemods.*`` imports in this process and in forked
    workers resolve to ours.
    """
    loaded = sys.modules.get("codemods")
    if loaded is not None and _is_ours(loaded):
        return loaded
    init = _CODEMODS / "__init__.py"
    spec = importlib.util.spec_from_file_location("codemods", init, submodule_search_locations=[str(_CODEMODS)])
    if spec is None or spec.loader is None or not init.is_file():
        raise MissingExtra(f"cachelint's codemod is missing from {_CODEMODS}; reinstall cachelint")
    for name in [name for name in sys.modules if name == "codemods" or name.startswith("codemods.")]:
        del sys.modules[name]
    module = importlib.util.module_from_spec(spec)
    sys.modules["codemods"] = module
    spec.loader.exec_module(module)
    return module


def codemod(submodule: str) -> ModuleType:
    """``codemods.<submodule>`` from cachelint's own codemod, after checking its extra is installed."""
    codemods_package()
    return importlib.import_module(f"codemods.{submodule}")
