"""``# noqa`` sits on the physical line flake8 and ``tokenize`` count (issue 11).

A form feed and U+2028 are not line breaks for ``tokenize`` (``str.splitlines``
says they are); a lone ``\\r`` is one.  In each file below the silenced call
comes first and a twin without ``noqa`` follows, so a miscounted line either
silences the wrong call or none.  The real flake8 is the reference.  The
codemod leaves the silenced site alone and still rewrites the rest.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from processes import Runner, flake8

HEAD = """\
from typing import Any

from pydantic import BaseModel


class Pattern(BaseModel):
    name: str


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        pass

"""
SILENCED = """
async def load(cache: CacheManager, key: str) -> Pattern | None:
    return await cache.get("patterns", key)  # noqa: CLT101
"""
REPORTED = """
async def load_all(cache: CacheManager, key: str) -> list[Pattern] | None:
    return await cache.get("patterns", key)
"""

CASES: dict[str, str] = {
    # A form feed inside a comment and one alone on a line, before the silenced site.
    "form-feed": HEAD + "# section \x0c break\n\x0c\n" + SILENCED + REPORTED,
    # U+2028 inside a string: one line for tokenize, two for str.splitlines.
    "line-separator": HEAD + "LABEL = 'a\u2028b'\n" + SILENCED + REPORTED,
    "cr-only": (HEAD + SILENCED + REPORTED).replace("\n", "\r"),
}


def _write(tmp_path: Path, case: str) -> Path:
    path = tmp_path / "app.py"
    path.write_bytes(CASES[case].encode("utf-8"))
    return path


def _lines_of(text: str, code: str) -> list[str]:
    """``line:col`` of each ``code`` finding in ``path:line:col: CODE ...`` output."""
    out = []
    for line in text.splitlines():
        head, _, rest = line.partition(f": {code} ")
        if rest:
            out.append(":".join(head.split(":")[-2:]))
    return sorted(out)


@pytest.mark.parametrize("case", sorted(CASES))
def test_check_silences_the_line_flake8_silences(case: str, tmp_path: Path, cachelint: Runner) -> None:
    path = _write(tmp_path, case)
    theirs = flake8("--jobs", "1", "--select", "CLT101", path.name, cwd=tmp_path, env={"CACHELINT_DEBUG": ""})
    expected = _lines_of(theirs.out, "CLT101")
    assert len(expected) == 1, theirs.out + theirs.err  # the twin, not the silenced call
    ours = cachelint("check", "--no-cache", "--select", "CLT101", path.name)
    assert _lines_of(ours.out, "CLT101") == expected, ours.out


@pytest.mark.parametrize("case", sorted(CASES))
def test_codemod_leaves_the_silenced_site_and_fixes_the_rest(case: str, tmp_path: Path) -> None:
    from cachelint.codemod.fix_cache_calls import main

    path = _write(tmp_path, case)
    assert main(["--no-progress", "-j", "1", str(path)]) == 0
    text = path.read_bytes().decode("utf-8")
    assert 'return await cache.get("patterns", key)  # noqa: CLT101' in text
    assert 'return await as_async(cache).get_list(CacheKey("patterns", key), Pattern)' in text
