"""Standard input: ``check``/``fix --stdin-filename PATH -`` behave as if the text were at PATH."""

from __future__ import annotations

from pathlib import Path

from processes import Runner

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


def test_check_stdin_uses_the_project_of_the_path(project: Path, cachelint: Runner, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
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
    result = cachelint("check", "--stdin-filename", "app.py", "-", input=text)
    assert result.code == 1, result.err
    assert result.out.splitlines()[0].startswith("app.py:5:5: CLT101 ")
    # The same text "at" a path outside the project: Store is no cache there, so nothing is guessed.
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    outside = cachelint("check", "--stdin-filename", str(elsewhere / "app.py"), "-", input=text)
    assert (outside.code, outside.out) == (0, "All checks passed!\n")


def test_check_stdin_honours_config_and_noqa(project: Path, cachelint: Runner) -> None:
    (project / "pyproject.toml").write_text("[tool.cachelint]\nignore = ['CLT101']\n", encoding="utf-8")
    ignored = cachelint("check", "--stdin-filename", "app.py", "-", input=APP)
    assert ignored.code == 0
    (project / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    silenced = APP.replace("1)\n", "1)  # noqa: CLT101\n")
    assert cachelint("check", "--stdin-filename", "app.py", "-", input=silenced).code == 0


def test_check_stdin_formats_and_errors(project: Path, cachelint: Runner) -> None:
    sarif = cachelint("check", "--output-format", "sarif", "--stdin-filename", "app.py", "-", input=APP)
    assert '"partialFingerprints"' in sarif.out
    broken = cachelint("check", "--stdin-filename", "app.py", "-", input="def f(:\n")
    assert broken.code == 2
    assert broken.err.strip() == "app.py:1:7: error: cannot parse: invalid syntax"
    mixed = cachelint("check", "-", "app.py", input=APP)
    assert mixed.code == 2 and "cannot be combined" in mixed.err


def test_fix_stdin_prints_the_fixed_text(project: Path, cachelint: Runner) -> None:
    (project / "app.py").write_text("x = 1\n", encoding="utf-8")
    result = cachelint("fix", "--stdin-filename", "app.py", "-", input=FIXABLE)
    assert result.code == 0, result.err
    assert 'return await as_async(cache).get_list(CacheKey("patterns", "key"), Pattern)' in result.out
    assert (project / "app.py").read_text(encoding="utf-8") == "x = 1\n"  # nothing written
    # Nothing to fix: the text comes back unchanged, so an editor can always replace its buffer.
    plain = "x = 1\n"
    assert cachelint("fix", "--stdin-filename", "app.py", "-", input=plain).out == plain
    checked = cachelint("check", "--fix", "--stdin-filename", "app.py", "-", input=FIXABLE)
    assert checked.out == result.out
