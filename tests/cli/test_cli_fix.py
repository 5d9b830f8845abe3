"""``cachelint fix`` is the codemod: same arguments, same output, same exit status, same rewrite."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from processes import CODEMOD_MODULE, Runner, python

FIXABLE = '''\
from pydantic import BaseModel

from services.cache import CacheManager


class Pattern(BaseModel):
    kind: str


async def load(cache: CacheManager) -> list[Pattern] | None:
    return await cache.get("patterns", "key")
'''


def test_fix_diff_and_check_match_the_codemod(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner
) -> None:
    write("app.py", FIXABLE)
    runs = {}
    for mode in ("--diff", "--check"):
        ours = cachelint("fix", mode, "--no-progress", ".", cwd=project)
        theirs = python("-m", CODEMOD_MODULE, mode, "--no-progress", ".", cwd=project)
        assert (ours.code, ours.out, ours.err) == (theirs.code, theirs.out, theirs.err)
        runs[mode] = ours
    assert runs["--check"].code == 1
    assert "get_list" in runs["--diff"].out


def test_fix_rewrites_like_the_codemod(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner, tmp_path_factory: Any
) -> None:
    write("app.py", FIXABLE)
    twin = tmp_path_factory.mktemp("twin") / "project"
    shutil.copytree(project, twin)
    ours = cachelint("fix", "--no-progress", "app.py", cwd=project)
    theirs = python("-m", CODEMOD_MODULE, "--no-progress", "app.py", cwd=twin)
    assert ours.code == theirs.code == 0
    fixed = (project / "app.py").read_text(encoding="utf-8")
    assert fixed != FIXABLE
    assert fixed == (twin / "app.py").read_text(encoding="utf-8")
    # The fixed file no longer has the awaited sync call.
    assert "CLT101" not in cachelint("check", "--no-cache", "app.py", cwd=project).out


def test_fix_help_is_the_codemods(cachelint: Runner) -> None:
    result = cachelint("fix", "--help")
    assert result.code == 0
    assert "--include-blocking" in result.out


def test_fix_bad_option_exits_2(cachelint: Runner) -> None:
    assert cachelint("fix", "--frobnicate", ".").code == 2
