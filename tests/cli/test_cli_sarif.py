"""SARIF output: valid against the SARIF 2.1.0 JSON schema, with rule metadata from the catalog.

``sarif-2.1.0.json`` beside this file is the schema OASIS published with
SARIF 2.1.0 (``sarif-2.1.0-rtm.4.json`` as shipped in the source distribution
of the ``sarif-om`` package on PyPI, MIT licensed); ``jsonschema`` does not
ship it and the tests never download anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from processes import Runner

from cachelint import rules

SCHEMA = json.loads((Path(__file__).parent / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def _validate(log: dict[str, Any]) -> None:
    validator_class = jsonschema.validators.validator_for(SCHEMA)
    validator_class.check_schema(SCHEMA)
    validator_class(SCHEMA, format_checker=validator_class.FORMAT_CHECKER).validate(log)


def test_schema_rejects_a_broken_log() -> None:
    # The validation below means something only if the schema can say no.
    with pytest.raises(jsonschema.ValidationError):
        _validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})


def test_sarif_is_valid_and_complete(project: Path, write: Callable[[str, str], Path], cachelint: Runner) -> None:
    write("naïve.py", "# ünïcode before the finding\n" + (project / "app.py").read_text(encoding="utf-8").replace(
        "    await cache.set", "    é = await cache.set"
    ))
    write("broken.py", "def f(:\n")
    result = cachelint("check", "--output-format", "sarif", ".", cwd=project)
    assert result.code == 2
    log = json.loads(result.out)
    _validate(log)

    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cachelint"
    assert [d["id"] for d in driver["rules"]] == [rule.code for rule in rules.ACTIVE]
    for descriptor in driver["rules"]:
        rule = rules.BY_CODE[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.what
        assert descriptor["defaultConfiguration"]["enabled"] is rule.default_enabled
        assert rule.why in descriptor["help"]["text"]
        for heading in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety"):
            assert f"### {heading}" in descriptor["help"]["markdown"]

    results = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in run["results"]}
    app = results["app.py"]
    assert app["ruleId"] == "CLT101"
    assert driver["rules"][app["ruleIndex"]]["id"] == "CLT101"
    assert app["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert app["locations"][0]["physicalLocation"]["region"]["startColumn"] == 5
    assert app["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    # Columns count code points in SARIF ("é = " is 4 of them, 5 UTF-8 bytes).
    naive = results["na%C3%AFve.py"]
    assert naive["locations"][0]["physicalLocation"]["region"]["startColumn"] == 9
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.resolve().as_uri() + "/"

    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["message"]["text"] == "cannot parse: invalid syntax"


def test_clean_sarif_is_valid(project: Path, cachelint: Runner) -> None:
    (project / "app.py").write_text("x = 1\n", encoding="utf-8")
    result = cachelint("check", "--output-format", "sarif", ".", cwd=project)
    assert result.code == 0
    log = json.loads(result.out)
    _validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_files_outside_the_working_folder_get_absolute_uris(
    project: Path, cachelint: Runner, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("cwd")
    result = cachelint("check", "--output-format", "sarif", str(project / "app.py"), cwd=elsewhere)
    log = json.loads(result.out)
    _validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": (project / "app.py").as_uri()}


BROKEN_AWAIT = """\
from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any: ...


async def load(cache: CacheManager) -> Any:
    return await cache.get("key")
"""


def test_a_file_name_that_is_not_utf8_keeps_its_findings(tmp_path: Path, cachelint: Runner) -> None:
    """A non-UTF-8 file name (surrogate-escaped by Python) is percent-encoded from its bytes."""
    (tmp_path / "pyproject.toml").write_text("[tool.cachelint]\n", encoding="utf-8")
    name = b"caf\xe9.py"  # Latin-1, not UTF-8
    with open(bytes(tmp_path) + b"/" + name, "w", encoding="utf-8") as handle:
        handle.write(BROKEN_AWAIT)
    run = cachelint("check", "--no-cache", "--output-format", "sarif", ".", cwd=tmp_path)
    assert run.code == 1, run.err
    log = json.loads(run.out)
    _validate(log)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"CLT101", "CLT102"}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"caf%E9.py"}
