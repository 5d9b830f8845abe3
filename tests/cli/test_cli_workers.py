"""``cachelint check``'s worker processes: the same findings and the same result-cache dependencies as one process.

Workers return each file's imports and the parent builds the import graph
once (:func:`cachelint.checker.dependencies`), so what the cache watches must
not depend on how files were spread over workers, nor on the start method
(``fork`` on Linux, ``spawn`` elsewhere).
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from cachelint import checker
from cachelint.config import load_settings

CACHE = "class CacheManager:\n    def get(self, key: str) -> object:\n        return None\n"


def _project(root: Path, count: int) -> list[Path]:
    (root / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    package = root / "app"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "cache.py").write_text(CACHE, encoding="utf-8")
    files = [package / "__init__.py", package / "cache.py"]
    for number in range(count):
        # A chain of imports (each module imports the one before it) and, every
        # fifth module, a bug that needs the cache class from another module.
        previous = f"from app.mod_{number - 1} import VALUE as _PREVIOUS\n" if number else ""
        body = f"{previous}from app.cache import CacheManager\nVALUE = {number}\n"
        if number % 5 == 0:
            body += "\n\nasync def load(cache: CacheManager) -> object:\n    return await cache.get('k')\n"
        if number % 7 == 0:
            body += "import app.missing_module\n"  # a negative dependency
        path = package / f"mod_{number}.py"
        path.write_text(body, encoding="utf-8")
        files.append(path)
    return files


def _run(files: list[Path], jobs: int) -> tuple[dict[str, tuple[object, ...]], dict[str, object]]:
    settings = load_settings(files[0])
    items = [(str(path), settings) for path in files]
    results = checker.check_files(items, jobs)
    findings = {result.path: result.findings for result in results}
    assert all(result.failure is None for result in results), [r.failure for r in results if r.failure]
    deps = checker.dependencies(results, lambda _: settings)
    return findings, {path: sorted(sorted(group) for group in found) for path, found in deps.items()}


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_match_one_process(tmp_path: Path, method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    files = _project(tmp_path, checker.PARALLEL_THRESHOLD + 12)
    serial_findings, serial_deps = _run(files, 1)
    assert sum(len(found) for found in serial_findings.values()) == 12  # mod_0, mod_5, ... mod_55
    monkeypatch.setattr(checker.sys, "platform", "linux" if method == "fork" else "darwin")
    parallel_findings, parallel_deps = _run(files, 2)
    assert parallel_findings == serial_findings
    assert parallel_deps == serial_deps
    last = str(tmp_path / "app" / f"mod_{checker.PARALLEL_THRESHOLD + 11}.py")
    # The whole chain of imports is watched...
    assert str(tmp_path / "app" / "mod_0.py") in {path for group in parallel_deps[last] for path in group}
    # ...and where a missing module would appear.
    missing = str(tmp_path / "app" / "missing_module.py")
    assert missing in {path for group in parallel_deps[str(tmp_path / "app" / "mod_7.py")] for path in group}
