"""SIGKILL in the middle of a run leaves every file wholly old or wholly new."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from codemod_snippets import FIXABLE, FIXED
from processes import CODEMOD_MODULE, codemod

from cachelint.codemod.io import TEMP_SUFFIX

REPO = Path(__file__).resolve().parents[2]
COPIES = 200


@pytest.mark.slow
def test_killed_run_leaves_whole_files(tmp_path: Path) -> None:
    files = [tmp_path / f"m{i:03}.py" for i in range(COPIES)]
    for path in files:
        path.write_text(FIXABLE, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    process = subprocess.Popen(
        [sys.executable, "-m", CODEMOD_MODULE, str(tmp_path), "-j", "2", "--no-progress"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if any(path.stat().st_size != len(FIXABLE) for path in files[:50]):
                break
            time.sleep(0.005)
    finally:
        # The run and its workers share the new session: kill exactly that group.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    contents = [path.read_text(encoding="utf-8") for path in files]
    assert all(text in (FIXABLE, FIXED) for text in contents)
    assert FIXED in contents, "the kill came before any file was written: the test proved nothing"
    # The result cache the engine pass stores (as `cachelint check` does) is not a leftover.
    leftovers = [p.name for p in tmp_path.iterdir() if p not in set(files) and p.name != ".cachelint_cache"]
    assert all(name.endswith(TEMP_SUFFIX) for name in leftovers), leftovers

    # A rerun ignores leftover temp files and finishes the job.
    done = codemod(str(tmp_path), "--no-progress", cwd=tmp_path, env={"PYTHONPATH": str(REPO)})
    assert done.code == 0, done.err
    assert all(path.read_text(encoding="utf-8") == FIXED for path in files)
