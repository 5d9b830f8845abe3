"""The warm path: an unchanged tree is answered from the result cache without importing the engine.

Start-up is most of a warm run (see BENCHMARKS.md), so a warm ``cachelint
check`` stats files and prints what the cache holds; the engine
(``cachelint.analysis``) and the file checker are imported only when a file
needs checking.  (The text format's "N fixable" line plans fixes for files
with fixable findings, which does need the engine: the cached findings are
checked here through ``--output-format json``.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROBE = (
    "import sys\n"
    "from cachelint.cli import main\n"
    "code = main(['check', '--output-format', 'json', '.'])\n"
    "sys.stdout.flush()\n"
    "engine = sorted(m for m in sys.modules if m.startswith(('cachelint.analysis', 'cachelint.checker')))\n"
    "print('ENGINE', code, engine)\n"
)
BUG = (
    "from services.cache import CacheManager\n\n"
    "class Deps:\n    cache_manager: CacheManager\n\n"
    "async def load(deps: Deps) -> object:\n    return await deps.cache_manager.get('k')\n"
)


def _probe(cwd: Path, env: dict[str, str]) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    marker = [line for line in done.stdout.splitlines() if line.startswith("ENGINE ")]
    assert marker, done.stdout + done.stderr
    return marker[-1], done.stdout


def test_warm_check_does_not_import_the_engine(tmp_path: Path, cache_dir: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    services = tmp_path / "services"
    services.mkdir()
    (services / "__init__.py").write_text("", encoding="utf-8")
    (services / "cache.py").write_text(
        "class CacheManager:\n    def get(self, key: str) -> object:\n        return None\n", encoding="utf-8"
    )
    (tmp_path / "app.py").write_text(BUG, encoding="utf-8")
    for number in range(5):
        (tmp_path / f"clean_{number}.py").write_text(f"VALUE = {number}\n", encoding="utf-8")
    env = {**os.environ, "CACHELINT_CACHE_DIR": str(cache_dir)}
    env.pop("CACHELINT_DEBUG", None)

    cold, cold_out = _probe(tmp_path, env)
    assert cold.startswith("ENGINE 1 ") and "cachelint.analysis" in cold  # the cold run did check
    warm, warm_out = _probe(tmp_path, env)
    assert warm == "ENGINE 1 []", warm_out
    assert warm_out.replace(warm, "") == cold_out.replace(cold, "")  # same report, from the cache

    # An edit makes that file, and only it, go through the engine again.
    (services / "cache.py").write_text(
        "class CacheManager:\n    async def get(self, key: str) -> object:\n        return None\n", encoding="utf-8"
    )
    edited, _ = _probe(tmp_path, env)
    assert edited.startswith("ENGINE 0 ") and "cachelint.analysis" in edited
