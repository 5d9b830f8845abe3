"""The pre-commit case: a few changed files checked with a warm cache watch the same files as a cold check.

The import graph reads the imports of unchanged modules from the result
cache instead of parsing them (:meth:`cachelint.resultcache.ResultCache.imports`);
an entry whose file changed since must not be used, or an edited import would
go unwatched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Runner = Callable[..., Any]


def _watched(cache_dir: Path, path: Path) -> frozenset[str]:
    document = json.loads((cache_dir / "results.json").read_text(encoding="utf-8"))
    entry = document["entries"][str(path)]
    return frozenset(p for index in document["deps"][entry[5]] for p in document["groups"][index])


def _project(root: Path) -> Path:
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    package = root / "app"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "base.py").write_text("VALUE = 1\n", encoding="utf-8")
    (package / "other.py").write_text("OTHER = 2\n", encoding="utf-8")
    (package / "middle.py").write_text("from app.base import VALUE\n", encoding="utf-8")
    (package / "top.py").write_text("from app.middle import VALUE\n", encoding="utf-8")
    return package


def test_changed_files_with_a_warm_cache_watch_what_a_cold_check_does(tmp_path: Path, cachelint: Runner) -> None:
    package = _project(tmp_path / "project")
    project = package.parent
    warm = tmp_path / "warm"
    assert cachelint("check", "--cache-dir", str(warm), ".", cwd=project).code == 0  # every file recorded

    # An unchanged module's imports come from the cache: the same closure as cold.
    (package / "top.py").write_text("from app.middle import VALUE\nX = 1\n", encoding="utf-8")
    assert cachelint("check", "--cache-dir", str(warm), "app/top.py", cwd=project).code == 0
    cold = tmp_path / "cold"
    assert cachelint("check", "--cache-dir", str(cold), "app/top.py", cwd=project).code == 0
    assert _watched(warm, package / "top.py") == _watched(cold, package / "top.py")
    assert str(package / "base.py") in _watched(warm, package / "top.py")

    # A module edited since it was recorded (middle now imports other) is read afresh.
    (package / "middle.py").write_text("from app.base import VALUE\nfrom app.other import OTHER\n", encoding="utf-8")
    (package / "top.py").write_text("from app.middle import VALUE\nX = 2\n", encoding="utf-8")
    assert cachelint("check", "--cache-dir", str(warm), "app/top.py", cwd=project).code == 0
    assert str(package / "other.py") in _watched(warm, package / "top.py")
    cold_again = tmp_path / "cold-again"
    assert cachelint("check", "--cache-dir", str(cold_again), "app/top.py", cwd=project).code == 0
    assert _watched(warm, package / "top.py") == _watched(cold_again, package / "top.py")
