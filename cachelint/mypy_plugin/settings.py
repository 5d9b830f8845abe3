"""Which ``[tool.cachelint]`` table the mypy plugin reads, and what it reports to mypy's cache.

The table comes from the ``pyproject.toml`` mypy itself uses as its config
file (``options.config_file``); when mypy is configured by ``mypy.ini`` or
``setup.cfg``, or by nothing, from the nearest ``pyproject.toml`` of the
current directory.  One settings object serves the whole mypy run.

The file is parsed here rather than through the memoised
:func:`cachelint.config.load_settings`: a long-lived mypy daemon must see an
edited configuration, and :func:`config_data` must describe what is on disk now.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from cachelint import __version__
from cachelint.config import (
    Settings,
    find_config,
    find_pyproject,
    settings_from_pyproject,
)


def config_path(config_file: str | None, cwd: Path) -> Path | None:
    """The configuration that applies to this mypy run, found as ``cachelint.config.find_config``
    finds it (a ``pyproject.toml`` without the section does not shadow its parent's)."""
    if config_file and Path(config_file).name == "pyproject.toml":
        return Path(config_file).resolve()
    return find_config(cwd) or find_pyproject(cwd)


def load(config_file: str | None, cwd: Path, warn: Callable[[str], None]) -> Settings:
    """Validated settings; raises :class:`ConfigError` (one line) on a bad file or value."""
    pyproject = config_path(config_file, cwd)
    if pyproject is None:
        return Settings(root=cwd.resolve())
    return settings_from_pyproject(pyproject, warn=warn)


def config_data(settings: Settings) -> dict[str, Any]:
    """What ``report_config_data`` hands mypy: any change invalidates cached results."""
    return {"version": __version__, "settings": settings.fingerprint()}
