"""Run cachelint's front ends on fixture files and collect their findings as ``(line, code, col)``.

Three runners, each in batches (a start-up per file would dominate):

- :func:`flake8_findings`: the real flake8, ``--isolated`` from the repository
  root, ``--select CLT`` plus each file's ``# flake8-args`` header (as
  ``tests/test_fixtures.py`` runs it);
- :func:`cli_findings`: ``cachelint check --no-cache`` with the same selection;
- :func:`mypy_findings`: the real mypy with the plugin, once per fixture
  project (a folder with a ``pyproject.toml``), run from that folder with the
  project's own ``[tool.mypy]`` when it has one, else with a configuration
  that only loads the plugin, checks unannotated bodies and enables every
  cachelint error code (CLT104 included: callers filter by the codes the
  file's flake8 selection has on).

Every runner returns findings per resolved path; ``cachelint-*`` codes are
mapped back to their rule codes.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from expectations import extra_args
from processes import REPO, cachelint, flake8

from cachelint.rules import ACTIVE, BY_CODE

FIXTURES = REPO / "tests" / "fixtures"
CODE_TO_RULE = {rule.mypy_code: rule.code for rule in ACTIVE}
DEFAULT_ON = frozenset(rule.code for rule in ACTIVE if rule.default_enabled)
_TEXT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>CLT\d{3}) ")
_MYPY = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): error: .*  \[(?P<code>cachelint-[a-z-]+)\]$")


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    code: str
    col: int  # 1-based, as flake8 prints it


Findings = dict[Path, set[Finding]]


def fixture_project(path: Path) -> Path:
    """The fixture project a file belongs to: its nearest folder with a ``pyproject.toml``."""
    for folder in path.resolve().parents:
        if (folder / "pyproject.toml").is_file():
            return folder
        if folder == FIXTURES:
            break
    return FIXTURES


def selected_codes(path: Path) -> frozenset[str]:
    """The codes the fixture test's flake8 selection has on for ``path``."""
    args = extra_args(path)
    codes = set(DEFAULT_ON)
    if "DEFAULT" not in args:
        for index, arg in enumerate(args):
            if arg == "--extend-select" and index + 1 < len(args):
                codes.update(code.strip() for code in args[index + 1].split(","))
            elif arg.startswith("--extend-select="):
                codes.update(code.strip() for code in arg.partition("=")[2].split(","))
    return frozenset(code for code in codes if code in BY_CODE)


def _by_args(files: Iterable[Path]) -> dict[tuple[str, ...], list[Path]]:
    groups: dict[tuple[str, ...], list[Path]] = defaultdict(list)
    for path in files:
        groups[extra_args(path)].append(path)
    return groups


def _parse_text(output: str, pattern: re.Pattern[str] = _TEXT) -> Findings:
    found: Findings = defaultdict(set)
    for line in output.splitlines():
        match = pattern.match(line)
        if match is None:
            continue
        code = CODE_TO_RULE.get(match["code"], match["code"])
        path = Path(match["path"])
        path = path if path.is_absolute() else REPO / path
        found[path.resolve()].add(Finding(int(match["line"]), code, int(match["col"])))
    return found


def flake8_findings(files: Iterable[Path]) -> Findings:
    """flake8 as ``tests/test_fixtures.py`` runs it, one process per ``# flake8-args`` header."""
    found: Findings = defaultdict(set)
    for args, group in _by_args(files).items():
        selection = [] if "DEFAULT" in args else ["--select", "CLT"]
        flags = [arg for arg in args if arg != "DEFAULT"]
        result = flake8(*selection, *flags, *(str(p) for p in group), cwd=REPO)
        assert result.code in (0, 1), result.out + result.err
        for path, items in _parse_text(result.out).items():
            found[path] |= items
    return found


def cli_findings(files: Iterable[Path]) -> Findings:
    """``cachelint check --no-cache`` with each file's flake8 selection."""
    found: Findings = defaultdict(set)
    for args, group in _by_args(files).items():
        flags = [arg for arg in args if arg != "DEFAULT"]
        result = cachelint("check", "--no-cache", *flags, *(str(p) for p in group), cwd=REPO)
        assert result.code in (0, 1), result.out + result.err
        for path, items in _parse_text(result.out).items():
            found[path] |= items
    return found


_PLUGIN_ONLY = """\
[mypy]
plugins = cachelint.mypy_plugin
mypy_path = {mypy_path}
check_untyped_defs = true
enable_error_code = {codes}
"""


@contextmanager
def _cwd(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _has_mypy_config(project: Path) -> bool:
    with (project / "pyproject.toml").open("rb") as handle:
        tool = tomllib.load(handle).get("tool", {})
    return isinstance(tool, dict) and "mypy" in tool


@functools.cache
def _shared_cache() -> str:
    # One cache folder per test session: projects with the same settings reuse what mypy
    # learnt of the standard library and pydantic; a project's own modules differ in path
    # and content, so mypy checks them afresh (and the plugin's hooks fire) every run.
    folder = tempfile.TemporaryDirectory(prefix="cachelint-mypy-cache-")
    _KEEP.append(folder)
    return folder.name


_KEEP: list[tempfile.TemporaryDirectory[str]] = []


@dataclass(frozen=True)
class MypyRun:
    findings: Findings
    stdout: str
    stderr: str
    status: int


def mypy_findings(project: Path, files: Iterable[Path] | None = None) -> MypyRun:
    """mypy with the plugin over ``files`` (default: every file of ``project``), run from ``project``."""
    from mypy import api

    targets = sorted(files) if files is not None else sorted(project.rglob("*.py"))
    with tempfile.TemporaryDirectory(prefix="cachelint-mypy-") as scratch:
        if _has_mypy_config(project):
            config = project / "pyproject.toml"
        else:
            config = Path(scratch) / "mypy.ini"
            codes = ", ".join(rule.mypy_code for rule in ACTIVE)
            config.write_text(_PLUGIN_ONLY.format(mypy_path=f"{project}:{REPO}", codes=codes), encoding="utf-8")
        args = [
            "--config-file",
            str(config),
            "--cache-dir",
            _shared_cache(),
            "--show-column-numbers",
            "--no-error-summary",
            "--hide-error-context",
            "--no-pretty",
            "--show-traceback",
            *(str(path) for path in targets),
        ]
        with _cwd(project):
            stdout, stderr, status = api.run(args)
    found: Findings = defaultdict(set)
    for line in stdout.splitlines():
        match = _MYPY.match(line)
        if match is None:
            continue
        path = Path(match["path"])
        path = (path if path.is_absolute() else project / path).resolve()
        found[path].add(Finding(int(match["line"]), CODE_TO_RULE.get(match["code"], match["code"]), int(match["col"])))
    return MypyRun(found, stdout, stderr, status)


@functools.cache
def mypy_project(project: Path) -> MypyRun:
    """:func:`mypy_findings` over every file of ``project``, once per test session."""
    return mypy_findings(project)


@functools.cache
def flake8_all() -> Findings:
    """:func:`flake8_findings` over every fixture file, once per test session."""
    return flake8_findings(sorted(FIXTURES.rglob("*.py")))
