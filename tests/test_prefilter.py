"""The relevance pre-filter (``cachelint/analysis/prefilter.py``) is sound: it never hides a finding.

*Soundness*: every fixture under ``tests/fixtures/``, a sample of the standard
library and, when ``$CACHELINT_CORPUS`` names it, the real-package corpus are
checked twice, each time in a fresh interpreter as a real run is: with the
pre-filter and with ``CACHELINT_NO_PREFILTER=1``.  Findings (code, position,
message) and engine errors must be identical, file by file.  The run with the
pre-filter must also skip some files, or the comparison proves nothing.

*Unit cases*: the inputs where a cheap test would go wrong (a cache that
arrives through an imported factory, ``async def`` without ``await``, a file
that only defines a cache class, a model-only file, ``mocker.AsyncMock()``),
each judged relevant and shown to produce its finding; and true negatives the
pre-filter skips.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from cachelint.analysis import analyse, knowledge_for, prefilter
from cachelint.config import load_settings

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
#: Every n-th standard-library file (sorted): about 500 files, a minute for both runs on a loaded machine.
STDLIB_STEP = 4

_RUNNER = """
import ast, json, sys, warnings
from pathlib import Path
from cachelint.analysis import analyse
from cachelint.config import load_settings

warnings.simplefilter("ignore")
out, skipped = {}, 0
for name in sys.stdin.read().splitlines():
    path = Path(name)
    try:
        source = path.read_bytes()
        tree = ast.parse(source, filename=name)
        settings = load_settings(path.parent)
    except Exception:
        continue  # unparsable or misconfigured: no engine run either way
    try:
        result = analyse(tree, path, settings, source=source)
    except Exception as error:  # compared, never hidden
        out[name] = [["raised", type(error).__name__, str(error)]]
        continue
    found = [[d.line, d.col, d.code, d.message] for d in result.diagnostics]
    found += [["error", e.check, e.error, e.line] for e in result.errors]
    out[name] = found
    skipped += result.model is None and not result.errors
print(json.dumps({"findings": out, "skipped": skipped}))
"""


def _run(files: list[Path], *, prefiltered: bool) -> tuple[dict[str, list[object]], int]:
    env = dict(os.environ, CACHELINT_DEBUG="0")
    env.pop(prefilter.DISABLE_ENV, None)
    if not prefiltered:
        env[prefilter.DISABLE_ENV] = "1"
    completed = subprocess.run(
        [sys.executable, "-c", _RUNNER],
        input="\n".join(str(path) for path in files),
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    return data["findings"], data["skipped"]


def _same_with_and_without(files: list[Path]) -> int:
    """Assert identical findings and errors with and without the pre-filter; the number skipped."""
    with_filter, skipped = _run(files, prefiltered=True)
    without, none_skipped = _run(files, prefiltered=False)
    assert none_skipped == 0, "CACHELINT_NO_PREFILTER=1 must check every file"
    assert with_filter.keys() == without.keys()
    differ = {path: (with_filter[path], without[path]) for path in without if with_filter[path] != without[path]}
    assert not differ, "the pre-filter changed findings:\n" + "\n".join(
        f"{path}: with {w} / without {wo}" for path, (w, wo) in list(differ.items())[:10]
    )
    return skipped


def test_fixtures_give_the_same_findings_with_and_without_the_prefilter() -> None:
    files = sorted(FIXTURES.rglob("*.py"))
    assert len(files) > 50
    skipped = _same_with_and_without(files)
    assert skipped > 0, "the pre-filter skipped no fixture: the comparison shows nothing"


@pytest.mark.slow
def test_stdlib_sample_gives_the_same_findings_with_and_without_the_prefilter() -> None:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(
        path
        for path in root.rglob("*.py")
        if not {"site-packages", "dist-packages"} & set(path.relative_to(root).parts)
    )[::STDLIB_STEP]
    assert len(files) > 300, "the standard library was not found"
    # A sample's imports mostly lead into modules outside it, which the pre-filter
    # does not read (the file is then checked): fewer files are skipped than in a tree.
    assert _same_with_and_without(files) > len(files) // 8


@pytest.mark.slow
def test_corpus_gives_the_same_findings_with_and_without_the_prefilter() -> None:
    corpus = os.environ.get("CACHELINT_CORPUS")
    if not corpus or not Path(corpus).is_dir():
        pytest.skip("set CACHELINT_CORPUS to the real-package corpus")
    files = sorted(Path(corpus).rglob("*.py"))
    assert _same_with_and_without(files) > len(files) // 4


# -- unit cases -------------------------------------------------------------------------


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return tmp_path


def _judge(path: Path) -> tuple[bool, set[str]]:
    """The pre-filter's verdict on ``path`` and the codes the engine reports there (pre-filter on)."""
    source = path.read_bytes()
    tree = ast.parse(source)
    settings = load_settings(path.parent)
    knowledge = knowledge_for(settings)
    module = knowledge.index.file_module(tree, path, source)
    verdict = prefilter.relevant(tree, module, knowledge, source)
    result = analyse(tree, path, settings, source=source)
    assert not result.errors, result.errors
    return verdict, {d.code for d in result.diagnostics}


STORE = """
    class Store:
        def get(self, key: str) -> object:
            return None

        def set(self, key: str, value: object) -> None:
            pass
"""

MODELS = """
    from pydantic import BaseModel

    class Report(BaseModel):
        title: str
"""


@pytest.fixture(autouse=True)
def _prefilter_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(prefilter.DISABLE_ENV, raising=False)


def test_a_cache_from_an_imported_factory_is_relevant(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/store.py": STORE,
            "app/deps.py": "from app.store import Store\n\ndef get_store() -> Store:\n    return Store()\n",
            "app/use.py": """
                from .deps import get_store

                async def handler(key: str) -> None:
                    await get_store().get(key)
            """,
        },
    )
    assert _judge(root / "app/use.py") == (True, {"CLT101"})


def test_a_cache_field_of_an_imported_dependencies_class_is_relevant(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/store.py": STORE,
            "app/deps.py": "from dataclasses import dataclass\nfrom app import store\n\n"
            "@dataclass\nclass Deps:\n    store: store.Store\n",
            "app/use.py": """
                from app import deps

                def read(d: deps.Deps) -> None:
                    d.store.get("a", "b", "c")
            """,
        },
    )
    assert _judge(root / "app/use.py") == (True, {"CLT102"})


def test_async_def_without_await_is_relevant(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/store.py": STORE.replace("pass", 'open(key, "w").write(str(value))'),
            "app/use.py": """
                from app.store import Store

                async def handler(store: Store) -> None:
                    store.set("k", 1)
            """,
        },
    )
    verdict, codes = _judge(root / "app/use.py")
    assert verdict
    # CLT104 is opt-in at the front ends; the engine reports it for them to select.
    assert codes == {"CLT104"}


def test_a_file_that_only_defines_a_cache_class_is_relevant(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": MODELS,
            "app/store.py": """
                from typing import Any

                from app.models import Report

                class ReportStore:
                    def __init__(self) -> None:
                        self._data: dict[str, Any] = {}

                    def get(self, key: str) -> Report | None:
                        return self._data.get(key)

                    def set(self, key: str, value: Report) -> None:
                        self._data[key] = value
            """,
        },
    )
    assert _judge(root / "app/store.py") == (True, {"CLT103"})


def test_a_model_only_file_with_a_sync_retrieval_into_a_typed_sink_is_relevant(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": MODELS,
            "app/store.py": STORE,
            "app/registry.py": "from app.store import Store\n\nSTORE = Store()\n",
            "app/reports.py": """
                from app.models import Report
                from app.registry import STORE

                def load(key: str) -> Report:
                    return STORE.get(key)
            """,
        },
    )
    assert _judge(root / "app/reports.py") == (True, {"CLT103"})


def test_a_model_reached_through_a_module_import_is_relevant(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": MODELS,
            "app/view.py": """
                from app import models

                def title(report: models.Report) -> object:
                    return report.get("title")
            """,
        },
    )
    assert _judge(root / "app/view.py") == (True, {"CLT106"})


def test_a_test_with_mocker_async_mock_is_relevant(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/store.py": STORE,
            "app/service.py": "from app.store import Store\n\nclass Service:\n"
            "    def __init__(self, store: Store) -> None:\n        self.store = store\n",
            "tests/test_service.py": """
                from app.service import Service

                def test_service(mocker):
                    Service(store=mocker.AsyncMock())
            """,
        },
    )
    assert _judge(root / "tests/test_service.py") == (True, {"CLT105"})


def test_files_that_reach_no_cache_or_model_are_skipped(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/util.py": "import os\n\ndef join(*parts: str) -> str:\n    return os.path.join(*parts)\n",
            "app/plain.py": """
                import asyncio
                from app.util import join

                cache: dict[str, str] = {}

                async def handler(key: str) -> str:
                    await asyncio.sleep(0)
                    return cache.get(join(key)) or ""
            """,
            "app/aio.py": """
                class AsyncStore:
                    async def get(self, key: str) -> object: ...
                    async def set(self, key: str, value: object) -> None: ...
            """,
            "app/use_aio.py": """
                from app.aio import AsyncStore

                async def handler(store: AsyncStore) -> None:
                    await store.get("k")
            """,
        },
    )
    # plain.py imports util.py: the pre-filter reads no module itself, so util.py comes first.
    assert _judge(root / "app/util.py") == (False, set())
    assert _judge(root / "app/plain.py") == (False, set())
    # An async cache is still a cache: relevant (a rule may check its keys), yet nothing to report.
    assert _judge(root / "app/use_aio.py") == (True, set())


def test_a_file_importing_a_module_nothing_has_read_yet_is_checked(tmp_path: Path) -> None:
    # Reading util.py to judge main.py would cost what checking main.py costs: it is checked.
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/util.py": "def join(*parts: str) -> str:\n    return '/'.join(parts)\n",
            "app/main.py": "from app.util import join\n\nasync def handler(key: str) -> str:\n    return join(key)\n",
        },
    )
    assert _judge(root / "app/main.py") == (True, set())
    assert _judge(root / "app/util.py") == (False, set())
    assert _judge(root / "app/main.py") == (False, set())


def test_a_configured_class_name_in_the_text_is_relevant(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/use.py": """
                import vendorlib

                async def handler() -> None:
                    await vendorlib.CacheManager().get("k")
            """,
        },
    )
    # ``CacheManager`` is a configured sync class by default; the package is not installed.
    verdict, codes = _judge(root / "app/use.py")
    assert verdict
    assert codes == {"CLT101"}


def test_the_switch_turns_the_prefilter_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, {"app/__init__.py": "", "app/util.py": "import os\n"})
    assert _judge(root / "app/util.py")[0] is False
    monkeypatch.setenv(prefilter.DISABLE_ENV, "1")
    assert _judge(root / "app/util.py")[0] is True


def test_the_typed_key_api_through_a_module_import_is_relevant(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/keys.py": """
                import cachelint.runtime as rt

                def key(obj: object) -> object:
                    return rt.CacheKey("objects", str(id(obj)))
            """,
        },
    )
    # CLT107 checks CacheKey's arguments with no cache in the file.
    assert _judge(root / "app/keys.py") == (True, {"CLT107"})
