"""The catalog is the one source of truth: README, fixtures and engine must agree with it."""

from __future__ import annotations

import ast
import re
import string
from collections import Counter
from pathlib import Path

import pytest
from expectations import expectations

from cachelint import docs, rules
from cachelint.analysis import check_source
from cachelint.analysis.checks import registered
from cachelint.analysis.context import Context
from cachelint.config import load_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
ROW = re.compile(r"^\|\s*(CLT\d{3})\s*\|\s*([a-z0-9-]+)\s*\|\s*(on|off)\s*\|")


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [rule.code for rule in rules.CATALOG]
    names = [rule.name for rule in rules.CATALOG]
    mypy_codes = [rule.mypy_code for rule in rules.CATALOG]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert len(set(mypy_codes)) == len(mypy_codes)
    for rule in rules.CATALOG:
        assert re.fullmatch(r"CLT\d{3}", rule.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert rule.mypy_code.startswith("cachelint-")
        for section in (rule.what, rule.why, rule.example, rule.use_instead, rule.fix_safety):
            assert section.strip()


def test_messages_name_receiver_class_and_fix() -> None:
    for rule in rules.ACTIVE:
        fields = {name for _, name, _, _ in string.Formatter().parse(rule.message) if name}
        assert fields & {"receiver", "target", "name"}, rule.code
        assert "cls" in fields, rule.code


def test_selectors() -> None:
    assert rules.expand_selector("CLT") == {rule.code for rule in rules.ACTIVE}
    assert rules.expand_selector("CLT10") == {rule.code for rule in rules.ACTIVE}
    assert rules.expand_selector("clt103") == {"CLT103"}
    assert rules.expand_selector("dict-access-on-model") == {"CLT106"}
    assert rules.expand_selector("C") == {rule.code for rule in rules.ACTIVE}  # flake8 prefix semantics
    for bad in ("CLT9", "E501", "nope", ""):
        with pytest.raises(KeyError):
            rules.expand_selector(bad)
    assert rules.DEFAULT_OFF == ("CLT104",)


def test_readme_table_matches_catalog() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- rules-table:start -->")[1].split("<!-- rules-table:end -->")[0]
    rows = [ROW.match(line) for line in table.splitlines()]
    found = [(m[1], m[2], m[3] == "on") for m in rows if m]
    assert found == [(r.code, r.name, r.default_enabled) for r in rules.ACTIVE]


def _functions(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) for node in ast.walk(tree))


def test_fixtures_cover_every_rule_with_at_least_as_many_negatives() -> None:
    positives: Counter[str] = Counter()
    for path in FIXTURES.rglob("*.py"):
        positives.update(e.code for e in expectations(path))
    for rule in rules.ACTIVE:
        assert positives[rule.code] > 0, f"{rule.code} has no positive fixture"
        files = sorted((FIXTURES / "rules").glob(f"clt{rule.code[3:]}_*.py"))
        ok_files = [path for path in files if path.name.endswith("_ok.py")]
        assert ok_files, f"{rule.code} has no *_ok.py fixture"
        rule_positives = sum(1 for path in files for e in expectations(path) if e.code == rule.code)
        negatives = sum(_functions(path) for path in ok_files)
        assert negatives >= rule_positives, f"{rule.code}: {negatives} negative cases < {rule_positives} positives"


def _codes_of(source: str, path: Path) -> set[str]:
    path.write_text(source, encoding="utf-8")
    return {d.code for d in check_source(source, path, load_settings(path))}


@pytest.mark.parametrize("rule", rules.ACTIVE, ids=[rule.code for rule in rules.ACTIVE])
def test_example_reports_the_rule_and_use_instead_does_not(rule: rules.Rule, tmp_path: Path) -> None:
    """Fixit's VALID/INVALID: the page's example is a true positive, its fix a true negative."""
    example = _codes_of(f"{rules.EXAMPLE_SETUP}\n{rule.example}\n", tmp_path / "example.py")
    assert rule.code in example, f"{rule.code}'s example reports {sorted(example)}"
    fixed = _codes_of(f"{rules.EXAMPLE_SETUP}\n{rule.use_instead}\n", tmp_path / "use_instead.py")
    assert rule.code not in fixed, f"{rule.code}'s use_instead still reports it"


def test_every_rule_has_a_registered_check_and_every_check_a_rule() -> None:
    checks = registered()
    reported = {rule.code for item in checks for rule in item.rules}
    assert reported == {rule.code for rule in rules.ACTIVE}
    for item in checks:
        assert item.check.__module__.startswith("cachelint.analysis.checks."), item


def test_every_rule_defined_in_the_catalog_module_is_in_the_catalog() -> None:
    defined = [value for name, value in vars(rules).items() if isinstance(value, rules.Rule)]
    assert sorted(rule.code for rule in defined) == sorted(rule.code for rule in rules.CATALOG)
    assert [rule.code for rule in rules.CATALOG] == sorted(rule.code for rule in rules.CATALOG)


def test_mypy_table_is_generated_in_place() -> None:
    page = (ROOT / docs.MYPY_DOC).read_text(encoding="utf-8")
    assert docs.splice(page, docs.render_mypy_table(), docs.MYPY_TABLE_START, docs.MYPY_TABLE_END) == page


def test_report_builds_the_diagnostic_and_names_missing_arguments() -> None:
    node = ast.parse("cache.get(key)").body[0]
    assert isinstance(node, ast.Expr)
    found = Context.report(node.value, rules.CLT101, None, receiver="cache", cls="Cache", method="get")
    assert (found.line, found.col, found.end_line, found.end_col, found.code) == (1, 0, 1, 14, "CLT101")
    assert found.message.startswith("`await` on synchronous Cache.get() called on 'cache'")
    with pytest.raises(TypeError, match=r"CLT101 needs message arguments \['method'\]"):
        Context.report(node.value, rules.CLT101, receiver="cache", cls="Cache")
