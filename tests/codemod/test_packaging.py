"""Where the codemod lives: inside ``cachelint``, beside any ``codemods`` package a project has.

The code is :mod:`cachelint.codemod`; the wheel ships only ``cachelint``, so
an install never claims the top-level name ``codemods``.  In a project with
its own ``codemods`` package (first on ``sys.path`` for ``python -m``, as the
working folder), ``cachelint fix`` and ``python -m cachelint fix`` still run
our codemod, and ``import codemods`` there still finds the project's.  From a
checkout, ``python -m codemods.fix_cache_calls`` is the documented thin entry
point.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import setuptools
from codemod_snippets import FIXABLE, FIXED

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CACHELINT_CACHE_DIR": str(cwd / ".cache")}
    env.pop("PYTHONPATH", None)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture
def project_with_codemods(tmp_path: Path) -> Path:
    """A project whose own ``codemods`` package would break anything that imported it by mistake."""
    project = tmp_path / "project"
    (project / "codemods").mkdir(parents=True)
    (project / "codemods" / "__init__.py").write_text("raise RuntimeError('the project codemods')\n", encoding="utf-8")
    (project / "codemods" / "x.py").write_text("raise RuntimeError('the project codemods.x')\n", encoding="utf-8")
    (project / "codemods" / "fix_cache_calls.py").write_text("raise RuntimeError('the project one')\n", "utf-8")
    (project / "pyproject.toml").write_text("[project]\nname = 'demo'\n\n[tool.cachelint]\n", encoding="utf-8")
    (project / "app.py").write_text(FIXABLE, encoding="utf-8")
    return project


def _cachelint() -> str:
    return str(Path(sys.executable).with_name("cachelint"))


@pytest.mark.parametrize(
    "command",
    [[_cachelint(), "fix"], [sys.executable, "-m", "cachelint", "fix"], [sys.executable, "-m", "cachelint.codemod"]],
    ids=["cachelint-fix", "python-m-cachelint-fix", "python-m-cachelint.codemod"],
)
def test_fix_runs_ours_beside_a_project_codemods_package(project_with_codemods: Path, command: list[str]) -> None:
    project = project_with_codemods
    result = _run([*command, "--no-progress", "app.py"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RuntimeError" not in result.stderr
    assert (project / "app.py").read_text(encoding="utf-8") == FIXED
    assert "rewrote app.py (CLT101 1, CLT102 1)" in result.stdout
    # The project's package is untouched and still the one its own code imports.
    mine = _run([sys.executable, "-c", "import codemods.x"], project)
    assert "the project codemods" in mine.stderr


def test_the_checkout_entry_point_still_works(tmp_path: Path) -> None:
    target = tmp_path / "app.py"
    target.write_text(FIXABLE, encoding="utf-8")
    check = _run([sys.executable, "-m", "codemods.fix_cache_calls", "--check", "--no-progress", str(target)], REPO)
    assert check.returncode == 1, check.stdout + check.stderr
    assert f"would rewrite {target} (CLT101 1, CLT102 1)" in check.stdout
    assert target.read_text(encoding="utf-8") == FIXABLE
    fixed = _run([sys.executable, "-m", "codemods.fix_cache_calls", "--no-progress", str(target)], REPO)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert target.read_text(encoding="utf-8") == FIXED


def test_help_names_the_command_it_was_run_as() -> None:
    for command, prog in [
        ([sys.executable, "-m", "codemods.fix_cache_calls"], "usage: python -m codemods.fix_cache_calls"),
        ([sys.executable, "-m", "cachelint.codemod"], "usage: python -m cachelint.codemod"),
        ([_cachelint(), "fix"], "usage: cachelint fix"),
    ]:
        result = _run([*command, "--help"], REPO)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(prog), result.stdout


def test_the_wheel_ships_cachelint_only() -> None:
    """The packages setuptools would put in the wheel, found with the project's own configuration."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = setuptools.find_packages(where=str(REPO), include=include)
    assert "cachelint.codemod" in packages
    assert "cachelint" in packages
    assert not [name for name in packages if name.split(".")[0] != "cachelint"], packages


def test_the_checkout_codemods_folder_is_a_thin_entry_point() -> None:
    """Everything but the entry point moved with its history: no second copy of the codemod to drift."""
    assert sorted(p.name for p in (REPO / "codemods").glob("*.py")) == ["__init__.py", "fix_cache_calls.py"]
    entry = (REPO / "codemods" / "fix_cache_calls.py").read_text(encoding="utf-8")
    assert "def " not in entry
    assert "from cachelint.codemod.fix_cache_calls import" in entry


@pytest.mark.parametrize("module", ["cachelint.codemod", "codemods.fix_cache_calls"])
def test_the_codemod_without_libcst_names_the_extra(tmp_path: Path, module: str) -> None:
    """Run as a module, not through ``cachelint fix``: still one line, exit 2, nothing touched."""
    (tmp_path / "app.py").write_text(FIXABLE, encoding="utf-8")
    program = f"import runpy, sys\nsys.modules['libcst'] = None\nsys.argv = ['x', {str(tmp_path)!r}]\n"
    program += f"runpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n"
    result = _run([sys.executable, "-c", program], REPO)
    assert result.returncode == 2, result.stdout + result.stderr
    prog = "python -m cachelint.codemod" if module == "cachelint.codemod" else "python -m codemods.fix_cache_calls"
    assert result.stderr.splitlines() == [
        f"{prog}: error: the codemod needs the [codemod] extra (libcst is not installed): "
        "pip install 'cachelint[codemod]'"
    ]
    assert result.stdout == ""
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == FIXABLE
