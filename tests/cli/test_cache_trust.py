"""A result cache that cannot lie or be abused (issue 11).

* negative dependencies: a module created after the first run, for an import
  that did not resolve then, is seen by the warm run;
* installed files the engine reports reading are watched (the hook);
* cachelint's own code is part of the key by content, not only by version;
* a hostile cache file (huge claimed sizes, deep nesting, oversized, a FIFO)
  costs nothing and changes nothing;
* a cache folder that is a symbolic link out of the project is never written through.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from processes import Runner

import cachelint as cachelint_package

#: ``app.py`` imports a cache class from a module that does not exist yet: a
#: ``CacheManager`` whose source is unknown is taken as synchronous (CLT101).
APP = """\
from plugins.store import CacheManager


async def store(cache: CacheManager) -> None:
    await cache.set("patterns", "key", 1)
"""
#: Once the module appears, its source says the method is async: no finding.
PLUGIN = """\
from typing import Any


class CacheManager:
    async def set(self, cache_type: str, content_key: str, value: Any) -> None:
        pass
"""


def _keep_stat(path: Path, text: str) -> None:
    st = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_module_created_for_an_unresolved_import_is_seen(tmp_path: Path, cachelint: Runner) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    assert cachelint("check", ".", cwd=tmp_path).code == 1  # no source: taken as the sync CacheManager
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "plugins" / "store.py").write_text(PLUGIN, encoding="utf-8")
    warm = cachelint("check", ".", cwd=tmp_path)
    assert warm.code == 0 and warm.out.strip() == "All checks passed!", warm.out + warm.err


def test_a_module_created_inside_an_existing_package_is_seen(tmp_path: Path, cachelint: Runner) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    (tmp_path / "src" / "plugins").mkdir(parents=True)  # a src layout: the package exists, store does not
    (tmp_path / "src" / "plugins" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    assert cachelint("check", ".", cwd=tmp_path).code == 1
    (tmp_path / "src" / "plugins" / "store.py").write_text(PLUGIN, encoding="utf-8")
    assert cachelint("check", ".", cwd=tmp_path).code == 0


def test_installed_files_the_engine_reports_are_watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cachelint.analysis.index import ProjectIndex
    from cachelint.checker import check_file, dependencies
    from cachelint.config import Settings
    from cachelint.resultcache import Entry, ResultCache

    installed = tmp_path / "site" / "lib.py"
    installed.parent.mkdir()
    installed.write_text("x = 1\n", encoding="utf-8")
    # What the engine reads (``ProjectIndex.installed_sources``): the index reports what it read.
    monkeypatch.setattr(ProjectIndex, "installed_sources", lambda self: (str(installed),))
    app = tmp_path / "app.py"
    app.write_text("import lib\n", encoding="utf-8")
    settings = Settings(root=tmp_path)
    result = check_file(str(app), settings)
    found = dependencies([result], lambda _: settings)[str(app)]
    assert any(str(installed) in group for group in found), found

    cache = ResultCache(str(tmp_path / "cache"))
    deps = cache.canonical(found)
    st = app.stat()
    cache.store(str(app), Entry(st.st_mtime_ns, st.st_size, "fp", result.findings, None, deps, cache.stamp(deps)))
    cache.save()
    assert ResultCache(str(tmp_path / "cache")).load().lookup(str(app), "fp") is not None
    time.sleep(0.01)
    installed.write_text("x = 2  # upgraded\n", encoding="utf-8")
    assert ResultCache(str(tmp_path / "cache")).load().lookup(str(app), "fp") is None


def test_edited_cachelint_code_invalidates_the_cache(tmp_path: Path, cachelint: Runner) -> None:
    """Same version string, different engine: the cached messages must not be served."""
    copy = tmp_path / "engine"
    source = Path(cachelint_package.__file__).parent
    shutil.copytree(source, copy / "cachelint", ignore=shutil.ignore_patterns("__pycache__"))
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    (project / "app.py").write_text(APP, encoding="utf-8")
    env = {"PYTHONPATH": str(copy)}
    first = cachelint("check", ".", cwd=project, env=env)
    assert "`await` on synchronous" in first.out, first.out + first.err
    rules = copy / "cachelint" / "rules.py"
    _keep_stat(rules, rules.read_text(encoding="utf-8").replace("`await` on synchronous", "`await` of a sync"))
    second = cachelint("check", ".", cwd=project, env=env)
    assert "`await` of a sync" in second.out, second.out


HOSTILE: dict[str, bytes] = {
    # marshal's list opcode claiming 2**31-1 items (16 GB) in five bytes; also not JSON.
    "huge-claim": b"[\xff\xff\xff\x7f",
    "deep-nesting": b"[" * 1_000_000,
    "wrong-shapes": b'{"format": 3, "version": "0.1.0", "groups": {}, "deps": 5, "entries": []}',
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_cache_file_is_ignored_fast(case: str, tmp_path: Path, cache_dir: Path, cachelint: Runner) -> None:
    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    cache_dir.mkdir(exist_ok=True)
    for name in ("results.json", "results.marshal"):  # this release's name and 0.1's
        (cache_dir / name).write_bytes(HOSTILE[case])
    start = time.perf_counter()
    done = cachelint("check", ".")  # with cache_dir as its result cache
    assert done.code == 0 and done.err == "", done.err[-2000:]
    assert time.perf_counter() - start < 30


def test_oversized_or_special_cache_file_is_not_read(tmp_path: Path, cache_dir: Path, cachelint: Runner) -> None:
    from cachelint.resultcache import MAX_BYTES, ResultCache

    (tmp_path / "app.py").write_text("x = 1\n", encoding="utf-8")
    cache_dir.mkdir(exist_ok=True)
    with open(cache_dir / "results.json", "wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_BYTES + 1)
    assert ResultCache(str(cache_dir)).load()._raw == {}
    (cache_dir / "results.json").unlink()
    if hasattr(os, "mkfifo"):
        os.mkfifo(cache_dir / "results.json")  # opening it for reading would block
        run = cachelint("check", ".", cwd=tmp_path)
        assert run.code == 0, run.err


def test_cache_folder_linking_out_of_the_project_is_not_written(tmp_path: Path, cachelint: Runner) -> None:
    project = tmp_path / "cloned"
    outside = tmp_path / "victim"
    project.mkdir()
    outside.mkdir()
    (project / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    (project / "app.py").write_text("x = 1\n", encoding="utf-8")
    os.symlink(outside, project / ".cachelint_cache")
    run = cachelint("check", ".", cwd=project, env={"CACHELINT_CACHE_DIR": ""})
    assert run.code == 0
    assert list(outside.iterdir()) == []
    assert "symbolic link" in run.err and "result cache is not used" in run.err
