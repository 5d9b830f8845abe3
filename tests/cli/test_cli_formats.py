"""Output formats (text, json, github), ``--statistics`` and selection options."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from processes import Runner

from cachelint import rules

#: One file with CLT101 (line 5), CLT104 (line 9, opt-in) and CLT106 (line 19).
MIXED = '''\
from services.cache import CacheManager


async def awaited(cache: CacheManager) -> None:
    await cache.set("a", "k", 1)


async def blocking(cache: CacheManager) -> None:
    cache.set("a", "k", 1)


from pydantic import BaseModel


class Pattern(BaseModel):
    kind: str

def kind_of(pattern: Pattern) -> object:
    return pattern.get("kind")
'''


def _codes(result: Any) -> list[tuple[int, str]]:
    out = []
    for line in result.lines:
        parts = line.split(":")
        if len(parts) >= 4 and parts[3].strip()[:3] == "CLT":
            out.append((int(parts[1]), parts[3].split()[0]))
    return out


def test_text_format(project: Path, cachelint: Runner) -> None:
    result = cachelint("check", ".", cwd=project)
    message = rules.BY_CODE["CLT101"].format(
        {"cls": "CacheManager", "method": "set", "receiver": "cache"}
    )
    assert result.lines == [f"app.py:5:5: CLT101 {message}", "Found 1 finding."]


def test_default_selection_and_overrides(project: Path, write: Callable[[str, str], Path], cachelint: Runner) -> None:
    write("mixed.py", MIXED)
    assert _codes(cachelint("check", "mixed.py", cwd=project)) == [(5, "CLT101"), (19, "CLT106")]
    assert _codes(cachelint("check", "--extend-select", "CLT104", "mixed.py", cwd=project)) == [
        (5, "CLT101"), (9, "CLT104"), (19, "CLT106"),
    ]
    assert _codes(cachelint("check", "--select", "CLT104", "mixed.py", cwd=project)) == [(9, "CLT104")]
    assert _codes(cachelint("check", "--select", "CLT", "--ignore", "CLT101,CLT106", "mixed.py", cwd=project)) == [
        (9, "CLT104")
    ]
    # A rule name works as a selector, as in the catalog.
    assert _codes(cachelint("check", "--select", "dict-access-on-model", "mixed.py", cwd=project)) == [
        (19, "CLT106")
    ]


def test_command_line_selection_replaces_the_configured_one(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner
) -> None:
    write("mixed.py", MIXED)
    (project / "pyproject.toml").write_text(
        '[tool.cachelint]\nextend-select = ["CLT104"]\nignore = ["CLT106"]\n', encoding="utf-8"
    )
    assert _codes(cachelint("check", "mixed.py", cwd=project)) == [(5, "CLT101"), (9, "CLT104")]
    assert _codes(cachelint("check", "--select", "CLT106", "mixed.py", cwd=project)) == [(19, "CLT106")]
    assert _codes(cachelint("check", "--ignore", "CLT101", "mixed.py", cwd=project)) == [(9, "CLT104")]


def test_json_format(project: Path, cachelint: Runner) -> None:
    result = cachelint("check", "--output-format", "json", ".", cwd=project)
    assert result.code == 1
    items = json.loads(result.out)
    assert items == [
        {
            "path": "app.py",
            "line": 5,
            "column": 5,
            "end_line": items[0]["end_line"],
            "end_column": items[0]["end_column"],
            "code": "CLT101",
            "name": "await-sync-cache-call",
            "message": rules.BY_CODE["CLT101"].format({"cls": "CacheManager", "method": "set", "receiver": "cache"}),
            "fix_title": rules.BY_CODE["CLT101"].fix_title,
            "fixable": True,
        }
    ]


def test_json_format_clean_is_an_empty_list(project: Path, cachelint: Runner) -> None:
    (project / "app.py").write_text("x = 1\n", encoding="utf-8")
    result = cachelint("check", "--output-format", "json", ".", cwd=project)
    assert (result.code, json.loads(result.out)) == (0, [])


def test_github_format(project: Path, write: Callable[[str, str], Path], cachelint: Runner) -> None:
    write("broken.py", "def f(:\n")
    result = cachelint("check", "--output-format", "github", ".", cwd=project)
    assert result.code == 2
    annotation, problem = result.lines
    assert annotation.startswith("::error file=app.py,line=5,col=5,")
    assert ",title=CLT101::" in annotation
    assert annotation.endswith("::" + rules.BY_CODE["CLT101"].format(
        {"cls": "CacheManager", "method": "set", "receiver": "cache"}
    ))
    assert problem == "::error file=broken.py,line=1,col=7,title=cachelint::cannot parse: invalid syntax"


def test_github_escapes_properties_and_data(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner
) -> None:
    write("odd,name:1.py", (project / "app.py").read_text(encoding="utf-8"))
    result = cachelint("check", "--output-format", "github", "odd,name:1.py", cwd=project)
    assert result.lines[0].startswith("::error file=odd%2Cname%3A1.py,line=5,")


def test_statistics(project: Path, write: Callable[[str, str], Path], cachelint: Runner) -> None:
    write("mixed.py", MIXED)
    write("more.py", MIXED)
    result = cachelint("check", "--statistics", ".", cwd=project)
    assert result.code == 1
    assert result.lines[-2:] == ["3     CLT101 await-sync-cache-call", "2     CLT106 dict-access-on-model"]
    # With a machine format, statistics go to standard error and standard output stays JSON.
    machine = cachelint("check", "--statistics", "--output-format", "json", ".", cwd=project)
    assert len(json.loads(machine.out)) == 5
    assert machine.err.splitlines() == ["3     CLT101 await-sync-cache-call", "2     CLT106 dict-access-on-model"]


def test_exit_zero(project: Path, cachelint: Runner) -> None:
    result = cachelint("check", "--exit-zero", ".", cwd=project)
    assert result.code == 0
    assert result.lines[0].startswith("app.py:5:5: CLT101")


def test_rules_command_lists_the_catalog(cachelint: Runner) -> None:
    result = cachelint("rules")
    assert result.code == 0
    assert result.lines[0].split() == ["code", "name", "default", "fixable", "summary"]
    for rule in rules.CATALOG:
        row = next(line for line in result.lines if line.startswith(rule.code))
        cells = row.split()
        assert cells[1:4] == [rule.name, "on" if rule.default_enabled else "off", "yes" if rule.fixable else "no"]


def test_explain_by_code_and_name(cachelint: Runner) -> None:
    by_code = cachelint("explain", "clt103")
    by_name = cachelint("explain", "untyped-cache-retrieval")
    assert by_code.code == by_name.code == 0
    assert by_code.out == by_name.out
    rule = rules.BY_CODE["CLT103"]
    assert by_code.lines[0] == "# CLT103 `untyped-cache-retrieval`"
    for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety"):
        assert f"## {heading}" in by_code.lines
    assert rule.why in by_code.out
    assert rule.use_instead in by_code.out


def test_version(cachelint: Runner) -> None:
    from cachelint import __version__

    result = cachelint("--version")
    assert (result.code, result.out.strip()) == (0, f"cachelint {__version__}")
