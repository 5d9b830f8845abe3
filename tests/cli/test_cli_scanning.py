"""Code scanning: rule links, fingerprints that survive unrelated edits, one column convention in every format."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from processes import Runner, flake8

from cachelint import rules

#: A finding after non-ASCII text on its own line: "é = " is 4 code points but 5 UTF-8 bytes.
NON_ASCII = """\
from services.cache import CacheManager


async def store(cache: CacheManager) -> None:
    é = await cache.set("patterns", "key", 1)
"""


def _sarif(cachelint: Runner, project: Path) -> dict[str, Any]:
    result = cachelint("check", "--no-cache", "--output-format", "sarif", ".", cwd=project)
    assert result.code == 1, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def _fingerprints(log: dict[str, Any]) -> list[tuple[str, int, str]]:
    out = []
    for result in log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        out.append((result["ruleId"], region["startLine"], result["partialFingerprints"]["cachelint/v1"]))
    return out


def test_rules_link_their_docs_anchor(project: Path, cachelint: Runner) -> None:
    driver = _sarif(cachelint, project)["runs"][0]["tool"]["driver"]
    for descriptor in driver["rules"]:
        assert descriptor["helpUri"] == f"{rules.DOCS_URL}#{descriptor['id'].lower()}"
    # The anchor exists on the generated page.
    page = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert all(f'<a id="{rule.code.lower()}"></a>' in page for rule in rules.ACTIVE)


def test_fingerprints_survive_unrelated_edits(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner
) -> None:
    app = (project / "app.py").read_text(encoding="utf-8")
    # Two identical lines: the nth occurrence tells them apart.
    write("app.py", app + '    await cache.set("patterns", "key", 1)\n')
    before = _fingerprints(_sarif(cachelint, project))
    assert len(before) == 2 and before[0][2] != before[1][2]
    # Lines added above and the findings re-indented: lines move, fingerprints stay.
    moved = (
        "import os\n\n\n"
        + app.replace("    await", "        await").replace("-> None:\n", "-> None:\n    if True:\n")
        + '        await cache.set("patterns", "key", 1)\n'
    )
    write("app.py", moved)
    after = _fingerprints(_sarif(cachelint, project))
    assert [line for _, line, _ in after] != [line for _, line, _ in before]
    assert [(code, fp) for code, _, fp in after] == [(code, fp) for code, _, fp in before]
    # Editing the finding's own line changes its fingerprint.
    write("app.py", app.replace('"key", 1)', '"other", 1)'))
    assert _fingerprints(_sarif(cachelint, project))[0][2] != before[0][2]


def test_one_column_convention_across_formats(
    project: Path, write: Callable[[str, str], Path], cachelint: Runner
) -> None:
    write("app.py", NON_ASCII)
    expected = 9  # 1-based code points: "    é = " is 8 characters
    text = cachelint("check", "--no-cache", "app.py", cwd=project).lines[0]
    assert text.startswith(f"app.py:5:{expected}: CLT101 ")
    data = json.loads(cachelint("check", "--no-cache", "--output-format", "json", "app.py", cwd=project).out)
    assert data[0]["column"] == expected
    github = cachelint("check", "--no-cache", "--output-format", "github", "app.py", cwd=project).lines[0]
    assert f"line=5,col={expected}," in github
    sarif = json.loads(cachelint("check", "--no-cache", "--output-format", "sarif", "app.py", cwd=project).out)
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == expected
    assert sarif["runs"][0]["columnKind"] == "unicodeCodePoints"


def test_flake8_uses_the_same_columns(project: Path, write: Callable[[str, str], Path]) -> None:
    write("app.py", NON_ASCII)
    result = flake8("--select", "CLT", "app.py", cwd=project)
    assert result.out.startswith("app.py:5:9: CLT101 "), result.out + result.err
