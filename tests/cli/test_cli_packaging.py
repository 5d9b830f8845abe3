"""Packaging: a lean core, extras per front end, one line for a missing extra, our codemod even beside another.

The extras are checked where they are declared (``pyproject.toml``) and where
they are felt: the core command's imports, and the CLI run with an optional
package made unimportable (``sys.modules[name] = None``, which is what
Python does for a package that is not installed: ``find_spec`` is None).
"""

from __future__ import annotations

import sys
from pathlib import Path

from processes import REPO, Run, python

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

LINT_TOOLING = ("flake8", "libcst", "rich", "pygls", "lsprotocol", "mypy", "pycodestyle", "pyflakes")


def _python(code: str, *, cwd: Path) -> Run:
    return python("-c", code, cwd=cwd, env={"CACHELINT_CACHE_DIR": str(cwd / ".cache")})


def test_core_dependencies_are_pydantic_only() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = sorted(dep.split(">")[0].split(";")[0].strip() for dep in project["dependencies"])
    # pathspec: git ignore rules for discovery (pure Python, never imported by the runtime).
    assert names == ["pathspec", "pydantic", "tomli"]
    assert "python_version < '3.11'" in next(dep for dep in project["dependencies"] if dep.startswith("tomli"))
    extras = project["optional-dependencies"]
    assert {"flake8", "codemod", "mypy", "lsp", "all", "dev"} <= set(extras)
    assert any(dep.startswith("libcst") for dep in extras["codemod"])
    assert any(dep.startswith("pygls") for dep in extras["lsp"])
    assert any(dep.startswith("flake8") for dep in extras["flake8"])
    assert "cachelint[all]" in extras["dev"] and any(dep.startswith("pytest-lsp") for dep in extras["dev"])
    assert not any("rich" in dep for group in extras.values() for dep in group)


def test_check_imports_no_lint_tooling(project: Path) -> None:
    code = (
        "import sys\n"
        "from cachelint.cli import main\n"
        "status = main(['check', '--no-cache', '.'])\n"
        f"loaded = sorted(name for name in {LINT_TOOLING!r} if name in sys.modules)\n"
        "print('LOADED', loaded, status)\n"
    )
    result = _python(code, cwd=project)
    assert result.out.splitlines()[-1] == "LOADED [] 1", result.out + result.err


def test_runtime_imports_no_lint_tooling(tmp_path: Path) -> None:
    code = (
        "import sys\nimport cachelint.runtime\n"
        f"print(sorted(name for name in {LINT_TOOLING!r} if name in sys.modules))\n"
    )
    assert _python(code, cwd=tmp_path).out.strip() == "[]"


def _without(module: str, args: list[str]) -> str:
    return (
        f"import sys\nsys.modules[{module!r}] = None\n"
        f"from cachelint.cli import main\nraise SystemExit(main({args!r}))\n"
    )


def test_fix_without_libcst_names_the_extra(project: Path) -> None:
    result = _python(_without("libcst", ["fix", "."]), cwd=project)
    assert result.code == 2
    assert result.err.splitlines() == [
        "cachelint: error: cachelint fix needs the [codemod] extra (libcst is not installed): "
        "pip install 'cachelint[codemod]'"
    ]
    assert result.out == ""


def test_check_fix_without_libcst_names_the_extra(project: Path) -> None:
    result = _python(_without("libcst", ["check", "--fix", "--no-cache", "."]), cwd=project)
    assert result.code == 2
    assert result.err.strip().endswith("pip install 'cachelint[codemod]'")
    # Nothing was touched.
    assert "await cache.set" in (project / "app.py").read_text(encoding="utf-8")


def test_server_without_pygls_names_the_extra(tmp_path: Path) -> None:
    result = _python(_without("pygls", ["server"]), cwd=tmp_path)
    assert result.code == 2
    assert result.err.splitlines() == [
        "cachelint: error: cachelint server needs the [lsp] extra (pygls is not installed): "
        "pip install 'cachelint[lsp]'"
    ]


def test_fix_works_beside_a_project_codemods_package(project: Path) -> None:
    # The user's own `codemods` package sits in the working folder, first on sys.path for `python -m`.
    (project / "codemods").mkdir()
    (project / "codemods" / "__init__.py").write_text("raise RuntimeError('the project codemods')\n", encoding="utf-8")
    (project / "app.py").write_text(
        "from pydantic import BaseModel\n\nfrom services.cache import CacheManager\n\n\n"
        "class Row(BaseModel):\n    id: int\n\n\n"
        "async def load(cache: CacheManager) -> Row | None:\n    return await cache.get('rows', 'key')\n",
        encoding="utf-8",
    )
    own_cache = {"CACHELINT_CACHE_DIR": str(project / ".cache")}
    result = python("-m", "cachelint", "fix", "--no-progress", "app.py", cwd=project, env=own_cache)
    assert result.code == 0, result.err
    assert "get_model" in (project / "app.py").read_text(encoding="utf-8")
    # ...and the project's package is still the one `import codemods` finds for the project itself.
    mine = python("-c", "import codemods", cwd=project)
    assert "the project codemods" in mine.err


def test_license_and_metadata() -> None:
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "License :: OSI Approved :: MIT License" in project["classifiers"]
    assert {"Homepage", "Documentation", "Issues"} <= set(project["urls"])
