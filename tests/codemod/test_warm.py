"""The codemod reuses ``cachelint check``'s result cache, and honours noqa like it."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from codemod_snippets import FIXABLE
from processes import CODEMOD_MODULE, Run, python

RESEARCH_APP = Path(__file__).resolve().parents[1] / "fixtures" / "research_app"


def _run(cwd: Path, *args: str) -> Run:
    # -X importtime: which modules a run imports is part of what is tested.
    return python("-X", "importtime", *args, cwd=cwd)


def test_warm_check_matches_cold_and_skips_the_engine_on_clean_files(tmp_path: Path) -> None:
    app = tmp_path / "app"
    shutil.copytree(RESEARCH_APP, app)
    clean = app / "src" / "clean_async.py"
    clean.write_text("async def f(x):\n    return await x\n", encoding="utf-8")
    cold = _run(app, "-m", CODEMOD_MODULE, "--check", "--no-progress", ".")
    assert cold.code == 1
    lint = _run(app, "-m", "cachelint", "check", ".")
    assert lint.code == 1 and (app / ".cachelint_cache").is_dir()
    warm = _run(app, "-m", CODEMOD_MODULE, "--check", "--no-progress", ".")
    assert warm.code == 1
    assert warm.out == cold.out  # same sites, same manual-fix lines, same summary

    # Only the clean file left: answered from the cache, the engine is never imported.
    shutil.rmtree(app / "src" / "agents")
    shutil.rmtree(app / "tests")
    assert _run(app, "-m", "cachelint", "check", ".").code == 0
    only_clean = _run(app, "-m", CODEMOD_MODULE, "--check", "--no-progress", ".")
    assert only_clean.code == 0, only_clean.out + only_clean.err
    assert "cachelint.analysis.engine" not in only_clean.err


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
    result = _run(tmp_path, "-m", CODEMOD_MODULE, "--no-progress", "m.py")
    assert result.code == 0, result.out + result.err
    assert module.read_text(encoding="utf-8") == before


def test_a_cold_check_leaves_the_cache_warm_for_the_next_run_and_for_cachelint_check(tmp_path: Path) -> None:
    """The codemod's engine pass is check's, so it stores its results as check does."""
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    (tmp_path / "clean_async.py").write_text("async def f(x):\n    return await x\n", encoding="utf-8")
    (tmp_path / "fixable.py").write_text(FIXABLE, encoding="utf-8")
    cold = _run(tmp_path, "-m", CODEMOD_MODULE, "--check", "--no-progress", ".")
    assert cold.code == 1, cold.out + cold.err
    assert "| cachelint.checker" in cold.err
    assert (tmp_path / ".cachelint_cache").is_dir()

    # cachelint check answers both files from what the codemod stored: no engine pass.
    lint = _run(tmp_path, "-m", "cachelint", "check", ".")
    assert lint.code == 1 and "fixable.py:" in lint.out, lint.out + lint.err
    assert "| cachelint.checker" not in lint.err

    # With the fixable file gone, the next --check is a stat per file.
    (tmp_path / "fixable.py").unlink()
    warm = _run(tmp_path, "-m", CODEMOD_MODULE, "--check", "--no-progress", ".")
    assert warm.code == 0, warm.out + warm.err
    assert "| cachelint.checker" not in warm.err
    assert "| cachelint.analysis.engine" not in warm.err
