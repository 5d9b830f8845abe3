"""``--check``: only files with a finding reach the planner, and only files with a certain site reach LibCST.

Seen from outside, in a real subprocess, by what it imports (``-X importtime``):
the engine pass is ``cachelint check``'s (:mod:`cachelint.checker`); the
planner (:mod:`cachelint.codemod.process`) is loaded only when that pass found
something the codemod acts on; LibCST only when a site can be rewritten.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemod_snippets import FIXABLE

#: Awaits on a cache whose methods are ``async def`` (aiocache style): correct code, no finding.
CLEAN_ASYNC = """\
class AsyncCache:
    async def get(self, key: str) -> object: ...

    async def set(self, key: str, value: object) -> None: ...


async def load(cache: AsyncCache, key: str) -> object:
    value = await cache.get(key)
    await cache.set(key, value)
    return value
"""

#: A CLT101 whose model class nobody declares: listed for a manual fix, never rewritten.
MANUAL_ONLY = """\
from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any: ...


async def load(cache: CacheManager):
    return await cache.get("rows", "k")
"""


def _check(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cachelint.codemod", "--check", "--no-progress", "-j", "1", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={"PATH": "", "CACHELINT_CACHE_DIR": str(project / ".no-cache")},
    )


def _imported(run: subprocess.CompletedProcess[str], module: str) -> bool:
    return any(line.rstrip().endswith(f"| {module}") for line in run.stderr.splitlines())


def test_each_stage_sees_only_the_files_that_need_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    (tmp_path / "clean_async.py").write_text(CLEAN_ASYNC, encoding="utf-8")
    (tmp_path / "plain.py").write_text("def f(d: dict[str, int]) -> int:\n    return d['k']\n", encoding="utf-8")

    clean = _check(tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert _imported(clean, "cachelint.checker")  # the engine pass ran, as check runs it
    assert not _imported(clean, "cachelint.codemod.process")
    assert not _imported(clean, "libcst")
    assert "2 file(s) scanned, 0 would change" in clean.stdout

    (tmp_path / "manual_only.py").write_text(MANUAL_ONLY, encoding="utf-8")
    manual = _check(tmp_path)
    assert manual.returncode == 0, manual.stdout + manual.stderr
    assert _imported(manual, "cachelint.codemod.process")
    assert not _imported(manual, "libcst")
    assert "manual_only.py:9:12: CLT101 needs manual fix: cannot tell which Pydantic model" in manual.stdout

    (tmp_path / "fixable.py").write_text(FIXABLE, encoding="utf-8")
    fixable = _check(tmp_path)
    assert fixable.returncode == 1, fixable.stdout + fixable.stderr
    assert _imported(fixable, "libcst")
    assert "would rewrite fixable.py (CLT101 1, CLT102 1)" in fixable.stdout
    assert (tmp_path / "fixable.py").read_text(encoding="utf-8") == FIXABLE
