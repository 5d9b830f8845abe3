"""The README's ``repo: local`` pre-commit configuration works as written, with no published tag."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from processes import REPO, Run, git, python

BUGGY = """\
from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None


async def load(cache: CacheManager) -> None:
    await cache.get("patterns", "key")
"""

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _readme_config() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### pre-commit") :]
    match = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert match is not None
    return match.group(1)


def test_readme_shows_local_repo_and_language_version() -> None:
    config = _readme_config()
    assert "repo: local" in config and "rev:" not in config
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "language_version" in readme[readme.index("### pre-commit") : readme.index("### CI gate")]


def test_readme_local_config_runs(tmp_path: Path) -> None:
    env = {
        # language: system runs the cachelint on PATH: this environment's.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "CACHELINT_CACHE_DIR": None,
    }
    repo = tmp_path / "user"
    repo.mkdir()
    (repo / ".pre-commit-config.yaml").write_text(_readme_config(), encoding="utf-8")
    (repo / "cache_demo.py").write_text(BUGGY, encoding="utf-8")
    git("init", "-q", cwd=repo, env=env)
    git("add", "-A", cwd=repo, env=env)

    def run() -> Run:
        return python("-m", "pre_commit", "run", "--all-files", cwd=repo, env=env)

    failing = run()
    assert failing.code == 1, failing.out + failing.err
    assert "cache_demo.py:10:5: CLT101 " in failing.out
    (repo / "cache_demo.py").write_text(BUGGY.replace("await cache.get", "cache.get"), encoding="utf-8")
    git("add", "-A", cwd=repo, env=env)
    passing = run()
    assert passing.code == 0, passing.out + passing.err
