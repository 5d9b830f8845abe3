"""The flake8 adapter, through the real flake8: options, configuration errors, noqa."""

from __future__ import annotations

import textwrap
from pathlib import Path

from processes import flake8

CACHE_MODULE = """
from typing import Any

class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any: ...

class LegacyStore:
    # Neither named like a cache nor a get with a set/delete: a cache only when configured.
    def get(self, key: str) -> Any: ...
"""

USER_MODULE = """
from caches import CacheManager, LegacyStore

async def read(cache: CacheManager, legacy: LegacyStore) -> None:
    await cache.get("t", "k")
    await cache.get("t", "k")  # noqa: CLT101
    await legacy.get("k")
"""


def _project(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.cachelint]\n{config}\n", encoding="utf-8")
    (tmp_path / "caches.py").write_text(CACHE_MODULE, encoding="utf-8")
    (tmp_path / "user.py").write_text(USER_MODULE, encoding="utf-8")
    return tmp_path


def test_reports_with_position_and_respects_noqa(tmp_path: Path) -> None:
    result = flake8("--select", "CLT", "user.py", cwd=_project(tmp_path))
    assert result.code == 1
    assert result.out.splitlines() == [
        "user.py:5:5: CLT101 `await` on synchronous CacheManager.get() called on 'cache'; "
        "wrap the cache in cachelint.runtime.AsyncCacheManager and await its typed methods, "
        "or drop the `await`"
    ]


def test_config_names_more_sync_classes(tmp_path: Path) -> None:
    project = _project(tmp_path, 'sync-cache-classes = ["CacheManager", "LegacyStore"]')
    result = flake8("--select", "CLT101", "user.py", cwd=project)
    assert [line.split(": ")[0] for line in result.out.splitlines()] == ["user.py:5:5", "user.py:7:5"]


def test_flake8_option_overrides_pyproject(tmp_path: Path) -> None:
    project = _project(tmp_path, 'sync-cache-classes = ["CacheManager", "LegacyStore"]')
    result = flake8("--select", "CLT101", "--cachelint-not-cache-classes=CacheManager", "user.py", cwd=project)
    assert [line.split(": ")[0] for line in result.out.splitlines()] == ["user.py:7:5"]


def test_async_cache_classes_win(tmp_path: Path) -> None:
    project = _project(tmp_path, 'async-cache-classes = ["CacheManager"]')
    result = flake8("--select", "CLT", "user.py", cwd=project)
    assert result.code == 0, result.out


def test_bad_value_is_one_line_and_exit_2(tmp_path: Path) -> None:
    project = _project(tmp_path, "sync-cache-classes = 3")
    result = flake8("--select", "CLT", "user.py", cwd=project)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1
    assert "'sync-cache-classes' must be a list of non-empty strings, got 3" in lines[0]


def test_invalid_toml_is_one_line(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "pyproject.toml").write_text("[tool.cachelint\n", encoding="utf-8")
    result = flake8("--select", "CLT", "user.py", cwd=project)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert "invalid TOML" in result.err


def test_unknown_key_warns_and_still_checks(tmp_path: Path) -> None:
    project = _project(tmp_path, "sync-cache-clases = ['X']")
    result = flake8("--select", "CLT", "user.py", cwd=project)
    assert result.code == 1
    assert "unknown key 'sync-cache-clases' ignored" in result.err


def test_unknown_selector_in_config_is_rejected(tmp_path: Path) -> None:
    project = _project(tmp_path, "extend-select = ['CLT999']")
    result = flake8("--select", "CLT", "user.py", cwd=project)
    assert result.code == 2
    assert "unknown rule 'CLT999'" in result.err


def test_nested_bad_config_fails_the_run_without_traceback(tmp_path: Path) -> None:
    project = _project(tmp_path)
    nested = project / "sub"
    nested.mkdir()
    (nested / "pyproject.toml").write_text("[tool.cachelint]\nvalidators = [1]\n", encoding="utf-8")
    for index in range(3):
        (nested / f"m{index}.py").write_text("x = 1\n", encoding="utf-8")
    result = flake8("--select", "CLT", "-j", "2", ".", cwd=project)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "CLT000 cachelint configuration error" in result.out
    assert "'validators' must be a list of non-empty strings" in result.out


def test_blocking_rule_is_opt_in(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "blocking.py").write_text(
        textwrap.dedent(
            """
            from caches import CacheManager

            async def read(cache: CacheManager) -> object:
                return cache.get("t", "k")
            """
        ),
        encoding="utf-8",
    )
    default = flake8("blocking.py", cwd=project)
    assert "CLT104" not in default.out
    opted_in = flake8("--extend-select", "CLT104", "blocking.py", cwd=project)
    assert "blocking.py:5:12: CLT104" in opted_in.out


_IMPORTED_ENGINE = """
import atexit, sys
from flake8.main.cli import main
atexit.register(lambda: print("engine imported:", "cachelint.analysis" in sys.modules))
main(["--isolated", "--select", {select!r}, "user.py"])
"""


def _engine_ran(tmp_path: Path, select: str) -> tuple[int, bool]:
    """(CLT result lines, whether the engine was imported) of the real flake8 command line in a process."""
    import subprocess
    import sys

    tmp_path.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED_ENGINE.format(select=select)],
        cwd=_project(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert lines[-1].startswith("engine imported:"), done.stdout + done.stderr
    return sum(" CLT" in line for line in lines), lines[-1].endswith("True")


def test_a_run_that_selects_no_clt_code_does_not_analyse(tmp_path: Path) -> None:
    # flake8 runs every plugin whatever is selected: without this, --select E9 paid for the engine.
    assert _engine_ran(tmp_path / "e9", "E9") == (0, False)
    assert _engine_ran(tmp_path / "both", "E9,CLT") == (1, True)
    assert _engine_ran(tmp_path / "c", "C") == (1, True)  # ``C`` selects the CLT codes too
    assert _engine_ran(tmp_path / "one", "CLT101") == (1, True)
