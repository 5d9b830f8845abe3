"""The pre-commit hooks, used from another repository through the real ``pre-commit try-repo``.

pre-commit installs this checkout into its own virtualenv (pip, from PyPI),
so the test is slow (~20 s) and marked ``slow``; CI still runs it.  try-repo
only sees committed or staged files, so the test snapshots the working tree
(tracked and untracked, minus ignored files) into a temporary git repository
first: the hooks under test are the ones on disk, committed or not.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from processes import REPO, Run, git, python

PRE_COMMIT = ("-m", "pre_commit")

BUGGY = '''\
from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None


async def load(cache: CacheManager) -> None:
    await cache.get("patterns", "key")
'''

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def _snapshot(dest: Path) -> Path:
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO).split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "snapshot", cwd=dest)
    return dest


def test_hooks_manifest_lists_both_hooks() -> None:
    import yaml  # pre-commit's own dependency

    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"cachelint", "cachelint-fix"}
    assert hooks["cachelint"]["entry"].startswith("cachelint check")
    assert hooks["cachelint-fix"]["entry"].startswith("cachelint fix")
    assert all(hook["language"] == "python" and hook["types"] == ["python"] for hook in hooks.values())


def test_try_repo_fails_on_the_bug_and_passes_once_fixed(tmp_path: Path) -> None:
    checkout = _snapshot(tmp_path / "cachelint")
    user_repo = tmp_path / "user"
    user_repo.mkdir()
    git("init", "-q", cwd=user_repo)
    (user_repo / "cache_demo.py").write_text(BUGGY, encoding="utf-8")
    git("add", "-A", cwd=user_repo)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "CACHELINT_CACHE_DIR": None}

    def try_repo() -> Run:
        return python(*PRE_COMMIT, "try-repo", str(checkout), "cachelint", "--all-files", cwd=user_repo, env=env,
                      timeout=900)

    failing = try_repo()
    assert failing.code == 1, failing.out + failing.err
    assert "cache_demo.py:10:5: CLT101 " in failing.out

    (user_repo / "cache_demo.py").write_text(BUGGY.replace("await cache.get", "cache.get"), encoding="utf-8")
    git("add", "-A", cwd=user_repo)
    passing = try_repo()
    assert passing.code == 0, passing.out + passing.err
    assert "CLT101" not in passing.out


FIXABLE = """\
from typing import Any

from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        pass


class Row(BaseModel):
    id: int


async def load(cache: CacheManager) -> Row | None:
    return await cache.get("rows", "key")
"""


def test_try_repo_fix_hook_has_its_extra(tmp_path: Path) -> None:
    # cachelint alone has no LibCST: the hook must bring the [codemod] extra's dependency itself.
    checkout = _snapshot(tmp_path / "cachelint")
    user_repo = tmp_path / "user"
    user_repo.mkdir()
    git("init", "-q", cwd=user_repo)
    (user_repo / "cache_demo.py").write_text(FIXABLE, encoding="utf-8")
    git("add", "-A", cwd=user_repo)
    env = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "CACHELINT_CACHE_DIR": None}
    result = python(*PRE_COMMIT, "try-repo", str(checkout), "cachelint-fix", "--all-files", cwd=user_repo, env=env,
                    timeout=900)
    # pre-commit fails a hook that modified files; the modification is the point.
    assert result.code == 1, result.out + result.err
    assert "needs the [codemod] extra" not in result.out
    assert "get_model" in (user_repo / "cache_demo.py").read_text(encoding="utf-8")
