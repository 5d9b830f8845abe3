"""Fix safety is defined once, in the catalog: the codemod's code sets, the rule pages and the goldens follow it."""

from __future__ import annotations

import re
from pathlib import Path

from cachelint import docs, rules
from cachelint.codemod import codes

GOLDENS = Path(__file__).parent / "goldens"


def test_codemod_code_sets_derive_from_the_catalog() -> None:
    fixable = {rule.code for rule in rules.ACTIVE if rule.fixable}
    acted_on = codes.SITE_CODES | {codes.BLOCKING_CODE} | codes.MANUAL_CODES
    # A rule with no fix (CLT107) is listed by the codemod as left for a manual fix, never dropped.
    assert acted_on == fixable | {rule.code for rule in rules.ACTIVE if not rule.fixable}
    assert codes.SITE_CODES == {"CLT101", "CLT102"} and codes.BLOCKING_CODE == "CLT104"
    unsafe = {fix.kind for rule in rules.ACTIVE for fix in rule.fixes if fix.safety is rules.Safety.UNSAFE}
    assert codes.UNSAFE_KINDS == unsafe == {"alias-attribute", "autospec", "rewrap", "validate"}
    for rule in rules.ACTIVE:
        kinds = [fix.kind for fix in rule.fixes]
        assert len(kinds) == len(set(kinds)), rule.code
        for fix in rule.fixes:
            assert rule.fix(fix.kind) is fix and fix.title and fix.why


def test_every_rule_page_states_each_fix_and_its_safety() -> None:
    for rule in rules.ACTIVE:
        page = docs.render_rule(rule)
        assert "### Fix safety" in page
        for fix in rule.fixes:
            assert f"**{fix.safety.value}**: {fix.title}" in page and fix.why in page
            if fix.safety is rules.Safety.UNSAFE:
                assert "--unsafe-fixes" in page


def test_every_unsafe_fix_has_an_applied_and_a_listed_golden() -> None:
    """Each unsafe kind is applied by a golden run with --unsafe-fixes and listed by one run without."""
    listed: set[str] = set()
    applied: set[str] = set()
    for golden in GOLDENS.glob("*.in.py"):
        text = golden.read_text(encoding="utf-8")
        out = (GOLDENS / golden.name.replace(".in.py", ".out.py")).read_text(encoding="utf-8")
        if "# args: --unsafe-fixes" in text and out != text:
            applied.update(kind for kind, needle in _NEEDLES.items() if needle.search(out))
        for line in re.findall(r"^# expect-report: .* unsafe fix available: (.*)$", text, re.M):
            listed.update(kind for kind, prefix in _LISTINGS.items() if line.startswith(prefix))
    assert applied >= codes.UNSAFE_KINDS, codes.UNSAFE_KINDS - applied
    assert listed >= codes.UNSAFE_KINDS, codes.UNSAFE_KINDS - listed


_NEEDLES = {
    "alias-attribute": re.compile(r"pattern\.pattern_type"),
    "autospec": re.compile(r"create_autospec\(\w+, instance=True\)"),
    "rewrap": re.compile(r"\.extend\(|= list\(|return list\("),
    "validate": re.compile(r"model_validate\(|validate_python\("),
}
_LISTINGS = {
    "alias-attribute": "use pattern.pattern_type ('type' is the alias",
    "autospec": "use create_autospec(",
    "rewrap": "use the elements themselves",
    "validate": "validate it:",
}
