"""Every rule page has an Options section, and every option it names is a real ``[tool.cachelint]`` key."""

from __future__ import annotations

import pytest

from cachelint import rules
from cachelint.config import KNOWN_KEYS
from cachelint.docs import render_rule


@pytest.mark.parametrize("rule", rules.ACTIVE, ids=lambda rule: rule.code)
def test_rule_page_has_options(rule: rules.Rule) -> None:
    page = render_rule(rule)
    assert "### Options" in page
    assert page.index("### Use instead") < page.index("### Options") < page.index("### Fix safety")
    for key in rule.options:
        assert key in KNOWN_KEYS, key
        assert f"- `{key}`: {rules.OPTIONS[key]}" in page


def test_option_descriptions_are_for_real_keys() -> None:
    assert set(rules.OPTIONS) <= KNOWN_KEYS
    used = {key for rule in rules.ACTIVE for key in rule.options}
    assert used == set(rules.OPTIONS)  # no description without a rule that uses it


def test_clt103_documents_validators() -> None:
    assert "validators" in rules.BY_CODE["CLT103"].options


def test_rules_whose_every_fix_is_unsafe() -> None:
    for rule in rules.ACTIVE:
        assert not rule.unsafe_fix or rule.fixable
    # CLT103 (validation can now raise on bad cached data) and CLT105 (the tests asserted against an async mock).
    assert [rule.code for rule in rules.ACTIVE if rule.unsafe_fix] == ["CLT103", "CLT105"]
