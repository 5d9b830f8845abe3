"""The codemod reuses ``cachelint check``'s result cache, and honours noqa like it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from codemod_snippets import FIXABLE

RESEARCH_APP = Path(__file__).resolve().parents[1] / "fixtures" / "research_app"


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_warm_check_matches_cold_and_skips_the_engine_on_clean_files(tmp_path: Path) -> None:
    app = tmp_path / "app"
    shutil.copytree(RESEARCH_APP, app)
    clean = app / "src" / "clean_async.py"
    clean.write_text("async def f(x):\n    return await x\n", encoding="utf-8")
    cold = _run(app, "-m", "cachelint.codemod", "--check", "--no-progress", ".")
    assert cold.returncode == 1
    lint = _run(app, "-m", "cachelint", "check", ".")
    assert lint.returncode == 1 and (app / ".cachelint_cache").is_dir()
    warm = _run(app, "-m", "cachelint.codemod", "--check", "--no-progress", ".")
    assert warm.returncode == 1
    assert warm.stdout == cold.stdout  # same sites, same manual-fix lines, same summary

    # Only the clean file left: answered from the cache, the engine is never imported.
    shutil.rmtree(app / "src" / "agents")
    shutil.rmtree(app / "tests")
    assert _run(app, "-m", "cachelint", "check", ".").returncode == 0
    only_clean = _run(app, "-m", "cachelint.codemod", "--check", "--no-progress", ".")
    assert only_clean.returncode == 0, only_clean.stdout + only_clean.stderr
    assert "cachelint.analysis.engine" not in only_clean.stderr


def test_noqa_site_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    module = tmp_path / "m.py"
    module.write_text(
        textwrap.dedent(
            """
            from typing import Any
            from pydantic import BaseModel

            class CacheManager:
                def get(self, cache_type: str, content_key: str) -> Any: ...

            class Item(BaseModel):
                name: str

            async def one(cache: CacheManager) -> Item | None:
                return await cache.get("items", "k")  # noqa: CLT101, CLT103
            """
        ),
        encoding="utf-8",
    )
    before = module.read_text(encoding="utf-8")
    result = _run(tmp_path, "-m", "cachelint.codemod", "--no-progress", "m.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert module.read_text(encoding="utf-8") == before


def test_a_cold_check_leaves_the_cache_warm_for_the_next_run_and_for_cachelint_check(tmp_path: Path) -> None:
    """The codemod's engine pass is check's, so it stores its results as check does."""
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    (tmp_path / "clean_async.py").write_text("async def f(x):\n    return await x\n", encoding="utf-8")
    (tmp_path / "fixable.py").write_text(FIXABLE, encoding="utf-8")
    cold = _run(tmp_path, "-m", "cachelint.codemod", "--check", "--no-progress", ".")
    assert cold.returncode == 1, cold.stdout + cold.stderr
    assert "| cachelint.checker" in cold.stderr
    assert (tmp_path / ".cachelint_cache").is_dir()

    # cachelint check answers both files from what the codemod stored: no engine pass.
    lint = _run(tmp_path, "-m", "cachelint", "check", ".")
    assert lint.returncode == 1 and "fixable.py:" in lint.stdout, lint.stdout + lint.stderr
    assert "| cachelint.checker" not in lint.stderr

    # With the fixable file gone, the next --check is a stat per file.
    (tmp_path / "fixable.py").unlink()
    warm = _run(tmp_path, "-m", "cachelint.codemod", "--check", "--no-progress", ".")
    assert warm.returncode == 0, warm.stdout + warm.stderr
    assert "| cachelint.checker" not in warm.stderr
    assert "| cachelint.analysis.engine" not in warm.stderr
