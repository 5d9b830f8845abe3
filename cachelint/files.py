"""Which files ``cachelint check`` looks at: path discovery and exclusions.

Walking a directory yields its ``*.py`` files except:

* standard folders nobody wants linted (:data:`STANDARD_EXCLUDES`: ``.git``,
  ``__pycache__``, virtualenvs, build output, ...);
* paths matched by the ``exclude`` globs of the nearest ``[tool.cachelint]``
  (relative to that ``pyproject.toml``'s folder; a pattern without ``/``
  matches a file or folder name at any depth);
* paths ignored by ``.gitignore`` files (those of the walked folders and of
  their parents up to the repository root) and ``.git/info/exclude``.

A file named on the command line is always checked, unless ``force_exclude``
is set (what the pre-commit hook wants: pre-commit names every staged file).

Settings lookup is injected (``settings_for(folder)``) so this module does
not decide how configuration is found; it only needs ``exclude`` and ``root``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from cachelint.config import Settings

STANDARD_EXCLUDES = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".venv",
        "venv",
        ".env",
        "env",
        "build",
        "dist",
        ".tox",
        ".nox",
        ".eggs",
        "node_modules",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".cachelint_cache",
    }
)

SettingsFor = Callable[[str], Settings]


# -- .gitignore ---------------------------------------------------------------


def _glob_to_regex(glob: str) -> str:
    """Translate one gitignore glob (already without leading/trailing slashes) to a regex."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        char = glob[i]
        if char == "*":
            if glob.startswith("**", i):
                at_start = i == 0 or glob[i - 1] == "/"
                at_end = i + 2 == n or glob[i + 2] == "/"
                if at_start and at_end:
                    # "**/" matches zero or more folders; a trailing "**" everything below.
                    if i + 2 == n:
                        out.append(".*")
                        i += 2
                    else:
                        out.append("(?:.*/)?")
                        i += 3
                    continue
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = glob.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = glob[i + 1 : end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        elif char == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(glob[i]))
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    negated: bool
    dir_only: bool
    #: Anchored patterns (holding a "/") match the path relative to the
    #: .gitignore's folder; the others match the name at any depth.
    anchored: bool


@dataclass
class GitIgnore:
    """The rules of one ``.gitignore`` file, relative to its folder ``base``."""

    base: str
    rules: list[_Rule] = field(default_factory=list)

    @classmethod
    def parse(cls, base: str, text: str) -> GitIgnore:
        ignore = cls(base)
        for raw in text.splitlines():
            line = raw.rstrip("\n\r")
            if not line or line.startswith("#"):
                continue
            if not line.endswith("\\ "):
                line = line.rstrip(" ")
            negated = line.startswith("!")
            if negated:
                line = line[1:]
            elif line.startswith("\\!") or line.startswith("\\#"):
                line = line[1:]
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            if not line:
                continue
            anchored = "/" in line
            line = line.lstrip("/")
            try:
                regex = re.compile(_glob_to_regex(line) + r"\Z")
            except re.error:
                continue
            ignore.rules.append(_Rule(regex, negated, dir_only, anchored))
        return ignore

    def verdict(self, rel: str, name: str, is_dir: bool) -> bool | None:
        """True (ignored), False (re-included by ``!``) or None (no rule applies)."""
        result: bool | None = None
        for rule in self.rules:
            if rule.dir_only and not is_dir:
                continue
            target = rel if rule.anchored else name
            if rule.regex.match(target):
                result = not rule.negated
        return result


def _read_gitignore(folder: str) -> GitIgnore | None:
    try:
        with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    ignore = GitIgnore.parse(folder, text)
    return ignore if ignore.rules else None


def _git_root(folder: str) -> str | None:
    current = folder
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _inherited_ignores(folder: str, *, include_self: bool = False) -> list[GitIgnore]:
    """The .gitignore rules that apply inside ``folder`` from its parents (up to the git root).

    The folder's own .gitignore is included only with ``include_self`` (a walk reads it itself).
    """
    root = _git_root(folder)
    if root is None:
        return []
    chain: list[str] = []
    current = folder
    while True:
        chain.append(current)
        if current == root:
            break
        current = os.path.dirname(current)
    ignores: list[GitIgnore] = []
    info = os.path.join(root, ".git", "info", "exclude")
    try:
        with open(info, encoding="utf-8", errors="replace") as handle:
            parsed = GitIgnore.parse(root, handle.read())
        if parsed.rules:
            ignores.append(parsed)
    except OSError:
        pass
    for parent in reversed(chain if include_self else chain[1:]):
        found = _read_gitignore(parent)
        if found is not None:
            ignores.append(found)
    return ignores


def is_git_ignored(path: str, is_dir: bool, ignores: list[GitIgnore]) -> bool:
    """Whether ``path`` (absolute) is ignored; deeper .gitignore files win."""
    name = os.path.basename(path)
    for ignore in reversed(ignores):
        prefix = ignore.base.rstrip(os.sep) + os.sep
        if not path.startswith(prefix):
            continue
        rel = path[len(prefix) :].replace(os.sep, "/")
        verdict = ignore.verdict(rel, name, is_dir)
        if verdict is not None:
            return verdict
    return False


def _ignored_with_parents(path: str, is_dir: bool, ignores: list[GitIgnore], stop: str) -> bool:
    """Like :func:`is_git_ignored`, but also true when a parent folder below ``stop`` is ignored."""
    if is_git_ignored(path, is_dir, ignores):
        return True
    parent = os.path.dirname(path)
    while len(parent) > len(stop) and parent.startswith(stop):
        if is_git_ignored(parent, True, ignores):
            return True
        parent = os.path.dirname(parent)
    return False


# -- configured excludes --------------------------------------------------------


def is_config_excluded(path: str, settings: Settings) -> bool:
    """Whether ``path`` (absolute) matches an ``exclude`` glob of ``settings``."""
    if not settings.exclude:
        return False
    prefix = str(settings.root).rstrip(os.sep) + os.sep
    rel = (path[len(prefix) :] if path.startswith(prefix) else path).replace(os.sep, "/")
    name = os.path.basename(path)
    for pattern in settings.exclude:
        pattern = pattern.strip().rstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        if "/" in pattern:
            if fnmatchcase(rel, pattern) or fnmatchcase(rel, pattern + "/*"):
                return True
        elif fnmatchcase(name, pattern):
            return True
    return False


def _excluded_with_parents(path: str, settings: Settings) -> bool:
    if is_config_excluded(path, settings):
        return True
    root = str(settings.root)
    parent = os.path.dirname(path)
    while len(parent) > len(root) and parent.startswith(root):
        if is_config_excluded(parent, settings):
            return True
        parent = os.path.dirname(parent)
    return False


# -- discovery ------------------------------------------------------------------


@dataclass
class Discovery:
    """The outcome of :func:`discover`: files to check and paths that do not exist."""

    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _walk(folder: str, ignores: list[GitIgnore], settings_for: SettingsFor, out: list[str]) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return
    if any(entry.name == ".gitignore" for entry in entries):
        local = _read_gitignore(folder)
        if local is not None:
            ignores = [*ignores, local]
    settings = settings_for(folder)
    for entry in entries:
        name = entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError:
            continue
        if is_dir:
            if name in STANDARD_EXCLUDES or name.endswith(".egg-info"):
                continue
        elif not name.endswith(".py"):
            continue
        path = entry.path
        if ignores and is_git_ignored(path, is_dir, ignores):
            continue
        if settings.exclude and is_config_excluded(path, settings):
            continue
        if is_dir:
            _walk(path, ignores, settings_for, out)
        elif entry.is_file():
            out.append(path)


def discover(paths: list[str], settings_for: SettingsFor, *, force_exclude: bool = False) -> Discovery:
    """Files to check under ``paths`` (files or folders), as absolute paths, deduplicated."""
    result = Discovery()
    seen: set[str] = set()
    for raw in paths:
        path = os.path.abspath(raw)
        if os.path.isdir(path):
            found: list[str] = []
            inherited = _inherited_ignores(path)
            if force_exclude and _explicit_is_excluded(
                path, True, _inherited_ignores(path, include_self=True), settings_for
            ):
                continue
            _walk(path, inherited, settings_for, found)
            for item in found:
                if item not in seen:
                    seen.add(item)
                    result.files.append(item)
        elif os.path.isfile(path):
            if force_exclude and _explicit_is_excluded(
                path, False, _inherited_ignores(os.path.dirname(path), include_self=True), settings_for
            ):
                continue
            if path not in seen:
                seen.add(path)
                result.files.append(path)
        else:
            result.missing.append(raw)
    return result


def _explicit_is_excluded(path: str, is_dir: bool, ignores: list[GitIgnore], settings_for: SettingsFor) -> bool:
    folder = path if is_dir else os.path.dirname(path)
    settings = settings_for(folder)
    root_prefix = str(settings.root).rstrip(os.sep) + os.sep
    if path.startswith(root_prefix):
        parts = path[len(root_prefix) :].split(os.sep)
        if any(part in STANDARD_EXCLUDES or part.endswith(".egg-info") for part in parts):
            return True
    if _excluded_with_parents(path, settings):
        return True
    git_root = _git_root(folder)
    return git_root is not None and _ignored_with_parents(path, is_dir, ignores, git_root)
