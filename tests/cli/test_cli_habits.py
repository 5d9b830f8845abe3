"""ruff's command-line habits in ``cachelint check`` and ``cachelint fix``, run as real subprocesses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from processes import Runner

#: One certain fix (CLT101, with CLT103 on the same value) and nothing else.
FIXABLE = """\
from pydantic import BaseModel

from services.cache import CacheManager


class Pattern(BaseModel):
    kind: str


async def load(cache: CacheManager) -> list[Pattern] | None:
    return await cache.get("patterns", "key")
"""

#: CLT104 with a known model: its fix (adding an ``await``) is unsafe.
BLOCKING = """\
from pydantic import BaseModel

from services.cache import CacheManager


class Pattern(BaseModel):
    kind: str


async def load(cache: CacheManager) -> Pattern | None:
    return cache.get("patterns", "key")
"""

Write = Callable[[str, str], Path]


def test_clean_run_says_all_checks_passed(project: Path, cachelint: Runner) -> None:
    (project / "app.py").write_text("x = 1\n", encoding="utf-8")
    assert cachelint("check", cwd=project).out == "All checks passed!\n"
    quiet = cachelint("check", "-q", cwd=project)
    assert (quiet.code, quiet.out) == (0, "")


def test_fixable_count_and_check_fix(project: Path, write: Write, cachelint: Runner) -> None:
    write("app.py", FIXABLE)
    before = cachelint("check", cwd=project)
    assert before.code == 1
    assert before.lines[-2:] == ["Found 2 findings.", "1 fixable with `cachelint check --fix`."]
    quiet = cachelint("check", "--quiet", cwd=project)
    assert [line.split(" ")[1] for line in quiet.lines] == ["CLT101", "CLT103"]

    fixed = cachelint("check", "--fix", cwd=project)
    assert (fixed.code, fixed.lines) == (0, ["Found 2 findings (2 fixed, 0 remaining)."])
    text = (project / "app.py").read_text(encoding="utf-8")
    assert 'await as_async(cache).get_list(CacheKey("patterns", "key"), Pattern)' in text
    assert cachelint("check", cwd=project).out == "All checks passed!\n"


def test_nothing_certain_is_not_counted_fixable(project: Path, write: Write, cachelint: Runner) -> None:
    # No return annotation: the model is unknown, so the codemod would leave the site; not "fixable".
    write("app.py", FIXABLE.replace(" -> list[Pattern] | None", ""))
    result = cachelint("check", cwd=project)
    assert result.code == 1
    assert not any("fixable" in line for line in result.lines)


def test_diff_prints_and_exits_1_writing_nothing(project: Path, write: Write, cachelint: Runner) -> None:
    write("app.py", FIXABLE)
    result = cachelint("check", "--diff", cwd=project)
    assert result.code == 1
    assert result.out.startswith("--- a/app.py\n+++ b/app.py\n")
    assert "+    return await as_async(cache).get_list(" in result.out
    assert result.err == "Would fix 1 finding.\n"
    assert (project / "app.py").read_text(encoding="utf-8") == FIXABLE
    (project / "app.py").write_text("x = 1\n", encoding="utf-8")
    clean = cachelint("check", "--diff", cwd=project)
    assert (clean.code, clean.out) == (0, "")


def test_unsafe_fixes_only_on_request(project: Path, write: Write, cachelint: Runner) -> None:
    write("app.py", BLOCKING)
    report = cachelint("check", "--extend-select", "CLT104", cwd=project)
    assert "1 more fixable with `cachelint check --fix --unsafe-fixes`." in report.lines
    assert "fixable with `cachelint check --fix`." not in report.out
    safe = cachelint("check", "--extend-select", "CLT104", "--fix", cwd=project)
    assert safe.code == 1
    assert (project / "app.py").read_text(encoding="utf-8") == BLOCKING
    unsafe = cachelint("check", "--extend-select", "CLT104", "--fix", "--unsafe-fixes", cwd=project)
    assert unsafe.code == 0, unsafe.out + unsafe.err
    assert "await as_async(cache).get_model(" in (project / "app.py").read_text(encoding="utf-8")


def test_output_file(project: Path, cachelint: Runner) -> None:
    result = cachelint("check", "--output-format", "json", "--output-file", "report.json", cwd=project)
    assert (result.code, result.out) == (1, "")
    assert '"code": "CLT101"' in (project / "report.json").read_text(encoding="utf-8")
    missing = cachelint("check", "-o", "no/such/dir/report.txt", cwd=project)
    assert missing.code == 2
    assert missing.err.splitlines()[-1].startswith("cachelint: error: --output-file: cannot write")


def test_show_files(project: Path, write: Write, cachelint: Runner) -> None:
    write("pyproject.toml", "[tool.cachelint]\nexclude = ['services/*']\n")
    result = cachelint("check", "--show-files", cwd=project)
    assert (result.code, result.lines) == (0, ["app.py"])


def test_config_option(project: Path, write: Write, cachelint: Runner, tmp_path: Path) -> None:
    other = write("other/strict.toml", "[tool.cachelint]\nignore = ['CLT101']\n")
    # The project's own pyproject.toml would report CLT101; --config replaces it for every file.
    result = cachelint("check", "--config", str(other), "app.py", cwd=project)
    assert (result.code, result.out) == (0, "All checks passed!\n")
    missing = cachelint("check", "--config", "nope.toml", cwd=project)
    assert missing.code == 2
    assert missing.err.strip() == "cachelint: error: --config: nope.toml: no such file"


def test_no_abbreviations_and_did_you_mean(project: Path, cachelint: Runner) -> None:
    abbreviated = cachelint("check", "--sel", "CLT101", cwd=project)
    assert abbreviated.code == 2
    assert "unrecognized arguments: --sel " in abbreviated.err  # not taken for --select
    typo = cachelint("check", "--selct", "CLT101", cwd=project)
    assert typo.code == 2
    assert "did you mean '--select'" in typo.err.splitlines()[-1]
    command = cachelint("chek", cwd=project)
    assert command.code == 2
    assert "did you mean 'check'?" in command.err.splitlines()[-1]


def test_colour_follows_the_environment(project: Path, cachelint: Runner) -> None:
    forced = cachelint("check", cwd=project, env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in forced.out
    both = cachelint("check", cwd=project, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in both.out
    piped = cachelint("check", cwd=project, env={"FORCE_COLOR": "", "NO_COLOR": ""})
    assert "\x1b[" not in piped.out  # not a terminal
    machine = cachelint("check", "--output-format", "json", cwd=project, env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" not in machine.out


def test_fix_defaults_to_the_working_folder_and_names_itself(project: Path, write: Write, cachelint: Runner) -> None:
    write("app.py", FIXABLE)
    result = cachelint("fix", "--check", "--no-progress", cwd=project)
    assert result.code == 1  # found app.py without being told where to look
    assert cachelint("fix", "--help", cwd=project).out.startswith("usage: cachelint fix")
    diff = cachelint("fix", "--diff", "--no-progress", cwd=project)
    assert diff.code == 1 and "get_list" in diff.out
