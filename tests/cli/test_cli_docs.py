"""Generated rule docs are generated: regenerating them must change nothing."""

from __future__ import annotations

from pathlib import Path

from processes import REPO, python

from cachelint import docs, rules


def test_generated_docs_are_up_to_date() -> None:
    result = python("-m", "cachelint.docs", "--check", "--root", str(REPO), cwd=REPO)
    assert result.code == 0, result.err + "\nrun: python -m cachelint.docs"


def test_check_notices_a_stale_file(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "rules.md").write_text(docs.render_rules_page(), encoding="utf-8")
    (tmp_path / "README.md").write_text(
        f"# x\n\n{docs.TABLE_START}\n| old |\n{docs.TABLE_END}\n\nrest\n", encoding="utf-8"
    )
    args = ("-m", "cachelint.docs", "--root", str(tmp_path))
    stale = python(*args, "--check", cwd=tmp_path)
    assert stale.code == 1
    assert "README.md: is stale" in stale.err
    assert python(*args, cwd=tmp_path).code == 0
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert readme == f"# x\n\n{docs.TABLE_START}\n{docs.render_rules_table()}{docs.TABLE_END}\n\nrest\n"
    assert python(*args, "--check", cwd=tmp_path).code == 0


def test_readme_without_markers_is_left_alone() -> None:
    assert docs.splice_readme("# title\n\nno table here\n", docs.render_rules_table()) is None


def test_table_and_page_cover_the_catalog() -> None:
    table = docs.render_rules_table().splitlines()
    page = docs.render_rules_page()
    assert len(table) == 2 + len(rules.CATALOG)
    for rule, row in zip(rules.CATALOG, table[2:], strict=True):
        assert row.startswith(f"| {rule.code} | {rule.name} | {'on' if rule.default_enabled else 'off'} |")
        assert f"## {rule.code} `{rule.name}`" in page
        assert rule.example in page and rule.use_instead in page and rule.fix_safety in page
