"""The engine is a library: checking a file leaves the host process's garbage collector as it was.

Collector tuning belongs to the front ends that own their process
(:mod:`cachelint.collector`); flake8 embedded in another program (this test
process) counts as a host too.
"""

from __future__ import annotations

import ast
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from cachelint.analysis import check_source
from cachelint.config import load_settings
from cachelint.flake8_plugin import CacheLintChecker

SOURCE = (
    "from services.cache import CacheManager\n\n"
    "class Deps:\n    cache_manager: CacheManager\n\n"
    "async def load(deps: Deps) -> object:\n    return await deps.cache_manager.get('k')\n"
)
CACHE = "class CacheManager:\n    def get(self, key: str) -> object:\n        return None\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "services" / "cache.py").write_text(CACHE, encoding="utf-8")
    (tmp_path / "app.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


@pytest.fixture(params=[True, False], ids=["collector-on", "collector-off"])
def collector_state(request: pytest.FixtureRequest) -> Iterator[bool]:
    was = gc.isenabled()
    if request.param:
        gc.enable()
    else:
        gc.disable()
    try:
        yield request.param
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_check_source_leaves_the_collector_alone(project: Path, collector_state: bool) -> None:
    frozen = gc.get_freeze_count()
    found = check_source(SOURCE, project / "app.py", load_settings(project))
    assert [d.code for d in found] == ["CLT101"]  # the engine did run and find the bug
    assert gc.isenabled() is collector_state
    assert gc.get_freeze_count() == frozen


def test_flake8_plugin_in_a_host_process_leaves_the_collector_alone(project: Path, collector_state: bool) -> None:
    frozen = gc.get_freeze_count()
    path = project / "app.py"
    checker = CacheLintChecker(ast.parse(SOURCE), str(path), SOURCE.splitlines(keepends=True))
    codes = [text.split()[0] for _, _, text, _ in checker.run()]
    assert codes == ["CLT101"]
    assert gc.isenabled() is collector_state
    assert gc.get_freeze_count() == frozen
