"""End to end on a copy of the research-app fixture: the incident fixed, nothing new broken.

``--unsafe-fixes`` must leave no CLT101/102/105/106 finding, the app's own
tests green, and every tool working against the app's real ``CacheManager``:
the first call computes, the second is served from the cache with values of
the declared types (4 of 4).  Without it, the safe fixes apply and the
unsafe ones are listed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mypy import api as mypy_api

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "research_app"
RUFF = Path(sys.executable).with_name("ruff")
#: What each tool's second call returns once fixed: the types its signature declares.
DECLARED = {
    "identify_clusters": "ClusterAnalysis",
    "extract_key_insights": "KeyInsight",
    "analyze_patterns": "PatternAnalysis",
    "generate_synthesis": "ResearchSynthesis",
}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=folder, env=_env(), capture_output=True, text=True, timeout=300, check=False
    )


def _app(folder: Path) -> dict[str, Any]:
    done = _run(folder, "-m", "src.app", "--json")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _mypy(folder: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """mypy's errors as 'path: message [code]' (line numbers move when imports are added)."""
    monkeypatch.chdir(folder)
    out, _, _ = mypy_api.run(["--ignore-missing-imports", "--cache-dir", str(cache), "--no-error-summary", "."])
    return {re.sub(r":\d+(:\d+)?: ", ": ", line) for line in out.splitlines() if ": error:" in line}


@pytest.fixture
def app(tmp_path: Path) -> Path:
    folder = tmp_path / "research_app"
    shutil.copytree(FIXTURE, folder, ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache"))
    return folder


def test_unsafe_fixes_fix_the_whole_incident(app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _app(app)
    assert not any(outcome.get("hit") for outcome in before.values()), before
    assert "has no attribute 'get'" in before["analyze_patterns"]["error"]
    own_tests = _run(app, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
    assert own_tests.returncode == 0, own_tests.stdout  # green before: AsyncMock hides every bug
    errors_before = _mypy(app, tmp_path / "mypy-cache", monkeypatch)

    fixed = _run(app, "-m", "cachelint.codemod", "--unsafe-fixes", "--no-progress", "src/", "tests/")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    lines = fixed.stdout.splitlines()
    assert "rewrote src/agents/research_executor_tools.py (CLT101 8, CLT102 8, CLT106 3)" in lines, lines
    assert "rewrote tests/test_research_executor_tools.py (CLT105 2)" in lines, lines
    assert not [line for line in lines if "needs manual fix" in line or "unsafe fix available" in line], lines
    assert "2 changed; fixed: CLT101 8, CLT102 8, CLT105 2, CLT106 3 (21 finding(s))" in fixed.stdout

    tools = (app / "src" / "agents" / "research_executor_tools.py").read_text(encoding="utf-8")
    assert "detected.extend(deps.pattern_recognizer.detect_patterns(findings))" in tools
    tests = (app / "tests" / "test_research_executor_tools.py").read_text(encoding="utf-8")
    assert tests.count("create_autospec(CacheManager, instance=True)") == 2 and "AsyncMock()" not in tests
    assert "from unittest.mock import create_autospec" in tests
    assert "from src.services.cache_manager import CacheManager" in tests

    left = _run(app, "-m", "cachelint", "check", "--no-cache", "--select", "CLT101,CLT102,CLT105,CLT106", ".")
    assert left.returncode == 0, left.stdout
    lint = _run(app, "-m", "flake8", "--select", "CLT101,CLT102,CLT105,CLT106", ".")
    assert lint.returncode == 0 and lint.stdout == "", lint.stdout

    own_tests = _run(app, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")
    assert own_tests.returncode == 0, own_tests.stdout  # still green, now against an autospec of the real cache

    after = _app(app)  # the real CacheManager, no mock
    for tool, declared in DECLARED.items():
        assert after[tool] == {"computed": True, "hit": True, "returns": declared}, after

    # The added imports sit in their isort sections (cachelint third party, src first party).
    isort = subprocess.run(
        [str(RUFF), "check", "--isolated", "--line-length", "120", "--select", "I", "src", "tests"],
        cwd=app,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert isort.returncode == 0, isort.stdout

    errors_after = _mypy(app, tmp_path / "mypy-cache", monkeypatch)
    assert errors_after - errors_before == set()
    assert len(errors_after) < len(errors_before)

    again = _run(app, "-m", "cachelint.codemod", "--unsafe-fixes", "--check", "--no-progress", "src/", "tests/")
    assert again.returncode == 0, again.stdout


def test_safe_fixes_alone_list_the_unsafe_ones(app: Path) -> None:
    dry = _run(app, "-m", "cachelint.codemod", "--check", "--no-progress", ".")
    assert dry.returncode == 1, dry.stdout
    assert "would rewrite src/agents/research_executor_tools.py (CLT101 8, CLT102 8)" in dry.stdout.splitlines()
    assert "sites rewritten" not in dry.stdout

    fixed = _run(app, "-m", "cachelint.codemod", "--no-progress", ".")
    assert fixed.returncode == 0, fixed.stderr
    unsafe = [line for line in fixed.stdout.splitlines() if " unsafe fix available: " in line]
    rewrap = [line for line in unsafe if " CLT106 " in line]
    assert len(rewrap) == 3 and all("detected.extend(" in line and "is dropped" in line for line in rewrap), unsafe
    autospec = [line for line in unsafe if " CLT105 " in line]
    assert [line.rpartition(": ")[2] for line in autospec] == [
        "test_identify_clusters_uses_cache",
        "test_generate_synthesis_returns_cached_value",
    ]
    assert "unsafe fixes available: 5 (apply with --unsafe-fixes); left for a manual fix: 0" in fixed.stdout

    after = _app(app)
    for tool in ("identify_clusters", "extract_key_insights", "generate_synthesis"):
        assert after[tool] == {"computed": True, "hit": True, "returns": DECLARED[tool]}, after
    assert "has no attribute 'get'" in after["analyze_patterns"]["error"], "the re-wrap is an unsafe fix"
