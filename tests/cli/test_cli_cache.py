"""The warm-run result cache: reused while nothing changed, and only then."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from processes import Runner


def _touch_keep_stat(path: Path, text: str) -> None:
    """Rewrite ``path`` with same-size ``text`` and put its old mtime back: invisible to the cache."""
    before = path.stat()
    assert len(text.encode()) == before.st_size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_warm_run_reuses_results(project: Path, cachelint: Runner, cache_dir: Path) -> None:
    cold = cachelint("check", ".", cwd=project)
    assert cold.code == 1
    assert (cache_dir / "results.json").is_file()
    # Hide a change from the cache: the warm run must still report the old result,
    # which proves it did not re-check; --no-cache sees the change.
    app = project / "app.py"
    _touch_keep_stat(app, app.read_text(encoding="utf-8").replace("await cache.set", "() or cache.set"))
    warm = cachelint("check", ".", cwd=project)
    assert (warm.code, warm.out) == (cold.code, cold.out)
    assert cachelint("check", "--no-cache", ".", cwd=project).code == 0


def test_edited_file_is_rechecked(project: Path, cachelint: Runner) -> None:
    assert cachelint("check", ".", cwd=project).code == 1
    app = project / "app.py"
    app.write_text(app.read_text(encoding="utf-8").replace("await cache.set", "cache.set"), encoding="utf-8")
    assert cachelint("check", ".", cwd=project).out == "All checks passed!\n"


def test_config_change_rechecks_everything(project: Path, cachelint: Runner) -> None:
    assert cachelint("check", ".", cwd=project).code == 1
    # CacheManager is no cache any more: the finding must go, although app.py did not change.
    (project / "pyproject.toml").write_text(
        '[tool.cachelint]\nnot-cache-classes = ["CacheManager"]\n', encoding="utf-8"
    )
    os.utime(project / "pyproject.toml")
    assert cachelint("check", ".", cwd=project).code == 0


def test_change_in_an_imported_module_rechecks_the_importer(project: Path, cachelint: Runner) -> None:
    assert cachelint("check", ".", cwd=project).code == 1
    cache_module = project / "services" / "cache.py"
    # The cache's `set` becomes a coroutine: awaiting it is now correct.
    cache_module.write_text(
        cache_module.read_text(encoding="utf-8").replace("    def set", "    async def set"), encoding="utf-8"
    )
    result = cachelint("check", ".", cwd=project)
    assert (result.code, result.out) == (0, "All checks passed!\n")


def test_selection_change_reuses_the_cache(project: Path, cachelint: Runner) -> None:
    cachelint("check", ".", cwd=project)
    app = project / "app.py"
    _touch_keep_stat(app, app.read_text(encoding="utf-8").replace("await cache.set", "() or cache.set"))
    # Findings are cached for every code and selected when printed: still served from the cache.
    assert cachelint("check", "--select", "CLT101", ".", cwd=project).code == 1
    assert cachelint("check", "--ignore", "CLT101", ".", cwd=project).code == 0


def test_corrupt_cache_is_ignored(project: Path, cachelint: Runner, cache_dir: Path) -> None:
    cache_dir.mkdir(exist_ok=True)
    (cache_dir / "results.json").write_bytes(b"\x00garbage")
    result = cachelint("check", ".", cwd=project)
    assert result.code == 1 and result.err == ""


def test_default_cache_location_is_the_project_root(project: Path, cachelint: Runner) -> None:
    env = {"CACHELINT_CACHE_DIR": ""}
    (project / "services" / "deeper").mkdir()
    assert cachelint("check", "../..", cwd=project / "services" / "deeper", env=env).code == 1
    assert (project / ".cachelint_cache" / "results.json").is_file()
    # It ignores itself in git.
    assert (project / ".cachelint_cache" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    explicit = project / "elsewhere"
    assert cachelint("check", "--cache-dir", str(explicit), ".", cwd=project, env=env).code == 1
    assert (explicit / "results.json").is_file()


def test_parallel_and_sequential_runs_agree(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner
) -> None:
    app = (project / "app.py").read_text(encoding="utf-8")
    for i in range(60):  # above the process-pool threshold
        write(f"many/m{i:02}.py", app if i % 3 == 0 else "x = 1\n")
    write("many/broken.py", "def f(:\n")
    parallel = cachelint("check", "--no-cache", "-j", "2", ".", cwd=project)
    sequential = cachelint("check", "--no-cache", "-j", "1", ".", cwd=project)
    assert parallel.code == sequential.code == 2
    assert (parallel.out, parallel.err) == (sequential.out, sequential.err)
    assert parallel.out.count("CLT101") == 21


def test_change_reached_through_a_re_export_and_a_cycle_rechecks(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner
) -> None:
    # app.py -> services (re-exports) -> services.cache -> services.registry -> services (a cycle).
    write("services/__init__.py", "from services.cache import CacheManager\n")
    write("services/registry.py", "import services\n")
    cache_module = project / "services" / "cache.py"
    cache_module.write_text("import services.registry\n" + cache_module.read_text(encoding="utf-8"), encoding="utf-8")
    write("app.py", (project / "app.py").read_text(encoding="utf-8").replace("services.cache", "services"))
    assert cachelint("check", "app.py", cwd=project).code == 1
    cache_module.write_text(
        cache_module.read_text(encoding="utf-8").replace("    def set", "    async def set"), encoding="utf-8"
    )
    assert cachelint("check", "app.py", cwd=project).code == 0
