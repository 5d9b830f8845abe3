"""``[tool.cachelint]`` settings: found, parsed and validated once, shared by every engine.

The flake8 plugin, the CLI, the codemod and the mypy plugin all build their
:class:`Settings` through :func:`load_settings` (flake8 options then override
single fields with :meth:`Settings.replace`).  Unknown keys are warned about
and ignored; a bad value raises :class:`ConfigError` whose text is one line
naming the file, the key and what was expected.

Validation is hand-written over plain dataclasses rather than a Pydantic
model on purpose: this module sits on the start-up path of every
``cachelint check`` run, whose warm (nothing changed) goal is a few tenths of a
second, and importing Pydantic alone costs more than that budget allows.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from cachelint import rules
from cachelint.signatures import parse_signature_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

SECTION = "cachelint"

DEFAULT_MODEL_BASES = (
    "pydantic.BaseModel",
    "pydantic.main.BaseModel",
    "pydantic.v1.BaseModel",
    "pydantic.v1.main.BaseModel",
)


class ConfigError(Exception):
    """A configuration problem; ``str(error)`` is the one line to show the user."""


@dataclass(frozen=True)
class Settings:
    """Every option of cachelint, validated.  Field docs are the configuration reference."""

    #: Classes whose methods are synchronous cache methods: a bare class name
    #: (matches a class of that name) or a dotted qualified name.  Subclasses count.
    sync_cache_classes: tuple[str, ...] = ("CacheManager",)
    #: Classes known to be asynchronous caches; never reported, even if a name
    #: also matches ``sync_cache_classes``.
    async_cache_classes: tuple[str, ...] = ()
    #: Classes that are never caches, whatever their name, structure or the
    #: catalogue says (bare or dotted names, as above; subclasses count).  Takes
    #: away what recognition without configuration would find.
    not_cache_classes: tuple[str, ...] = ()
    #: Methods assumed synchronous on a configured sync class whose source is
    #: not available to the index.
    cache_methods: tuple[str, ...] = ("get", "set", "delete")
    #: Signatures of cache methods whose source is not available, as
    #: ``"Class.method" = "(cache_type, content_key)"``.
    method_signatures: Mapping[str, str] = field(default_factory=dict)
    #: Extra base classes (qualified names) that make a class a Pydantic-style model.
    extra_model_bases: tuple[str, ...] = ()
    #: Extra callables (bare or qualified names) that count as validating a cached value.
    validators: tuple[str, ...] = ()
    #: Opt-in name-based guessing: receivers of unknown type whose name matches
    #: one of these ``fnmatch`` patterns (e.g. ``"*cache_manager"``) are treated
    #: as an instance of the first ``sync_cache_classes`` entry.  Off by default.
    receiver_name_patterns: tuple[str, ...] = ()
    #: Folders whose modules the project index resolves imports into.  Default:
    #: the folder of the ``pyproject.toml`` and its ``src/``.
    source_roots: tuple[Path, ...] = ()
    #: Folders whose modules resolve too, after ``source_roots``' defaults: the
    #: governing configuration's folder when the nearest ``pyproject.toml`` is a
    #: sub-project's without a ``[tool.cachelint]`` section (imports written
    #: from the repository root).  Set by discovery, not by the user.
    import_roots: tuple[Path, ...] = ()
    #: mypy plugin: type untyped sync ``get`` results as ``object`` so every
    #: unvalidated use is a type error (CLT103).
    strict_retrievals: bool = True
    #: CLI: codes or prefixes to report (default: every rule on by default).
    select: tuple[str, ...] = ()
    #: CLI: codes added to the selection (e.g. ``["CLT104"]``).
    extend_select: tuple[str, ...] = ()
    #: CLI: codes never reported.
    ignore: tuple[str, ...] = ()
    #: CLI and codemod: glob patterns of paths to skip (in addition to ``.gitignore``
    #: and the default folders such as ``.venv`` and ``build``, which always apply).
    exclude: tuple[str, ...] = ()
    #: More patterns to skip, added to ``exclude`` (ruff's name for it).
    extend_exclude: tuple[str, ...] = ()
    #: Folder holding the ``pyproject.toml`` the settings came from (or the start folder).
    root: Path = Path(".")
    #: The file the settings came from, if any.
    config_path: Path | None = None

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed (used for command-line overrides)."""
        return dataclasses.replace(self, **changes)

    @property
    def model_bases(self) -> tuple[str, ...]:
        return DEFAULT_MODEL_BASES + self.extra_model_bases

    def enabled_codes(self) -> frozenset[str]:
        """Codes the CLI reports under ``select``/``extend-select``/``ignore``."""
        if self.select:
            chosen: set[str] = set()
            for selector in self.select:
                chosen |= rules.expand_selector(selector)
        else:
            chosen = {rule.code for rule in rules.ACTIVE if rule.default_enabled}
        for selector in self.extend_select:
            chosen |= rules.expand_selector(selector)
        for selector in self.ignore:
            chosen -= rules.expand_selector(selector)
        return frozenset(chosen)

    def effective_source_roots(self) -> tuple[Path, ...]:
        if self.source_roots:
            return self.source_roots
        # The governing configuration's folder first: a file then has the dotted name the
        # repository's imports give it (``backend.app.cache``), whichever file is read first.
        roots = [root for extra in self.import_roots for root in (extra, extra / "src")]
        roots += [self.root, self.root / "src"]
        if (self.root / "__init__.py").is_file():  # the project folder is itself a package
            roots.append(import_root(self.root))
        return tuple(dict.fromkeys(roots))

    @cached_property
    def _fingerprint(self) -> str:
        data = dataclasses.asdict(self)
        data.pop("config_path", None)
        return repr(sorted((k, repr(v)) for k, v in data.items()))

    def fingerprint(self) -> str:
        """A stable text of every option that affects findings (for result caches)."""
        return self._fingerprint


def _shown(value: object) -> str:
    """``repr`` bounded in length and depth: a hostile value still gives one short line."""
    import reprlib

    return reprlib.repr(value)


def _str_list(value: object, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ConfigError(f"{where}: '{key}' must be a list of non-empty strings, got {_shown(value)}")
    return tuple(item.strip() for item in value)


def _code_list(value: object, key: str, where: str) -> tuple[str, ...]:
    codes = _str_list(value, key, where)
    for code in codes:
        try:
            rules.expand_selector(code)
        except KeyError:
            known = ", ".join(rule.code for rule in rules.ACTIVE)
            raise ConfigError(f"{where}: '{key}' names unknown rule {code!r} (known: {known})") from None
    return codes


def _bool(value: object, key: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: '{key}' must be true or false, got {_shown(value)}")
    return value


def _signatures(value: object, key: str, where: str) -> Mapping[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: \'{key}\' must be a table of "Class.method" = "(params)", got {_shown(value)}')
    out: dict[str, str] = {}
    for name, sig in value.items():
        if not isinstance(sig, str) or "." not in name:
            raise ConfigError(
                f'{where}: \'{key}.{name}\' must map "Class.method" to a string like "(cache_type, content_key)"'
            )
        if parse_signature_text(sig) is None:
            raise ConfigError(f"{where}: '{key}.{name}' = {sig!r} is not a parameter list")
        out[name] = sig
    return out


def _paths(value: object, key: str, where: str, root: Path) -> tuple[Path, ...]:
    return tuple((root / item).resolve() for item in _str_list(value, key, where))


_PARSERS: dict[str, Callable[[object, str, str], object]] = {
    "sync-cache-classes": _str_list,
    "async-cache-classes": _str_list,
    "not-cache-classes": _str_list,
    "cache-methods": _str_list,
    "method-signatures": _signatures,
    "extra-model-bases": _str_list,
    "validators": _str_list,
    "receiver-name-patterns": _str_list,
    "strict-retrievals": _bool,
    "select": _code_list,
    "extend-select": _code_list,
    "ignore": _code_list,
    "exclude": _str_list,
    "extend-exclude": _str_list,
}
KNOWN_KEYS = frozenset(_PARSERS) | {"source-roots"}


def _warn_stderr(message: str) -> None:
    print(f"cachelint: warning: {message}", file=sys.stderr)


def settings_from_mapping(
    table: Mapping[str, object],
    *,
    root: Path,
    where: str,
    config_path: Path | None = None,
    warn: Callable[[str], None] = _warn_stderr,
) -> Settings:
    """Validate a ``[tool.cachelint]`` table into :class:`Settings`.

    ``where`` names the source in messages (e.g. ``pyproject.toml [tool.cachelint]``).
    Keys may be written with dashes or underscores.
    """
    values: dict[str, object] = {}
    for raw_key, raw_value in table.items():
        key = raw_key.replace("_", "-")
        if key not in KNOWN_KEYS:
            known = ", ".join(sorted(KNOWN_KEYS))
            warn(f"{where}: unknown key '{raw_key}' ignored (known keys: {known})")
            continue
        if key == "source-roots":
            values["source_roots"] = _paths(raw_value, key, where, root)
        else:
            values[key.replace("-", "_")] = _PARSERS[key](raw_value, key, where)
    settings = Settings(root=root, config_path=config_path, **values)  # type: ignore[arg-type]
    settings.enabled_codes()  # validates selector combinations early
    return settings


CONFIG_FILE = "cachelint.toml"


def _has_section(pyproject: Path) -> bool:
    """Whether a ``pyproject.toml`` has a ``[tool.cachelint]`` table (an unreadable one counts,
    so that its error is reported rather than skipped)."""
    try:
        with pyproject.open("rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError, ValueError, RecursionError):
        return True
    tool = document.get("tool")
    return isinstance(tool, dict) and SECTION in tool


def find_config(start: Path) -> Path | None:
    """The configuration that governs ``start``, found as ruff finds its own.

    The nearest ``cachelint.toml`` (top-level keys), or the nearest
    ``pyproject.toml`` that has a ``[tool.cachelint]`` section, at or above
    ``start``.  A ``pyproject.toml`` without the section does not shadow its
    parent's configuration.
    """
    folder = start if start.is_dir() else start.parent
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        path = candidate / "pyproject.toml"
        if path.is_file() and _has_section(path):
            return path
    return None


def find_pyproject(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` (a file or folder)."""
    folder = start if start.is_dir() else start.parent
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            return path
    return None


def settings_from_pyproject(pyproject: Path, *, warn: Callable[[str], None] = _warn_stderr) -> Settings:
    """Read and validate the ``[tool.cachelint]`` table of one ``pyproject.toml`` (no memo)."""
    try:
        with pyproject.open("rb") as handle:
            document = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{pyproject}: invalid TOML: {error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{pyproject}: not UTF-8 (TOML must be): byte {error.start}: {error.reason}") from None
    except RecursionError:
        raise ConfigError(f"{pyproject}: invalid TOML: nested too deeply to read") from None
    except OSError as error:
        raise ConfigError(f"{pyproject}: cannot read: {error.strerror or error}") from None
    if pyproject.name == CONFIG_FILE:
        table: object = document
        where = str(pyproject)
    else:
        tool = document.get("tool", {})
        table = tool.get(SECTION, {}) if isinstance(tool, dict) else {}
        where = f"{pyproject} [tool.{SECTION}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    return settings_from_mapping(table, root=pyproject.parent.resolve(), where=where, config_path=pyproject, warn=warn)


_CACHE: dict[Path, Settings] = {}
_DEFAULTS: dict[Path, Settings] = {}


def import_root(start: Path) -> Path:
    """The folder a file's top-level package sits in: its imports resolve from there."""
    folder = (start if start.is_dir() else start.parent).resolve()
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder


def default_settings(root: Path) -> Settings:
    """Settings for files under ``root`` when no ``pyproject.toml`` applies.

    One object per root, so every file under it shares one project index.
    """
    found = _DEFAULTS.get(root)
    if found is None:
        found = _DEFAULTS[root] = Settings(root=root)
    return found


def load_settings(start: Path | str = ".", *, warn: Callable[[str], None] = _warn_stderr) -> Settings:
    """Settings for files at or below ``start``: the governing configuration's (:func:`find_config`).

    The project's root is the nearest ``pyproject.toml``'s folder; when that
    file has no ``[tool.cachelint]`` section, the values come from the
    configuration above it, whose folder stays an import root (a sub-project
    importing ``from backend.x import ...`` as the repository does).  Parsed
    once per configuration file per process.  Without any configuration or
    ``pyproject.toml`` the defaults apply, rooted at ``start``'s package root.
    """
    start_path = Path(start)
    pyproject = find_pyproject(start_path)
    config = find_config(start_path)
    if config is None:
        if pyproject is None:
            return default_settings(import_root(start_path))
        config = pyproject
    nested = pyproject is not None and config.parent.resolve() in pyproject.parent.resolve().parents
    key = pyproject if nested and pyproject is not None else config
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    settings = _CACHE.get(config)
    if settings is None:
        settings = _CACHE[config] = settings_from_pyproject(config, warn=warn)
    if key != config:
        assert pyproject is not None
        settings = settings.replace(
            root=pyproject.parent.resolve(), import_roots=(*settings.import_roots, settings.root)
        )
        _CACHE[key] = settings
    return settings
