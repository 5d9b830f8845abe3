"""Bad input: one clear line each, the right exit status, and every other file still checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from processes import Runner

from cachelint import rules


def test_clean_project_exits_0(project: Path, cachelint: Runner) -> None:
    (project / "app.py").write_text("x = 1\n", encoding="utf-8")
    result = cachelint("check", ".", cwd=project)
    assert (result.code, result.out, result.err) == (0, "All checks passed!\n", "")


def test_findings_exit_1(project: Path, cachelint: Runner) -> None:
    assert cachelint("check", cwd=project).code == 1  # no PATH: the working folder


def test_missing_path_is_one_line_and_others_are_checked(project: Path, cachelint: Runner) -> None:
    result = cachelint("check", "nope.py", "app.py", cwd=project)
    assert result.code == 2
    assert result.err.splitlines() == ["nope.py: error: no such file or directory"]
    assert result.lines[0].startswith("app.py:5:5: CLT101 ")


def test_unparsable_file_is_reported_and_others_are_checked(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner
) -> None:
    write("broken.py", "def f(:\n    pass\n")
    result = cachelint("check", ".", cwd=project)
    assert result.code == 2
    assert result.err.splitlines() == ["broken.py:1:7: error: cannot parse: invalid syntax"]
    assert any(line.startswith("app.py:5:5: CLT101 ") for line in result.lines)
    # The verdict is cached with the file; a warm run says the same.
    again = cachelint("check", ".", cwd=project)
    assert (again.code, again.err, again.out) == (result.code, result.err, result.out)


def test_null_bytes_are_a_parse_error(project: Path, cachelint: Runner) -> None:
    (project / "nul.py").write_bytes(b"x = 1\x00\n")
    result = cachelint("check", "nul.py", cwd=project)
    assert result.code == 2
    assert result.err.startswith("nul.py:1:1: error: cannot parse: ")
    assert len(result.err.splitlines()) == 1


def test_bad_option_is_an_argparse_error(project: Path, cachelint: Runner) -> None:
    result = cachelint("check", "--frobnicate", cwd=project)
    assert result.code == 2
    assert result.err.splitlines()[-1] == "cachelint: error: unrecognized arguments: --frobnicate"
    assert result.err.startswith("usage: cachelint")


def test_bad_output_format(project: Path, cachelint: Runner) -> None:
    result = cachelint("check", "--output-format", "xml", cwd=project)
    assert result.code == 2
    assert "invalid choice: 'xml'" in result.err.splitlines()[-1]


def test_unknown_rule_selector_is_one_line(project: Path, cachelint: Runner) -> None:
    result = cachelint("check", "--select", "CLT101,CLT999", ".", cwd=project)
    assert result.code == 2
    assert result.out == ""
    assert result.err.splitlines() == [
        "cachelint: error: --select: unknown rule selector 'CLT999' "
        f"(known: {', '.join(rule.code for rule in rules.ACTIVE)})"
    ]


def test_bad_config_is_one_line(project: Path, cachelint: Runner) -> None:
    (project / "pyproject.toml").write_text('[tool.cachelint]\nselect = "CLT1O1"\n', encoding="utf-8")
    result = cachelint("check", ".", cwd=project)
    assert result.code == 2
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("cachelint: error: ")
    assert "'select' names unknown rule 'CLT1O1'" in result.err


def test_invalid_toml_is_one_line(project: Path, cachelint: Runner) -> None:
    (project / "pyproject.toml").write_text("[tool.cachelint\n", encoding="utf-8")
    result = cachelint("check", "app.py", cwd=project)
    assert result.code == 2
    assert len(result.err.splitlines()) == 1
    assert "invalid TOML" in result.err


def test_explain_unknown_rule(cachelint: Runner) -> None:
    result = cachelint("explain", "CLT999")
    assert result.code == 2
    assert len(result.err.splitlines()) == 1
    assert result.err.startswith("cachelint: error: unknown rule 'CLT999'")


def test_no_command_is_a_usage_error(cachelint: Runner) -> None:
    result = cachelint()
    assert result.code == 2
    assert "usage: cachelint" in result.err
