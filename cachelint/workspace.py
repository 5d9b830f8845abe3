"""The workspace: which files a run looks at, and which settings govern each folder.

One implementation for every front end (``cachelint check``, the codemod,
the flake8 adapter, any future server), so a file ``check`` skips is never
rewritten by ``fix``.

*Settings lookup* (:class:`SettingsByFolder`): the nearest ``pyproject.toml``
of a folder, memoised per folder; a broken one raises ``ConfigError``.

*Discovery* (:func:`discover`): walking a folder yields its ``*.py`` files except

* the default folders nobody wants linted (:data:`DEFAULT_EXCLUDES`: ruff's
  list, plus ``__pycache__``, our own cache and ``*.egg-info``);
* paths matched by the ``exclude`` and ``extend-exclude`` globs of the
  governing ``[tool.cachelint]`` (relative to its folder; a pattern without
  ``/`` matches a file or folder name at any depth).  Unlike ruff's, cachelint's
  ``exclude`` adds to the defaults rather than replacing them;
* paths git ignores: ``.gitignore`` at every level (those of the walked
  folders and of their parents up to the repository root), then
  ``.git/info/exclude`` and git's ``core.excludesFile``, with git's
  precedence, matched by ``pathspec`` (git's own wildmatch rules);
* special files: a symbolic link loop, a broken link, a FIFO, a socket or a
  device named ``*.py`` is skipped with a note (never opened: opening a FIFO
  blocks).  Symbolic links to folders are not followed, so a walk cannot loop.

A path named on the command line is checked even if excluded, unless
``force_exclude`` (what pre-commit hooks pass: pre-commit names every staged
file); the same test serves the flake8 adapter through :meth:`Exclusions.excluded`.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

    from cachelint.config import Settings

#: ruff's default ``exclude`` list, plus folders that never hold source of the project's own.
DEFAULT_EXCLUDES = frozenset(
    {
        ".bzr",
        ".direnv",
        ".eggs",
        ".git",
        ".git-rewrite",
        ".hg",
        ".ipynb_checkpoints",
        ".mypy_cache",
        ".nox",
        ".pants.d",
        ".pyenv",
        ".pytest_cache",
        ".pytype",
        ".ruff_cache",
        ".svn",
        ".tox",
        ".venv",
        ".vscode",
        "__pypackages__",
        "_build",
        "buck-out",
        "build",
        "dist",
        "node_modules",
        "site-packages",
        "venv",
        # Not in ruff's list: bytecode and cachelint's own result cache.
        "__pycache__",
        ".cachelint_cache",
    }
)

SettingsFor = Callable[[str], "Settings"]


def is_default_excluded(name: str) -> bool:
    return name in DEFAULT_EXCLUDES or name.endswith(".egg-info")


# -- settings lookup ------------------------------------------------------------


class SettingsByFolder:
    """Settings for each folder (nearest ``pyproject.toml``, or ``--config``), memoised; a broken one raises
    ``ConfigError``.

    Equivalent to ``config.load_settings(folder)`` (a test holds them equal),
    but the search for the nearest ``pyproject.toml`` is memoised per folder
    here: a walk asks for every folder of the tree, and a tree without any
    ``pyproject.toml`` would otherwise repeat the whole search up to ``/`` for
    each of them.
    """

    def __init__(self, config: str | None = None) -> None:
        #: ``--config``: this file's settings for every folder.
        self._config = config
        self._by_folder: dict[str, Settings] = {}
        self._by_config: dict[str, Settings] = {}
        self._nearest: dict[str, str | None] = {}
        self._fingerprints: dict[int, str] = {}
        self._default_fingerprint: str | None = None
        self._real: dict[str, str] = {}

    def _realpath(self, folder: str) -> str:
        """``os.path.realpath``, reusing the parent's answer (a walk never follows links)."""
        found = self._real.get(folder)
        if found is None:
            parent = os.path.dirname(folder)
            known = self._real.get(parent)
            if known is not None and parent != folder and not os.path.islink(folder):
                found = os.path.join(known, os.path.basename(folder))
            else:
                found = os.path.realpath(folder)
            self._real[folder] = found
        return found

    def _nearest_config(self, folder: str) -> str | None:
        if folder in self._nearest:
            return self._nearest[folder]
        candidate = os.path.join(folder, "pyproject.toml")
        if not os.path.isfile(candidate):  # a cachelint.toml governs like a pyproject.toml
            candidate = os.path.join(folder, "cachelint.toml")
        if os.path.isfile(candidate):
            found: str | None = candidate
        else:
            parent = os.path.dirname(folder)
            found = None if parent == folder else self._nearest_config(parent)
        self._nearest[folder] = found
        return found

    def __call__(self, folder: str) -> Settings:
        found = self._by_folder.get(folder)
        if found is not None:
            return found
        from cachelint.config import default_settings, import_root, load_settings

        config = self._config or self._nearest_config(folder)
        if config is None:
            # What load_settings returns without a pyproject.toml, minus its search.
            found = default_settings(import_root(Path(self._realpath(folder))))
        else:
            found = self._by_config.get(config)
            if found is None:
                if self._config is not None:
                    from cachelint.config import settings_from_pyproject

                    found = settings_from_pyproject(Path(self._config))
                else:
                    found = load_settings(Path(config).parent)
                self._by_config[config] = found
        self._by_folder[folder] = found
        return found

    def fingerprint(self, settings: Settings) -> str:
        """The settings that affect findings (selection and exclusion do not: they apply later)."""
        found = self._fingerprints.get(id(settings))
        if found is not None:
            return found
        from cachelint.config import Settings

        if settings.config_path is None and settings == Settings(root=settings.root):
            # Defaults differ only by their root: fingerprint them once.
            if self._default_fingerprint is None:
                self._default_fingerprint = Settings().fingerprint()
            found = f"{self._default_fingerprint}@{settings.root}"
        else:
            found = settings.replace(
                select=(), extend_select=(), ignore=(), exclude=(), extend_exclude=()
            ).fingerprint()
        self._fingerprints[id(settings)] = found
        return found


# -- what git ignores -------------------------------------------------------------


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def _spec(text: str) -> GitIgnoreSpec | None:
    from pathspec import GitIgnoreSpec

    lines = text.splitlines()
    if not any(line.strip() and not line.startswith("#") for line in lines):
        return None
    try:
        return GitIgnoreSpec.from_lines(lines)
    except (ValueError, TypeError):  # a pattern pathspec rejects: git ignores such lines too
        return None


def _git_root(folder: str) -> str | None:
    current = folder
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _excludes_file(root: str) -> str | None:
    """git's ``core.excludesFile``: the repository's setting, else the user's, else git's default.

    Read from the config files (``[core] excludesFile = ...``) rather than by
    running git: a warm run must not pay for a process.  ``include`` directives
    are not followed.
    """
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    found: str | None = None
    # Later files win: the user's XDG config, then ~/.gitconfig, then the repository's.
    configs = (os.path.join(xdg, "git", "config"), os.path.join(home, ".gitconfig"))
    for config in (*configs, os.path.join(root, ".git", "config")):
        text = _read_text(config)
        if text is None:
            continue
        section = ""
        for raw in text.splitlines():
            line = raw.strip()
            if line.startswith("["):
                section = line.strip("[]").strip().lower()
            elif section == "core" and "=" in line:
                key, _, value = line.partition("=")
                if key.strip().lower() == "excludesfile":
                    found = os.path.expanduser(value.split("#")[0].split(";")[0].strip().strip('"'))
    return found or os.path.join(xdg, "git", "ignore")


@dataclass(frozen=True)
class _Level:
    """One source of ignore patterns and the folder its patterns are relative to."""

    prefix: str  # the folder, with a trailing separator
    spec: GitIgnoreSpec


@dataclass(frozen=True)
class GitIgnores:
    """The ignore sources in force in one folder, lowest precedence first."""

    levels: tuple[_Level, ...] = ()

    def with_folder(self, folder: str) -> GitIgnores:
        """These plus ``folder``'s own ``.gitignore`` (if it has patterns)."""
        text = _read_text(os.path.join(folder, ".gitignore"))
        spec = None if text is None else _spec(text)
        if spec is None:
            return self
        return GitIgnores((*self.levels, _Level(os.path.join(folder, ""), spec)))

    def admitting(self, folder: str) -> GitIgnores:
        """These sources without the patterns that ignore ``folder`` itself (an explicitly named folder)."""
        from pathspec import GitIgnoreSpec

        levels = []
        for level in self.levels:
            if folder.startswith(level.prefix):
                rel = folder[len(level.prefix) :].replace(os.sep, "/") + "/"
                if level.spec.check_file(rel).include:
                    kept = [p for p in level.spec.patterns if not (p.include and p.match_file(rel))]
                    level = _Level(level.prefix, GitIgnoreSpec(kept))
            levels.append(level)
        return GitIgnores(tuple(levels))

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether git ignores ``path`` (absolute); the deepest source with a verdict wins."""
        for level in reversed(self.levels):
            if not path.startswith(level.prefix):
                continue
            rel = path[len(level.prefix) :].replace(os.sep, "/")
            verdict = level.spec.check_file(rel + "/" if is_dir else rel).include
            if verdict is not None:
                return verdict
        return False


def repository_ignores(root: str) -> GitIgnores:
    """``core.excludesFile`` then ``.git/info/exclude`` of the repository at ``root`` (no .gitignore yet)."""
    levels: list[_Level] = []
    prefix = os.path.join(root, "")
    for source in (_excludes_file(root), os.path.join(root, ".git", "info", "exclude")):
        text = None if source is None else _read_text(source)
        spec = None if text is None else _spec(text)
        if spec is not None:
            levels.append(_Level(prefix, spec))
    return GitIgnores(tuple(levels))


# -- configured excludes --------------------------------------------------------


def is_config_excluded(path: str, settings: Settings) -> bool:
    """Whether ``path`` (absolute) matches an ``exclude``/``extend-exclude`` glob of ``settings``."""
    patterns = (*settings.exclude, *settings.extend_exclude)
    if not patterns:
        return False
    prefix = str(settings.root).rstrip(os.sep) + os.sep
    rel = (path[len(prefix) :] if path.startswith(prefix) else path).replace(os.sep, "/")
    name = os.path.basename(path)
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        if "/" in pattern:
            if fnmatchcase(rel, pattern) or fnmatchcase(rel, pattern + "/*"):
                return True
        elif fnmatchcase(name, pattern):
            return True
    return False


# -- exclusion of a single path (explicit paths, flake8) -------------------------------


class Exclusions:
    """Whether a path named explicitly is excluded, as a walk from its project root would decide.

    Memoised per folder, so the flake8 adapter and ``--force-exclude`` pay
    for each folder once.
    """

    def __init__(self, settings_for: SettingsFor) -> None:
        self._settings_for = settings_for
        self._folders: dict[str, bool] = {}
        self._ignores: dict[str, GitIgnores] = {}

    def _ignores_in(self, folder: str) -> GitIgnores:
        """Ignore sources in force inside ``folder`` (its own .gitignore included)."""
        found = self._ignores.get(folder)
        if found is None:
            root = _git_root(folder)
            if root is None:
                found = GitIgnores()
            elif folder == root:
                found = repository_ignores(root).with_folder(folder)
            else:
                found = self._ignores_in(os.path.dirname(folder)).with_folder(folder)
            self._ignores[folder] = found
        return found

    def _own(self, path: str, is_dir: bool, settings: Settings) -> bool:
        """Excluded by its own name or path, parents aside."""
        parent = os.path.dirname(path)
        if is_dir and is_default_excluded(os.path.basename(path)):
            return True
        if is_config_excluded(path, settings):
            return True
        return self._ignores_in(parent).ignored(path, is_dir)

    def _folder(self, folder: str) -> bool:
        """Whether ``folder`` or any folder above it (up to its project root) is excluded."""
        found = self._folders.get(folder)
        if found is None:
            settings = self._settings_for(folder)
            parent = os.path.dirname(folder)
            top = str(settings.root)
            if parent == folder or not folder.startswith(os.path.join(top, "")):
                found = False  # the project root itself, or outside it: nothing above decides
            else:
                found = self._folder(parent) or self._own(folder, True, settings)
            self._folders[folder] = found
        return found

    def excluded(self, path: str, is_dir: bool = False) -> bool:
        path = os.path.abspath(path)
        folder = path if is_dir else os.path.dirname(path)
        if self._folder(folder):
            return True
        return not is_dir and self._own(path, False, self._settings_for(folder))


# -- discovery ------------------------------------------------------------------


@dataclass
class Discovery:
    """The outcome of :func:`discover`."""

    files: list[str] = field(default_factory=list)
    #: Paths named on the command line that do not exist.
    missing: list[str] = field(default_factory=list)
    #: ``(path, reason)`` of special files skipped: each gets a note, never silence.
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def notes(self) -> list[str]:
        return [f"{path}: skipped: {reason}" for path, reason in self.skipped]


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    return "not a regular file"


def _follow(path: str) -> tuple[int | None, str | None]:
    """``(mode, None)`` of what ``path`` leads to, or ``(None, reason)`` when it cannot be followed."""
    try:
        return os.stat(path).st_mode, None
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, "symbolic link loop"
        if os.path.islink(path):
            return None, "broken symbolic link"
        return None, error.strerror or str(error)


class _Walker:
    def __init__(self, settings_for: SettingsFor, out: Discovery, seen: set[str]) -> None:
        self.settings_for = settings_for
        self.out = out
        self.seen = seen

    def add(self, path: str) -> None:
        if path not in self.seen:
            self.seen.add(path)
            self.out.files.append(path)

    def walk(self, folder: str, ignores: GitIgnores) -> None:
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            self.out.skipped.append((folder, f"cannot list folder: {error.strerror or error}"))
            return
        names = {entry.name for entry in entries}
        if ".git" in names and folder != os.path.dirname(folder):
            # A repository (or a nested one) starts here: its own excludes, not its parent's .gitignore.
            ignores = repository_ignores(folder)
        if ".gitignore" in names:
            ignores = ignores.with_folder(folder)
        settings = self.settings_for(folder)
        for entry in entries:
            name = entry.name
            path = entry.path
            try:
                if entry.is_dir(follow_symlinks=False):
                    if is_default_excluded(name) or ignores.ignored(path, True) or is_config_excluded(path, settings):
                        continue
                    self.walk(path, ignores)
                    continue
                if not name.endswith(".py"):
                    continue
                if ignores.ignored(path, False) or is_config_excluded(path, settings):
                    continue
                if entry.is_file(follow_symlinks=False):
                    self.add(path)
                    continue
                if entry.is_symlink():
                    mode, reason = _follow(path)
                    if mode is None:
                        self.out.skipped.append((path, reason or "cannot follow symbolic link"))
                    elif stat.S_ISREG(mode):
                        self.add(path)
                    elif not stat.S_ISDIR(mode):
                        self.out.skipped.append((path, _special(mode)))
                    continue
                self.out.skipped.append((path, _special(entry.stat(follow_symlinks=False).st_mode)))
            except OSError as error:
                self.out.skipped.append((path, error.strerror or str(error)))


def _inherited(folder: str) -> GitIgnores:
    """Ignore sources in force in ``folder`` from its repository and parents (not its own .gitignore).

    A folder named explicitly is walked even if git ignores it (or a folder
    above it): the patterns that ignore it are dropped, the others still
    apply below it.  (pathspec, like git, would otherwise ignore every file
    under an ignored folder.)
    """
    root = _git_root(folder)
    if root is None:
        return GitIgnores()
    ignores = repository_ignores(root)
    chain: list[str] = []
    current = os.path.dirname(folder) if folder != root else None
    while current is not None:
        chain.append(current)
        if current == root:
            break
        parent = os.path.dirname(current)
        current = None if parent == current else parent
    for parent in reversed(chain):
        ignores = ignores.with_folder(parent)
    return ignores.admitting(folder)


def discover(paths: list[str], settings_for: SettingsFor, *, force_exclude: bool = False) -> Discovery:
    """Files to check under ``paths`` (files or folders), as absolute paths, deduplicated.

    ``settings_for`` may raise ``ConfigError``: a broken configuration stops the run.
    """
    result = Discovery()
    walker = _Walker(settings_for, result, set())
    exclusions = Exclusions(settings_for) if force_exclude else None
    for raw in paths:
        path = os.path.abspath(raw)
        mode, reason = _follow(path)
        if mode is None:
            if reason == "No such file or directory":
                result.missing.append(raw)
            else:
                result.skipped.append((raw, reason or "cannot read"))
            continue
        if stat.S_ISDIR(mode):
            if exclusions is not None and exclusions.excluded(path, is_dir=True):
                continue
            walker.walk(path, _inherited(path))
        elif stat.S_ISREG(mode):
            if exclusions is not None and exclusions.excluded(path):
                continue
            walker.add(path)
        else:
            result.skipped.append((raw, _special(mode)))
    return result
