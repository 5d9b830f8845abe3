"""Standard input: ``check``/``fix --stdin-filename PATH -`` behave as if the text were at PATH."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: CLT101 only when ``services.cache.CacheManager`` resolves through the project index.
APP = """\
from services.cache import CacheManager


async def store(cache: CacheManager) -> None:
    await cache.set("patterns", "key", 1)
"""

FIXABLE = """\
from pydantic import BaseModel

from services.cache import CacheManager


class Pattern(BaseModel):
    kind: str


async def load(cache: CacheManager) -> list[Pattern] | None:
    return await cache.get("patterns", "key")
"""


def _run(args: list[str], text: str, cwd: Path, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CACHELINT_CACHE_DIR": str(cache_dir)}
    return subprocess.run(
        [sys.executable, "-m", "cachelint", *args],
        input=text,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_check_stdin_uses_the_project_of_the_path(project: Path, cache_dir: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    # A cache class known only through the project's configuration: a text checked "at" a path
    # gets that path's settings and project index.
    store = (project / "services" / "cache.py").read_text(encoding="utf-8").replace("CacheManager", "Store")
    (project / "services" / "store.py").write_text(store, encoding="utf-8")
    (project / "pyproject.toml").write_text("[tool.cachelint]\nsync-cache-classes = ['Store']\n", encoding="utf-8")
    text = APP.replace("services.cache import CacheManager", "services.store import Store").replace(
        "CacheManager", "Store"
    )
    # A text that is not on disk (the file holds something else): the text is what is checked.
    (project / "app.py").write_text("x = 1\n", encoding="utf-8")
    result = _run(["check", "--stdin-filename", "app.py", "-"], text, project, cache_dir)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[0].startswith("app.py:5:5: CLT101 ")
    # The same text "at" a path outside the project: Store is no cache there, so nothing is guessed.
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    outside = _run(["check", "--stdin-filename", str(elsewhere / "app.py"), "-"], text, project, cache_dir)
    assert (outside.returncode, outside.stdout) == (0, "All checks passed!\n")


def test_check_stdin_honours_config_and_noqa(project: Path, cache_dir: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.cachelint]\nignore = ['CLT101']\n", encoding="utf-8")
    ignored = _run(["check", "--stdin-filename", "app.py", "-"], APP, project, cache_dir)
    assert ignored.returncode == 0
    (project / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    silenced = APP.replace("1)\n", "1)  # noqa: CLT101\n")
    assert _run(["check", "--stdin-filename", "app.py", "-"], silenced, project, cache_dir).returncode == 0


def test_check_stdin_formats_and_errors(project: Path, cache_dir: Path) -> None:
    sarif = _run(["check", "--output-format", "sarif", "--stdin-filename", "app.py", "-"], APP, project, cache_dir)
    assert '"partialFingerprints"' in sarif.stdout
    broken = _run(["check", "--stdin-filename", "app.py", "-"], "def f(:\n", project, cache_dir)
    assert broken.returncode == 2
    assert broken.stderr.strip() == "app.py:1:7: error: cannot parse: invalid syntax"
    mixed = _run(["check", "-", "app.py"], APP, project, cache_dir)
    assert mixed.returncode == 2 and "cannot be combined" in mixed.stderr


def test_fix_stdin_prints_the_fixed_text(project: Path, cache_dir: Path) -> None:
    (project / "app.py").write_text("x = 1\n", encoding="utf-8")
    result = _run(["fix", "--stdin-filename", "app.py", "-"], FIXABLE, project, cache_dir)
    assert result.returncode == 0, result.stderr
    assert 'return await as_async(cache).get_list(CacheKey("patterns", "key"), Pattern)' in result.stdout
    assert (project / "app.py").read_text(encoding="utf-8") == "x = 1\n"  # nothing written
    # Nothing to fix: the text comes back unchanged, so an editor can always replace its buffer.
    plain = "x = 1\n"
    assert _run(["fix", "--stdin-filename", "app.py", "-"], plain, project, cache_dir).stdout == plain
    checked = _run(["check", "--fix", "--stdin-filename", "app.py", "-"], FIXABLE, project, cache_dir)
    assert checked.stdout == result.stdout
