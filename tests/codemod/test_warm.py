"""The codemod reuses ``cachelint check``'s result cache, and honours noqa like it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

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
