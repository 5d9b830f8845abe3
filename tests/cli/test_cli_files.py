"""Which files ``cachelint check`` reads: .gitignore (compared with real git), excludes, explicit paths."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from processes import Runner, git

from cachelint.config import load_settings
from cachelint.workspace import SettingsByFolder, discover

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")

GITIGNORE = """\
# comment
*.gen.py
/rooted.py
build_out/
docs/**/skip_*.py
!keep.gen.py
nested/deep/
\\#hash.py
data?.py
[xy]z.py
"""

TREE = [
    "a.py",
    "x.gen.py",
    "keep.gen.py",
    "rooted.py",
    "sub/rooted.py",
    "build_out/b.py",
    "sub/build_out/c.py",
    "docs/skip_me.py",
    "docs/a/b/skip_me.py",
    "docs/a/keep_me.py",
    "nested/deep/d.py",
    "nested/e.py",
    "#hash.py",
    "data1.py",
    "data12.py",
    "xz.py",
    "zz.py",
    "pkg/inner/.gitignore",
    "pkg/inner/local.py",
    "pkg/inner/other.py",
    "pkg/inner/sub/local.py",
]


def _files(root: Path) -> set[str]:
    found = discover([str(root)], SettingsByFolder())
    assert not found.missing
    return {Path(path).relative_to(root).as_posix() for path in found.files}


@needs_git
def test_gitignore_matches_git(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    (tmp_path / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    for name in TREE:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("local.py\n" if name.endswith(".gitignore") else "x = 1\n", encoding="utf-8")
    listed = git("ls-files", "--others", "--cached", "--exclude-standard", cwd=tmp_path).split()
    expected = {name for name in listed if name.endswith(".py")}
    # The comparison must exercise ignoring and re-including, not two full lists.
    assert "x.gen.py" not in expected and "keep.gen.py" in expected and "pkg/inner/local.py" not in expected
    assert _files(tmp_path) == expected


@needs_git
def test_gitignore_of_parent_folders_applies(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    (tmp_path / ".gitignore").write_text("generated/\n", encoding="utf-8")
    (tmp_path / "src" / "generated").mkdir(parents=True)
    (tmp_path / "src" / "generated" / "g.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "src" / "m.py").write_text("x = 1\n", encoding="utf-8")
    found = discover([str(tmp_path / "src")], SettingsByFolder())
    assert [Path(p).name for p in found.files] == ["m.py"]


def test_standard_and_configured_excludes(project: Path, write: Callable[[str, str], Path], cachelint: Runner) -> None:
    app = (project / "app.py").read_text(encoding="utf-8")
    for folder in (".venv", "venv", "build", "dist", ".tox", "node_modules", "__pycache__", ".git", "x.egg-info"):
        write(f"{folder}/bad.py", app)
    write("migrations/0001.py", app)
    write("tests/fixtures/case.py", app)
    write("tests/test_real.py", app)
    (project / "pyproject.toml").write_text(
        '[tool.cachelint]\nexclude = ["migrations", "tests/fixtures"]\n', encoding="utf-8"
    )
    result = cachelint("check", ".", cwd=project)
    assert sorted({line.split(":")[0] for line in result.lines if ":" in line}) == ["app.py", "tests/test_real.py"]

    # A file named on the command line is always checked ...
    explicit = cachelint("check", "tests/fixtures/case.py", "build/bad.py", cwd=project)
    assert sorted({line.split(":")[0] for line in explicit.lines if ":" in line}) == [
        "build/bad.py", "tests/fixtures/case.py",
    ]
    # ... unless --force-exclude (what the pre-commit hook passes).
    forced = cachelint("check", "--force-exclude", "tests/fixtures/case.py", "build/bad.py", "app.py", cwd=project)
    assert sorted({line.split(":")[0] for line in forced.lines if ":" in line}) == ["app.py"]


def test_explicit_folder_is_walked_even_if_excluded_by_name(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner
) -> None:
    write("build/bad.py", (project / "app.py").read_text(encoding="utf-8"))
    result = cachelint("check", "build", cwd=project)
    assert result.lines[0].startswith("build/bad.py:5:5: CLT101")


def test_non_python_files_are_skipped_when_walking(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner
) -> None:
    write("notes.txt", "def f(:\n")
    write("script.pyi", "def f(:\n")
    assert cachelint("check", ".", cwd=project).code == 1  # only app.py's finding, no parse error


def test_settings_by_folder_equals_load_settings(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    bare = tmp_path_factory.mktemp("no-pyproject")
    (bare / "pkg").mkdir()
    lookup = SettingsByFolder()
    for folder in (project, project / "services", bare / "pkg", bare):
        assert lookup(str(folder)) == load_settings(folder)
