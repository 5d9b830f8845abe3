"""The engine as a library: fix hints, the project index, odd syntax, other interpreters."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from processes import python312, python312_check_source

from cachelint.analysis import check_source
from cachelint.config import Settings, load_settings

RESEARCH_APP = Path(__file__).parent / "fixtures" / "research_app"


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def _check(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    return [(d.line, d.code) for d in check_source(source, path, load_settings(path))]


def test_fix_hints_on_the_research_app() -> None:
    path = RESEARCH_APP / "src" / "agents" / "research_executor_tools.py"
    diagnostics = check_source(path.read_text(encoding="utf-8"), path, load_settings(path))
    hints = {
        (d.line, d.fix.method, d.fix.shape, d.fix.model_source) for d in diagnostics if d.code == "CLT101" and d.fix
    }
    assert hints == {
        (38, "get", "list", "ClusterAnalysis"),
        (48, "set", "list", "ClusterAnalysis"),
        (60, "get", "list", "KeyInsight"),
        (70, "set", "list", "KeyInsight"),
        (82, "get", "list", "PatternAnalysis"),
        (96, "set", "list", "PatternAnalysis"),
        (110, "get", "model", "ResearchSynthesis"),
        (120, "set", "model", "ResearchSynthesis"),
    }
    assert all(d.fix is not None and d.fix.certain for d in diagnostics if d.code == "CLT101")
    operations = {d.fix.operation for d in diagnostics if d.code == "CLT101" and d.fix}
    assert operations == {"identify_clusters", "extract_key_insights", "analyze_patterns", "generate_synthesis"}


def test_fix_hint_refuses_without_a_model(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pyproject.toml": "",
            "app.py": """
                from typing import TYPE_CHECKING, Any
                from cache import CacheManager
                if TYPE_CHECKING:
                    from models import Item

                async def untyped(cache: CacheManager) -> Any:
                    return await cache.get("k")

                async def type_checking_only(cache: CacheManager) -> "list[Item]":
                    return await cache.get("k")
            """,
            "cache.py": """
                class CacheManager:
                    def get(self, cache_type, content_key): ...
            """,
            "models.py": """
                from pydantic import BaseModel
                class Item(BaseModel):
                    name: str
            """,
        },
    )
    path = tmp_path / "app.py"
    hints = [d.fix for d in check_source(path.read_text(), path, load_settings(path)) if d.code == "CLT101"]
    assert len(hints) == 2
    assert (
        hints[0] is not None and not hints[0].certain and "cannot tell which Pydantic model" in (hints[0].reason or "")
    )
    assert hints[1] is not None and not hints[1].certain and "TYPE_CHECKING" in (hints[1].reason or "")


def test_index_follows_relative_imports_and_reexports(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pyproject.toml": "",
            "src/pkg/__init__.py": "from .infra import Store as PublicStore\n",
            "src/pkg/infra/__init__.py": "from .store import Store\n",
            "src/pkg/infra/store.py": """
                class Base:
                    def get(self, cache_type: str, content_key: str): ...
                class Store(Base):
                    pass
            """,
            "src/pkg/app/handlers.py": """
                from .. import PublicStore
                from ..infra import store as store_module

                async def one(s: PublicStore) -> None:
                    await s.get("t", "k")

                async def two(s: "store_module.Store") -> None:
                    await s.get("t")
            """,
        },
    )
    (tmp_path / "pyproject.toml").write_text('[tool.cachelint]\nsync-cache-classes = ["pkg.infra.store.Base"]\n')
    assert _check(tmp_path / "src/pkg/app/handlers.py") == [(6, "CLT101"), (9, "CLT101"), (9, "CLT102")]


def test_deps_and_cache_in_a_sibling_package_without_pyproject(tmp_path: Path) -> None:
    # No pyproject.toml: the file's folder is the root, and siblings still resolve.
    _write(
        tmp_path,
        {
            "cache.py": "class CacheManager:\n    def get(self, a, b): ...\n",
            "use.py": "from cache import CacheManager\nasync def f(c: CacheManager):\n    await c.get(1, 2)\n",
        },
    )
    assert _check(tmp_path / "use.py") == [(3, "CLT101")]


ODD_SOURCES = [
    "async def f():\n    return [await x async for x in y]\n",
    "def f(*, a, **k): ...\nlambda: (yield)\n",
    "match x:\n    case {'a': 1, **rest}: pass\n    case [1, *others]: pass\n    case C(a=b) as d: pass\n",
    "class A:\n    global g\n    x: int\n    def m(self): nonlocal_name = 1\n",
    "try:\n    pass\nexcept* ValueError as e:\n    e.get('k')\n",
    "x = y = z = 1\n(a, *b), c = 1, 2\ndel a\n",
    "from . import *\nfrom ...x import y as z\nimport a.b.c\n",
    "f'{x!r:>{width}}'\n",
    "@decorator(arg)\nclass C(Base[int], metaclass=M):\n    cache: 'Broken syntax here (' = None\n",
]


@pytest.mark.parametrize("source", ODD_SOURCES)
def test_never_raises_on_odd_but_valid_code(source: str, tmp_path: Path) -> None:
    try:
        compile(source, "odd.py", "exec", dont_inherit=True, flags=0x400)  # ast only
    except SyntaxError:
        pytest.skip("syntax newer than this interpreter")
    path = tmp_path / "odd.py"
    assert check_source(source, path, Settings(root=tmp_path)) == []


PEP695 = """
from typing import Any

class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any: ...

type Alias[T] = list[T]

class Box[T]:
    def __init__(self, cache: CacheManager) -> None:
        self.cache = cache

    async def read[U](self, item: U) -> U:
        await self.cache.get("t", "k")
        return item

def ident[T](x: T) -> T:
    return x
"""


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 695 syntax needs Python 3.12")
def test_pep695_syntax_in_process(tmp_path: Path) -> None:
    path = tmp_path / "generic.py"
    diagnostics = check_source(PEP695, path, Settings(root=tmp_path))
    assert [(d.line, d.code) for d in diagnostics] == [(14, "CLT101")]


@pytest.mark.skipif(python312() is None, reason="no Python 3.12 interpreter on this machine")
def test_pep695_syntax_under_python312(tmp_path: Path) -> None:
    # The engine parses user code with the interpreter it runs under and needs
    # only the standard library, so the source tree runs as is under 3.12.
    path = tmp_path / "generic.py"
    path.write_text(PEP695, encoding="utf-8")
    result = python312_check_source(path)
    assert result.code == 0, result.err
    assert result.out.strip() == "[(14, 'CLT101')]"


def test_installed_source_outranks_the_configured_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "env" / "site-packages"
    _write(
        site,
        {
            "asynclib/__init__.py": "from .impl import CacheManager\n",
            "asynclib/impl.py": """
                class CacheManager:
                    async def get(self, key): ...
                    def set(self, key, value): ...
            """,
        },
    )
    project = tmp_path / "project"
    _write(
        project,
        {
            "pyproject.toml": "",
            "app.py": """
                from asynclib import CacheManager
                from elsewhere import CacheManager as Unseen

                async def f(cache: CacheManager, other: Unseen) -> None:
                    await cache.get("k")
                    await cache.set("k", 1)
                    await other.get("t", "k")
            """,
        },
    )
    monkeypatch.syspath_prepend(str(site))
    # get is async in the installed source; set is sync there; Unseen has no source,
    # so the configuration's default (CacheManager is a sync cache) applies.
    assert _check(project / "app.py") == [(7, "CLT101"), (8, "CLT101")]


def test_long_lived_process_does_not_accumulate_frozen_garbage(tmp_path: Path) -> None:
    # check_tree freezes what survives a check; forgetting a configuration must
    # still free its summaries, or a fuzzer / editor process would grow forever.
    import gc

    from cachelint.analysis import engine

    source = (Path(__file__).parent / "fixtures" / "rules" / "clt101_await_sync.py").read_text()

    def run(count: int, offset: int) -> None:
        for index in range(count):
            root = tmp_path / f"p{offset + index}"
            root.mkdir()
            check_source(source, root / "x.py", Settings(root=root))

    run(engine.MAX_CONFIGURATIONS + 5, 0)
    frozen = gc.get_freeze_count()
    run(engine.MAX_CONFIGURATIONS * 2, 1000)
    assert len(engine._KNOWLEDGE) <= engine.MAX_CONFIGURATIONS
    assert gc.get_freeze_count() <= frozen * 1.2


def test_a_changed_text_at_one_path_is_analysed_afresh(tmp_path: Path) -> None:
    # An editor buffer, a fuzzer or the codemod's re-check: same path, new text.
    sync = "from typing import Any\nclass CacheManager:\n    def get(self, a: str, b: str) -> Any: ...\n"
    use = "async def f(c: CacheManager) -> None:\n    await c.get('a', 'b')\n"
    asynchronous = sync.replace("    def get", "    async def get")
    unsaved = tmp_path / "buffer.py"
    settings = Settings(root=tmp_path)
    codes = [
        [d.code for d in check_source(text, unsaved, settings)] for text in (sync + use, asynchronous + use, sync + use)
    ]
    assert codes == [["CLT101"], [], ["CLT101"]]
    saved = tmp_path / "saved.py"
    saved.write_text(sync + use, encoding="utf-8")
    assert [d.code for d in check_source(sync + use, saved, settings)] == ["CLT101"]
    assert [d.code for d in check_source(asynchronous + use, saved, settings)] == []
