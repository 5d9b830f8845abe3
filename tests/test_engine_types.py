"""The engine's type knowledge as a library: installed packages, generics, models (issue 10 items 1-4).

Installed packages are tested through the code path real site-packages use: a
fake package written into a temporary ``site-packages`` folder put on
``sys.path``.  The fixture files under ``tests/fixtures/types`` cover the same
categories through the real flake8.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest
from processes import python312, python312_check_source

from cachelint.analysis import check_source
from cachelint.analysis import index as index_module
from cachelint.analysis.engine import knowledge_for
from cachelint.checker import check_file, dependencies
from cachelint.config import Settings, load_settings

CACHE = """
    from typing import Any

    class CacheManager:
        def get(self, cache_type: str, content_key: str) -> Any: ...
        def set(self, cache_type: str, content_key: str, value: Any) -> None: ...
"""

# A trimmed copy of pydantic-ai's shapes: RunContext is a generic dataclass over a
# TypeVar from typing_extensions, re-exported from the package root; an agent run
# result carries ``output: OutputDataT``.
FAKE_PYDANTIC_AI = {
    "fake_ai/__init__.py": """
        from .tools import RunContext
        from .run import AgentRunResult
        from .agent import Agent
    """,
    "fake_ai/tools.py": "from ._run_context import AgentDepsT, RunContext\n",
    "fake_ai/_run_context.py": """
        import dataclasses
        from typing import Generic
        from typing_extensions import TypeVar

        AgentDepsT = TypeVar("AgentDepsT", default=None, contravariant=True)

        @dataclasses.dataclass(repr=False, kw_only=True)
        class RunContext(Generic[AgentDepsT]):
            deps: AgentDepsT
            retry: int = 0
    """,
    "fake_ai/run.py": """
        from dataclasses import dataclass
        from typing import Generic
        from typing_extensions import TypeVar

        OutputDataT = TypeVar("OutputDataT")

        @dataclass
        class AgentRunResult(Generic[OutputDataT]):
            output: OutputDataT
    """,
    "fake_ai/agent.py": """
        from typing import Generic
        from typing_extensions import TypeVar
        from .run import AgentRunResult

        DepsT = TypeVar("DepsT")
        OutT = TypeVar("OutT")

        class Agent(Generic[DepsT, OutT]):
            async def run(self, prompt: str, *, deps: DepsT) -> AgentRunResult[OutT]: ...
    """,
}

AGENT_APP = """
    from dataclasses import dataclass
    from fake_ai import Agent, RunContext
    from pydantic import BaseModel
    from cache import CacheManager

    class Report(BaseModel):
        title: str

    @dataclass
    class Deps:
        cache: CacheManager

    async def tool(ctx: RunContext[Deps]) -> None:
        await ctx.deps.cache.get("t", "k")

    async def bare(ctx: RunContext) -> None:
        await ctx.deps.cache.get("t", "k")

    async def run(agent: Agent[Deps, Report], deps: Deps) -> None:
        result = await agent.run("go", deps=deps)
        result.output.get("title")
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def _codes(path: Path, settings: Settings | None = None) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    return [(d.line, d.code) for d in check_source(source, path, settings or load_settings(path))]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty site-packages folder on sys.path, as a virtualenv has."""
    folder = tmp_path / "venv" / "lib" / "site-packages"
    folder.mkdir(parents=True)
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_generic_class_from_an_installed_package(tmp_path: Path, site: Path) -> None:
    _write(site, FAKE_PYDANTIC_AI)
    project = tmp_path / "project"
    _write(project, {"pyproject.toml": "", "cache.py": CACHE, "app.py": AGENT_APP})
    # RunContext[Deps].deps is Deps (substituted through the installed dataclass);
    # a bare RunContext leaves deps unknown; AgentRunResult[Report].output is Report.
    assert _codes(project / "app.py") == [(15, "CLT101"), (22, "CLT106")]
    knowledge = knowledge_for(load_settings(project / "app.py"))
    read = {Path(p).relative_to(site).as_posix() for p in knowledge.installed_sources()}
    assert read == {
        "fake_ai/__init__.py",
        "fake_ai/tools.py",
        "fake_ai/_run_context.py",
        "fake_ai/run.py",
        "fake_ai/agent.py",
    }


def test_installed_reading_is_lazy(tmp_path: Path, site: Path) -> None:
    _write(site, FAKE_PYDANTIC_AI)
    project = tmp_path / "project"
    _write(project, {"pyproject.toml": "", "app.py": "import fake_ai\n\ndef f(x: int) -> int:\n    return x\n"})
    assert _codes(project / "app.py") == []
    assert knowledge_for(load_settings(project / "app.py")).installed_sources() == ()


def test_stubs_are_preferred_to_sources(tmp_path: Path, site: Path) -> None:
    _write(
        site,
        {
            # The runtime source says get is async; the stub (what type checkers read) says sync.
            "vendorlib/__init__.py": "class CacheManager:\n    async def get(self, a, b): ...\n",
            "vendorlib/__init__.pyi": "class CacheManager:\n    def get(self, a: str, b: str) -> object: ...\n",
            "other-stubs/__init__.pyi": "class CacheManager:\n    def get(self, a: str, b: str) -> object: ...\n",
            "other/__init__.py": "class CacheManager:\n    async def get(self, a, b): ...\n",
        },
    )
    project = tmp_path / "project"
    _write(
        project,
        {
            "pyproject.toml": "",
            "app.py": """
                import vendorlib
                import other

                async def f(a: vendorlib.CacheManager, b: other.CacheManager) -> None:
                    await a.get("t", "k")
                    await b.get("t", "k")
            """,
        },
    )
    assert _codes(project / "app.py") == [(6, "CLT101"), (7, "CLT101")]
    read = knowledge_for(load_settings(project / "app.py")).installed_sources()
    assert sorted(Path(p).relative_to(site).as_posix() for p in read) == [
        "other-stubs/__init__.pyi",
        "vendorlib/__init__.pyi",
    ]


def test_installed_reading_is_bounded(tmp_path: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = "class Holder:\n    value: int\n" + "# padding\n" * (index_module.MAX_INSTALLED_BYTES // 10)
    _write(site, {"biglib/__init__.py": big, **{f"lib{i}/__init__.py": "class C: ...\n" for i in range(5)}})
    monkeypatch.setattr(index_module, "MAX_INSTALLED_FILES", 3)
    project = tmp_path / "project"
    imports = "\n".join(f"from lib{i} import C as C{i}" for i in range(5))
    uses = "\n".join(f"    C{i}()" for i in range(5))
    _write(project, {"pyproject.toml": "", "app.py": f"from biglib import Holder\n{imports}\n\ndef f() -> None:\n"})
    (project / "app.py").write_text(
        (project / "app.py").read_text() + uses + "\n    Holder().value\n", encoding="utf-8"
    )
    assert _codes(project / "app.py") == []
    index = knowledge_for(load_settings(project / "app.py")).index
    for name in ("biglib", *(f"lib{i}" for i in range(5))):
        index.module(name)
    read = [Path(p).relative_to(site).as_posix() for p in index.installed_sources()]
    assert len(read) == 3 and "biglib/__init__.py" not in read
    assert index.module("biglib") is None  # too big: unknown, never partly read


def test_tabled_packages_are_not_read(tmp_path: Path, site: Path) -> None:
    _write(site, {"pydantic/__init__.py": "class BaseModel:\n    def get(self): ...\n"})
    project = tmp_path / "project"
    _write(
        project,
        {
            "pyproject.toml": "",
            "app.py": """
                from pydantic import BaseModel

                class Item(BaseModel):
                    name: str

                def f(item: Item) -> None:
                    item.get("name")
            """,
        },
    )
    assert _codes(project / "app.py") == [(8, "CLT106")]
    assert knowledge_for(load_settings(project / "app.py")).installed_sources() == ()


def test_result_cache_dependencies_include_installed_sources(tmp_path: Path, site: Path) -> None:
    _write(site, FAKE_PYDANTIC_AI)
    project = tmp_path / "project"
    _write(project, {"pyproject.toml": "", "cache.py": CACHE, "app.py": AGENT_APP})
    settings = load_settings(project / "app.py")
    result = check_file(str(project / "app.py"), settings)
    assert result.failure is None
    deps = dependencies([result], lambda _: settings)[str(project / "app.py")]
    watched = {path for group in deps for path in group}  # the cache's dependency groups
    assert str(site / "fake_ai" / "_run_context.py") in watched
    assert str(project / "cache.py") in watched


@pytest.mark.skipif(importlib.util.find_spec("pydantic_ai") is None, reason="pydantic-ai is not installed")
def test_the_real_pydantic_ai_run_context(tmp_path: Path) -> None:
    project = tmp_path / "project"
    app = AGENT_APP.replace("from fake_ai import Agent, RunContext", "from pydantic_ai import RunContext")
    app = app.split("    async def run(")[0]
    _write(project, {"pyproject.toml": "", "cache.py": CACHE, "app.py": app})
    assert _codes(project / "app.py") == [(15, "CLT101")]
    read = knowledge_for(load_settings(project / "app.py")).installed_sources()
    assert 0 < len(read) <= index_module.MAX_INSTALLED_FILES


def test_extra_model_bases_match_bare_names(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pyproject.toml": '[tool.cachelint]\nextra-model-bases = ["Schema"]\n',
            "base.py": "class Schema:\n    pass\n",
            "app.py": """
                from base import Schema

                class Item(Schema):
                    name: str

                def f(item: Item, schema: Schema) -> None:
                    item.get("name")
                    schema.get("name")
            """,
        },
    )
    # A configured base, like BaseModel, is not a model itself.
    assert _codes(tmp_path / "app.py") == [(8, "CLT106")]


def test_typevar_bound_gives_attribute_types(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "pyproject.toml": "",
            "cache.py": CACHE,
            "app.py": """
                from dataclasses import dataclass
                from typing import TypeVar
                from cache import CacheManager

                @dataclass
                class Deps:
                    cache: CacheManager

                D = TypeVar("D", bound=Deps)
                U = TypeVar("U")

                async def f(deps: D, other: U) -> None:
                    await deps.cache.get("t", "k")
                    await other.cache.get("t", "k")
            """,
        },
    )
    assert _codes(tmp_path / "app.py") == [(14, "CLT101")]


PEP695_GENERICS = """
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any: ...


class Item(BaseModel):
    name: str


@dataclass
class Deps:
    cache: CacheManager


class Repo[T]:
    def find(self, key: int) -> T | None: ...


@dataclass
class Ctx[D]:
    deps: D


class ItemRepo(Repo[Item]):
    pass


async def use(repo: Repo[Item], items: ItemRepo, ctx: Ctx[Deps]) -> None:
    repo.find(1).get("name")
    items.find(1)["name"]
    await ctx.deps.cache.get("t", "k")


class Models[M]:
    def __init__(self, model: type[M]) -> None: ...
    def get(self, key: int) -> M | None: ...


def constructed() -> None:
    Models(Item).get(1).get("name")
    Models(dict).get(1).get("name")
"""
PEP695_EXPECTED = [(35, "CLT106"), (36, "CLT106"), (37, "CLT101"), (46, "CLT106")]


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 695 syntax needs Python 3.12")
def test_pep695_generics_in_process(tmp_path: Path) -> None:
    path = tmp_path / "generic.py"
    path.write_text(PEP695_GENERICS, encoding="utf-8")
    assert _codes(path, Settings(root=tmp_path)) == PEP695_EXPECTED


@pytest.mark.skipif(python312() is None, reason="no Python 3.12 interpreter on this machine")
def test_pep695_generics_under_python312(tmp_path: Path) -> None:
    path = tmp_path / "generic.py"
    path.write_text(PEP695_GENERICS, encoding="utf-8")
    result = python312_check_source(path)
    assert result.code == 0, result.err
    assert result.out.strip() == str(PEP695_EXPECTED)


def test_installed_classes_are_not_caches_by_structure(tmp_path: Path, site: Path) -> None:
    # An HTTP session has a get and a delete: by structure alone it would look like a
    # cache.  Only the project's own classes (and configured or catalogued names) are
    # recognised, so reading installed sources adds no finding here.
    _write(
        site,
        {
            "reqlike/__init__.py": """
                class Session:
                    def get(self, url, **kwargs): ...
                    def delete(self, url, **kwargs): ...
                    def put(self, url, data=None, **kwargs): ...
            """,
        },
    )
    project = tmp_path / "project"
    _write(
        project,
        {
            "pyproject.toml": "",
            "app.py": """
                from reqlike import Session

                class MySession(Session):
                    pass

                async def fetch(session: Session, mine: MySession) -> None:
                    resp = session.get("https://example.org")
                    print(resp.json())
                    await mine.get("https://example.org")
                    session.delete("https://example.org", timeout=3)
            """,
        },
    )
    assert _codes(project / "app.py") == []
    assert knowledge_for(load_settings(project / "app.py")).installed_sources()
