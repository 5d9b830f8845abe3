"""End to end on a copy of the research-app fixture: the incident fixed, nothing new broken."""

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
CACHED_TOOLS = ("identify_clusters", "extract_key_insights", "generate_synthesis")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


def _app(folder: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "src.app", "--json"], cwd=folder, env=_env(),
        capture_output=True, text=True, check=True, timeout=120,
    )
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


def test_codemod_fixes_the_incident(app: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _app(app)
    assert not any(outcome.get("hit") for outcome in before.values()), before
    errors_before = _mypy(app, tmp_path / "mypy-cache", monkeypatch)

    fixed = subprocess.run(
        [sys.executable, "-m", "codemods.fix_cache_calls", ".", "--no-progress"], cwd=app, env=_env(),
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert fixed.returncode == 0, fixed.stderr
    manual = [line for line in fixed.stdout.splitlines() if "needs manual fix" in line]
    assert any(line.startswith("src/agents/research_executor_tools.py:") and " CLT106 " in line for line in manual)
    assert sum(" CLT105 " in line for line in manual) == 2
    assert "CLT101 8, CLT102 8" in fixed.stdout

    after = _app(app)
    for tool in CACHED_TOOLS:
        assert after[tool]["hit"] is True, after
        assert after[tool]["returns"] != "dict", after
    assert after["identify_clusters"]["returns"] == "ClusterAnalysis"
    assert after["generate_synthesis"]["returns"] == "ResearchSynthesis"
    assert "has no attribute 'get'" in after["analyze_patterns"]["error"], "CLT106 is a manual fix"

    lint = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "CLT101,CLT102", "."], cwd=app,
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert lint.returncode == 0 and lint.stdout == "", lint.stdout

    errors_after = _mypy(app, tmp_path / "mypy-cache", monkeypatch)
    assert errors_after - errors_before == set()
    assert len(errors_after) < len(errors_before)

    again = subprocess.run(
        [sys.executable, "-m", "codemods.fix_cache_calls", ".", "--check", "--no-progress"], cwd=app, env=_env(),
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert again.returncode == 0, again.stdout
