"""One file discovery for ``check`` and ``fix`` (issue 11): the codemod never rewrites what ``check`` skips.

Exclusions come from every source at once (configured ``exclude`` and
``extend-exclude``, ``.gitignore`` at two levels, ``.git/info/exclude``, git's
``core.excludesFile`` and ruff's default folders), and special files (a
symbolic link loop, a broken link, a FIFO) are skipped with a note instead of
aborting ``check`` or hanging ``fix``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from processes import Runner, git, python

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

#: One CLT101 the codemod rewrites (line 17).
FIXABLE = """\
from typing import Any

from pydantic import BaseModel


class Pattern(BaseModel):
    name: str


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        pass


async def load(cache: CacheManager, key: str) -> list[Pattern] | None:
    return await cache.get("patterns", key)
"""

INCLUDED = ["app.py", "pkg/mod.py", "keep/keep.gen.py"]
EXCLUDED = [
    "migrations/0001.py",  # exclude (a folder name at any depth)
    "pkg/legacy_old.py",  # extend-exclude (a file glob)
    "generated/g.py",  # root .gitignore (a folder)
    "pkg/inner/local.py",  # pkg/.gitignore
    "keep/x.gen.py",  # root .gitignore (a file glob; keep.gen.py is re-included)
    "scratch/s.py",  # .git/info/exclude
    "secret_local.py",  # core.excludesFile
    "build/b.py",  # default folders
    "_build/b.py",
    "site-packages/sp.py",
    ".direnv/d.py",
    "__pypackages__/p.py",
]


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A repository using every exclusion source, and the environment pointing git's config at it."""
    repo = tmp_path / "repo"
    home = tmp_path / "home"
    repo.mkdir()
    home.mkdir()
    git("init", "-q", ".", cwd=repo)
    (home / ".gitconfig").write_text(f"[core]\n\texcludesFile = {home / 'global-ignore'}\n", encoding="utf-8")
    (home / "global-ignore").write_text("secret_*.py\n", encoding="utf-8")
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("scratch/\n", encoding="utf-8")
    (repo / ".gitignore").write_text("generated/\n*.gen.py\n!keep.gen.py\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text(
        '[tool.cachelint]\nexclude = ["migrations"]\nextend-exclude = ["pkg/legacy_*.py"]\n', encoding="utf-8"
    )
    for name in INCLUDED + EXCLUDED:
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FIXABLE, encoding="utf-8")
    (repo / "pkg" / ".gitignore").write_text("inner/\n", encoding="utf-8")
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    return repo, env


def _reported(out: str) -> list[str]:
    return sorted({line.split(":")[0] for line in out.splitlines() if ": CLT101 " in line})


def _changed(repo: Path) -> list[str]:
    return sorted(name for name in INCLUDED + EXCLUDED if (repo / name).read_text(encoding="utf-8") != FIXABLE)


@needs_git
def test_fix_rewrites_exactly_what_check_reports(tree: tuple[Path, dict[str, str]], cachelint: Runner) -> None:
    repo, env = tree
    check = cachelint("check", "--no-cache", ".", cwd=repo, env=env)
    assert _reported(check.out) == sorted(INCLUDED), check.out + check.err
    fix = cachelint("fix", "--no-progress", ".", cwd=repo, env=env)
    assert fix.code == 0, fix.err
    assert _changed(repo) == sorted(INCLUDED)


@needs_git
def test_force_exclude_applies_to_named_files_in_fix(tree: tuple[Path, dict[str, str]], cachelint: Runner) -> None:
    repo, env = tree
    named = ["app.py", *EXCLUDED]
    forced = cachelint("fix", "--no-progress", "--force-exclude", *named, cwd=repo, env=env)
    assert forced.code == 0, forced.err
    assert _changed(repo) == ["app.py"]
    # Named without --force-exclude, a file is fixed even if excluded (as `check` checks it).
    plain = cachelint("fix", "--no-progress", "build/b.py", cwd=repo, env=env)
    assert plain.code == 0, plain.err
    assert _changed(repo) == ["app.py", "build/b.py"]


def test_both_pre_commit_hooks_pass_force_exclude() -> None:
    manifest = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    entries = [line.split(":", 1)[1].strip() for line in lines if line.startswith("  entry:")]
    assert len(entries) == 2 and all("--force-exclude" in entry.split() for entry in entries), entries


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_special_files_are_skipped_with_a_note(tmp_path: Path, cachelint: Runner) -> None:
    (tmp_path / "app.py").write_text(FIXABLE, encoding="utf-8")
    os.symlink("loop_b.py", tmp_path / "loop_a.py")
    os.symlink("loop_a.py", tmp_path / "loop_b.py")
    os.symlink("gone.py", tmp_path / "dangling.py")
    os.mkfifo(tmp_path / "pipe.py")

    check = cachelint("check", "--no-cache", ".", cwd=tmp_path)
    assert check.code == 1, check.err  # the finding in app.py; a skipped special file is no error
    assert _reported(check.out) == ["app.py"]
    for name, reason in [
        ("loop_a.py", "symbolic link loop"),
        ("loop_b.py", "symbolic link loop"),
        ("dangling.py", "broken symbolic link"),
        ("pipe.py", "FIFO"),
    ]:
        assert any(name in line and reason in line for line in check.err.splitlines()), check.err

    # Named explicitly, too; and the codemod never opens the FIFO (it would block).
    explicit = cachelint("check", "--no-cache", "pipe.py", "loop_a.py", cwd=tmp_path)
    assert explicit.code == 0 and "pipe.py: skipped" in explicit.err and "loop_a.py: skipped" in explicit.err
    fix = cachelint("fix", "--no-progress", ".", cwd=tmp_path)
    assert fix.code == 0, fix.err
    assert "pipe.py: skipped" in fix.err
    assert (tmp_path / "app.py").read_text(encoding="utf-8") != FIXABLE


@needs_git
def test_flake8_reports_nothing_in_files_check_excludes(tree: tuple[Path, dict[str, str]]) -> None:
    repo, env = tree
    named = ["app.py", "migrations/0001.py", "pkg/legacy_old.py", "generated/g.py", "scratch/s.py", "build/b.py"]
    # Not --isolated: the tree's own exclude configuration is under test.
    done = python("-m", "flake8", "--jobs", "1", "--select", "CLT101", *named, cwd=repo, env=env)
    assert _reported(done.out) == ["app.py"], done.out + done.err


@needs_git
def test_a_named_folder_git_ignores_is_walked_with_the_other_patterns(tmp_path: Path, cachelint: Runner) -> None:
    git("init", "-q", ".", cwd=tmp_path)
    (tmp_path / ".gitignore").write_text("/versions/\n*.gen.py\n", encoding="utf-8")
    for name in ("versions/lib/a.py", "versions/lib/b.gen.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(FIXABLE, encoding="utf-8")
    assert _reported(cachelint("check", "--no-cache", ".", cwd=tmp_path).out) == []
    named = cachelint("check", "--no-cache", "versions/lib", cwd=tmp_path)
    assert _reported(named.out) == ["versions/lib/a.py"], named.out + named.err
