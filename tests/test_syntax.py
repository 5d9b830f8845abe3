"""A file that needs a newer Python than the running one says which version, in one line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from processes import cachelint

from cachelint.syntax import newer_syntax, parse_error_message


@pytest.mark.parametrize(
    ("line", "version"),
    [
        ("type Pair = tuple[int, int]", (3, 12)),
        ("type Pair[T] = tuple[T, T]", (3, 12)),
        ("class Box[T]:", (3, 12)),
        ("async def first[T](items: list[T]) -> T:", (3, 12)),
        ("def first[T: (int, str)](items: list[T]) -> T:", (3, 12)),
        ("class Box[T = int]:", (3, 13)),
        ("except* ValueError:", (3, 11)),
        ("except ValueError, TypeError:", (3, 14)),
    ],
)
def test_newer_constructs(line: str, version: tuple[int, int]) -> None:
    found = newer_syntax(line)
    assert found is not None and found.version == version


@pytest.mark.parametrize(
    "line",
    [
        "type = 3",  # a variable called type
        "type(x)",
        "items[0] = 1",
        "except (ValueError, TypeError):",
        "except ValueError as error:",
        "def f(:",
        "class C(Base):",
        "print(type[int])",
    ],
)
def test_older_or_broken_code_is_not_blamed_on_the_version(line: str) -> None:
    assert newer_syntax(line) is None


def test_message_names_the_version_only_when_newer() -> None:
    error = SyntaxError("invalid syntax")
    error.lineno = 2
    source = "x = 1\ntype Pair = tuple[int, int]\n"
    assert parse_error_message(error, source, running=(3, 11)) == (
        "cannot parse: invalid syntax: requires Python 3.12+ (PEP 695 `type` statement), running 3.11"
    )
    assert parse_error_message(error, source, running=(3, 12)) == "cannot parse: invalid syntax"


#: A construct the running interpreter cannot parse, with the version it needs.
NEWER = {
    (3, 10): ("try:\n    pass\nexcept* ValueError:\n    pass\n", "3.11"),
    (3, 11): ("type Pair = tuple[int, int]\n", "3.12"),
    (3, 12): ("class Box[T = int]:\n    pass\n", "3.13"),
    (3, 13): ("try:\n    pass\nexcept ValueError, TypeError:\n    pass\n", "3.14"),
}


@pytest.mark.skipif(sys.version_info[:2] not in NEWER, reason="no newer syntax known for this Python")
def test_cli_and_codemod_say_which_python(tmp_path: Path) -> None:
    source, needed = NEWER[sys.version_info[:2]]
    (tmp_path / "new.py").write_text(source, encoding="utf-8")
    env = {"CACHELINT_CACHE_DIR": str(tmp_path / ".cache")}
    check = cachelint("check", "new.py", cwd=tmp_path, env=env)
    assert check.code == 2
    [line] = check.err.splitlines()
    assert f"requires Python {needed}+" in line and line.startswith("new.py:")
    (tmp_path / "new.py").write_text("async def f(cache):\n    await cache.get(1)\n" + source, encoding="utf-8")
    fix = cachelint("fix", "--check", "--no-progress", "new.py", cwd=tmp_path, env=env)
    assert fix.code == 2
    assert f"requires Python {needed}+" in fix.err
