"""``# noqa`` in ``cachelint check`` behaves as in flake8: compared against the real flake8."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from processes import Runner, flake8

SILENCING = '''\
from services.cache import CacheManager


async def bare(cache: CacheManager) -> None:
    await cache.set("a", "k", 1)  # noqa


async def upper(cache: CacheManager) -> None:
    await cache.set("a", "k", 1)  # NOQA


async def exact(cache: CacheManager) -> None:
    await cache.set("a", "k", 1)  # noqa: CLT101


async def no_space(cache: CacheManager) -> None:
    await cache.set("a", "k", 1)  # noqa:CLT101,E501


async def prefix(cache: CacheManager) -> None:
    await cache.set("a", "k", 1)  # noqa: CLT1


async def multi_line(cache: CacheManager) -> None:
    await cache.set(
        "a",
        "k",
        1,
    )  # noqa: CLT101


async def other_code(cache: CacheManager) -> None:
    await cache.set("a", "k", 1)  # noqa: CLT103


async def other_tool(cache: CacheManager) -> None:
    await cache.set("a", "k", 1)  # noqa: E501


async def not_a_comment(cache: CacheManager) -> None:
    await cache.set("# noqa", "k", 1)
'''

#: Lines of SILENCING whose CLT101 survives.  flake8 joins only the lines of
#: one token (a multi-line string) when looking for ``noqa``, so the comment
#: after a closing parenthesis does not reach the call's first line; and it
#: searches the raw line, so the comment's text inside a string literal silences it.
KEPT = {25, 33, 37}


def _positions(output: str) -> set[tuple[int, str]]:
    out = set()
    for line in output.splitlines():
        parts = line.split(":")
        if len(parts) >= 4 and parts[3].strip().startswith("CLT"):
            out.add((int(parts[1]), parts[3].split()[0]))
    return out


def test_noqa_matches_flake8(project: Path, write: Callable[[str, str], Path], cachelint: Runner) -> None:
    target = write("noqa_cases.py", SILENCING)
    ours = cachelint("check", "--select", "CLT", str(target), cwd=project)
    theirs = flake8("--select", "CLT", str(target), cwd=project)
    assert ours.code == 1, ours.err
    assert _positions(ours.out) == _positions(theirs.out)
    assert {line for line, _ in _positions(ours.out)} == KEPT


def test_file_level_flake8_noqa_skips_the_file(project: Path, cachelint: Runner) -> None:
    app = project / "app.py"
    app.write_text("# flake8: noqa\n" + app.read_text(encoding="utf-8"), encoding="utf-8")
    assert cachelint("check", ".", cwd=project).code == 0
    assert cachelint("check", ".", cwd=project, env={"CACHELINT_CACHE_DIR": str(project / "c2")}).code == 0


def test_finding_without_noqa_is_reported(project: Path, cachelint: Runner) -> None:
    # The control for the tests above: the same project does report its bug.
    result = cachelint("check", ".", cwd=project)
    assert result.code == 1
    assert result.lines[0].startswith("app.py:5:5: CLT101 ")
