"""The plugin's error codes and docs follow the catalog (no mypy run)."""

from __future__ import annotations

from pathlib import Path

from mypy.errorcodes import error_codes

from cachelint import rules
from cachelint.mypy_plugin import codes

DOCS = Path(__file__).resolve().parents[2] / "docs" / "mypy.md"


def test_one_registered_code_per_active_rule() -> None:
    assert set(codes.BY_RULE) == {rule.code for rule in rules.ACTIVE}
    for rule in rules.ACTIVE:
        code = codes.BY_RULE[rule.code]
        assert code.code == rule.mypy_code
        assert code.default_enabled is rule.default_enabled
        assert error_codes[rule.mypy_code] is code  # registered: `disable_error_code` accepts it


def test_docs_name_every_code() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for rule in rules.ACTIVE:
        assert f"| {rule.code} | `{rule.mypy_code}` |" in text, rule.code
