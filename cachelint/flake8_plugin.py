"""The flake8 adapter: engine diagnostics -> flake8 results.  No detection lives here.

Settings come from the nearest ``pyproject.toml`` (``[tool.cachelint]``) of
each checked file; the ``--cachelint-*`` options (command line or flake8
config) override single keys.  CLT104 is off by default through
``extend_default_ignore``; ``--extend-select CLT104`` turns it on.  flake8
runs every plugin whatever is selected, so a run that selects no CLT code
(``--select E9``) is told apart here and analyses nothing.

Garbage-collector tuning (:mod:`cachelint.collector`) happens only in a
process flake8 runs for its own sake: the ``flake8`` command (``flake8``,
``python -m flake8``), which exits when the run ends, and the worker processes
it forks or spawns for ``--jobs``.  When flake8 is called as a library inside
another program (an editor, a test runner), the host's collector is left alone.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from cachelint import __version__, rules
from cachelint.config import ConfigError, Settings, load_settings
from cachelint.positions import char_column
from cachelint.workspace import Exclusions

# Not a rule: the code of the result lines that report a broken nested configuration
# or a check that failed on a file (the engine's INTERNAL_ERROR_CODE).
CONFIG_ERROR_CODE = "CLT000"

# flake8 option name -> (Settings field, is a path list)
_OPTIONS: dict[str, tuple[str, bool]] = {
    "cachelint-sync-cache-classes": ("sync_cache_classes", False),
    "cachelint-async-cache-classes": ("async_cache_classes", False),
    "cachelint-not-cache-classes": ("not_cache_classes", False),
    "cachelint-cache-methods": ("cache_methods", False),
    "cachelint-extra-model-bases": ("extra_model_bases", False),
    "cachelint-validators": ("validators", False),
    "cachelint-receiver-name-patterns": ("receiver_name_patterns", False),
    "cachelint-source-roots": ("source_roots", True),
}


def _selects_ours(options: argparse.Namespace) -> bool:
    """Whether flake8 could show any CLT code under ``options``.

    flake8 runs every installed plugin whatever ``--select`` says and filters
    the results afterwards, so a run that selects only other codes
    (``--select E9``) would pay for the engine and show nothing of it.  A code
    is shown when it starts with an entry of ``--select``/``--extend-select``;
    without ``--select``, flake8 selects every plugin's codes.
    """
    select = getattr(options, "select", None)
    if not select:
        return True
    entries = [*select, *(getattr(options, "extend_select", None) or [])]
    return any(entry and (rules.PREFIX.startswith(entry) or entry.startswith(rules.PREFIX)) for entry in entries)


def _flake8_owns_process() -> bool:
    """Whether this process exists only to run flake8: its command, or one of its workers."""
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name in ("flake8", "flake8.__main__"):
        return True  # python -m flake8 (and its forked workers, which share __main__)
    script = os.path.basename(getattr(main, "__file__", None) or "")
    if script in ("flake8", "flake8.exe", "flake8-script.py"):
        return True  # the console script
    # A spawned worker of flake8's pool: flake8 sets this in its pool initializer.
    import multiprocessing

    checker = sys.modules.get("flake8.checker")
    return multiprocessing.parent_process() is not None and getattr(checker, "_mp", None) is not None


class CacheLintChecker:
    """flake8 ``tree`` plugin for the CLT codes."""

    name = "cachelint"
    version = __version__
    overrides: ClassVar[dict[str, Any]] = {}
    _settings: ClassVar[dict[Path, Settings]] = {}
    _reported: ClassVar[set[str]] = set()
    _exclusions: ClassVar[Exclusions | None] = None
    #: Whether any CLT code can be shown (:func:`_selects_ours`); when not, files are not analysed.
    _active: ClassVar[bool] = True
    #: Each folder's configuration as read, overrides not applied (exclusions read it so).
    _configs: ClassVar[dict[str, Settings]] = {}
    #: Whether :func:`_flake8_owns_process`, decided on the first file.
    _tune_collector: ClassVar[bool | None] = None

    def __init__(self, tree: ast.AST, filename: str, lines: list[str] | None = None) -> None:
        self.tree = tree
        self.filename = filename
        # flake8 hands the file's lines to plugins that ask: columns are then shown
        # in code points, as every cachelint front end does (cachelint.positions).
        self.lines = lines or []

    @classmethod
    def add_options(cls, manager: Any) -> None:
        for option, (field, _) in _OPTIONS.items():
            manager.add_option(
                f"--{option}",
                default=None,
                parse_from_config=True,
                comma_separated_list=True,
                help=f"cachelint: overrides [tool.cachelint] {field.replace('_', '-')} (comma-separated).",
            )
        manager.extend_default_ignore(list(rules.DEFAULT_OFF))

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        overrides: dict[str, Any] = {}
        for option, (field, is_path) in _OPTIONS.items():
            value = getattr(options, option.replace("-", "_"), None)
            if value:
                items = tuple(item.strip() for item in value if item.strip())
                overrides[field] = tuple(Path(item).resolve() for item in items) if is_path else items
        cls.overrides = overrides
        cls._settings = {}
        cls._configs = {}
        cls._exclusions = None
        cls._active = _selects_ours(options)
        try:
            # Validate every configuration the named paths use, up front and once:
            # an exception inside flake8's worker processes would be far less clear.
            for start in {Path.cwd(), *(Path(name) for name in getattr(options, "filenames", []) or [])}:
                if start.exists():
                    load_settings(start)
        except ConfigError as error:
            # flake8 would print a traceback for an exception; one line is what the user needs.
            print(f"cachelint: error: {error}", file=sys.stderr)
            raise SystemExit(2) from None

    def _settings_for(self) -> Settings:
        folder = Path(self.filename).resolve().parent
        found = self._settings.get(folder)
        if found is None:
            found = self._config_for(str(folder))
            if self.overrides:
                found = found.replace(**self.overrides)
            self._settings[folder] = found
        return found

    def _excluded(self) -> bool:
        if self.filename in ("-", "stdin") or not Path(self.filename).is_file():
            return False  # standard input or an unsaved buffer: nothing to match
        cls = type(self)
        if cls._exclusions is None:
            cls._exclusions = Exclusions(cls._config_for)
        return cls._exclusions.excluded(self.filename)

    @classmethod
    def _config_for(cls, folder: str) -> Settings:
        # load_settings looks for the governing files from the folder up on every call.
        found = cls._configs.get(folder)
        if found is None:
            found = cls._configs[folder] = load_settings(folder)
        return found

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        if not isinstance(self.tree, ast.Module) or not self._active:
            return
        from cachelint.analysis import analyse

        try:
            settings = self._settings_for()
        except ConfigError as error:
            # A nested pyproject.toml parse_options did not see.  Raising here would
            # make flake8 print a traceback (or hang its worker pool); one result line
            # per configuration and process says it instead, and fails the run.
            if str(error) not in self._reported:
                self._reported.add(str(error))
                yield 1, 0, f"{CONFIG_ERROR_CODE} cachelint configuration error: {error}", type(self)
            return
        if self._excluded():
            return
        lines = self.lines
        # The text lets the engine's pre-filter test words without walking the tree.
        source = "".join(lines)
        cls = type(self)
        if cls._tune_collector is None:
            cls._tune_collector = _flake8_owns_process()
        if cls._tune_collector:
            from cachelint.collector import one_file

            with one_file():
                result = analyse(self.tree, self.filename, settings, source=source)
        else:
            result = analyse(self.tree, self.filename, settings, source=source)
        for diagnostic in result.diagnostics:
            line = lines[diagnostic.line - 1] if 0 < diagnostic.line <= len(lines) else ""
            yield diagnostic.line, char_column(line, diagnostic.col), diagnostic.text(), type(self)
        # A failed check may have hidden findings: a CLT000 line says which check, never silence.
        for failed in result.errors:
            yield failed.line, failed.col, failed.text(), type(self)
