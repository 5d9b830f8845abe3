"""Configuration found as ruff finds its own: which file governs, and what a sub-project keeps.

Unit checks of :func:`cachelint.config.load_settings` over real files in a
temporary tree, and end-to-end runs of the real flake8 proving that the
governing configuration (and no other) reaches the engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from processes import flake8

from cachelint import config
from cachelint.config import ConfigError, find_config, load_settings


@pytest.fixture(autouse=True)
def _fresh_memo() -> None:
    config._CACHE.clear()


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_without_section_does_not_shadow_the_parent(tmp_path: Path) -> None:
    root = _write(tmp_path / "pyproject.toml", '[tool.cachelint]\nnot-cache-classes = ["Registry"]\n')
    _write(tmp_path / "backend" / "pyproject.toml", '[project]\nname = "backend"\n')
    settings = load_settings(tmp_path / "backend" / "app")
    assert settings.not_cache_classes == ("Registry",)
    assert settings.config_path == root
    # The sub-project is the project; the repository root stays an import root.
    assert settings.root == (tmp_path / "backend").resolve()
    roots = settings.effective_source_roots()
    assert tmp_path.resolve() in roots and (tmp_path / "backend").resolve() in roots


def test_nearest_pyproject_with_a_section_governs(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.cachelint]\nnot-cache-classes = ["Outer"]\n')
    inner = _write(tmp_path / "sub" / "pyproject.toml", '[tool.cachelint]\nnot-cache-classes = ["Inner"]\n')
    settings = load_settings(tmp_path / "sub" / "pkg" / "mod.py")
    assert settings.not_cache_classes == ("Inner",)
    assert settings.config_path == inner
    assert settings.import_roots == ()


def test_cachelint_toml_has_top_level_keys_and_wins_over_a_pyproject_above(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.cachelint]\nnot-cache-classes = ["Outer"]\n')
    own = _write(tmp_path / "svc" / "cachelint.toml", 'sync-cache-classes = ["LegacyStore"]\n')
    assert find_config(tmp_path / "svc") == own
    settings = load_settings(tmp_path / "svc")
    assert settings.sync_cache_classes == ("LegacyStore",)
    assert settings.not_cache_classes == ()


def test_without_any_section_the_nearest_pyproject_roots_the_defaults(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[project]\nname = "plain"\n')
    settings = load_settings(tmp_path / "pkg")
    assert settings.root == tmp_path.resolve()
    assert settings.sync_cache_classes == ("CacheManager",)
    assert find_config(tmp_path / "pkg") is None


def test_not_cache_classes_is_validated(tmp_path: Path) -> None:
    _write(tmp_path / "cachelint.toml", "not-cache-classes = [1]\n")
    with pytest.raises(ConfigError) as error:
        load_settings(tmp_path)
    message = str(error.value)
    assert "\n" not in message and "not-cache-classes" in message and "cachelint.toml" in message


def test_bad_toml_in_a_section_less_looking_pyproject_is_reported_not_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.cachelint\n")
    with pytest.raises(ConfigError):
        load_settings(tmp_path)


# -- end to end through the real flake8 ------------------------------------------

_CACHE_MODULE = """
from typing import Any


class PromptCache:
    def get(self, key: str) -> Any:
        return None

    def set(self, key: str, value: Any) -> None:
        return None


async def read(cache: PromptCache) -> Any:
    return await cache.get("k")
"""


def _flake8(path: Path) -> list[str]:
    result = flake8("--select", "CLT", str(path), cwd=path)
    assert result.code in (0, 1), result.err
    return [line for line in result.lines if " CLT" in line]


def test_flake8_finds_a_structural_cache_without_configuration(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[project]\nname = "app"\n')
    _write(tmp_path / "app" / "__init__.py", "")
    _write(tmp_path / "app" / "cache.py", _CACHE_MODULE)
    found = _flake8(tmp_path)
    assert len(found) == 1 and "CLT101" in found[0] and "PromptCache.get" in found[0]


def test_flake8_sees_the_root_configuration_through_a_section_less_sub_project(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.cachelint]\nnot-cache-classes = ["PromptCache"]\n')
    _write(tmp_path / "backend" / "pyproject.toml", '[project]\nname = "backend"\n')
    _write(tmp_path / "backend" / "app" / "__init__.py", "")
    _write(tmp_path / "backend" / "app" / "cache.py", _CACHE_MODULE)
    assert _flake8(tmp_path) == []
    _write(tmp_path / "pyproject.toml", '[project]\nname = "repo"\n')
    assert len(_flake8(tmp_path)) == 1


def test_flake8_reads_a_cachelint_toml(tmp_path: Path) -> None:
    _write(tmp_path / "cachelint.toml", 'not-cache-classes = ["app.cache.PromptCache"]\n')
    _write(tmp_path / "app" / "__init__.py", "")
    _write(tmp_path / "app" / "cache.py", _CACHE_MODULE)
    assert _flake8(tmp_path) == []
