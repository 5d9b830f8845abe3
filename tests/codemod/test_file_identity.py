"""The codemod's writes keep the file what it was (issue 11).

Owner, group and mode; a symbolic link stays a link (its target is rewritten
once); hard links stay one file; comments inside a rewritten call stay on
their own lines, none lost or repeated; a CR-only file keeps its final line
break.  Each case runs the real codemod command on real files.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tokenize
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest

FIXABLE = """\
from typing import Any

from pydantic import BaseModel


class Pattern(BaseModel):
    name: str


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        pass


async def load(cache: CacheManager, key: str) -> list[Pattern] | None:
    return await cache.get("patterns", key)
"""
REWRITTEN = 'return await as_async(cache).get_list(CacheKey("patterns", key), Pattern)'


def _fix(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cachelint.codemod", "--no-progress", "-j", "1", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_owner_group_and_mode_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(FIXABLE, encoding="utf-8")
    os.chown(path, 12345, 23456)
    os.chmod(path, 0o640)
    done = _fix(".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    st = path.stat()
    assert REWRITTEN in path.read_text(encoding="utf-8")
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (12345, 23456, 0o640)


def test_a_symbolic_link_stays_a_link_and_its_target_is_written_once(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "target.py"
    target.write_text(FIXABLE, encoding="utf-8")
    link = tmp_path / "link.py"
    os.symlink("real/target.py", link)
    done = _fix(".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == "real/target.py"
    assert REWRITTEN in target.read_text(encoding="utf-8")
    assert "1 changed" in done.stdout, done.stdout


def test_a_link_to_a_file_outside_the_paths_given_is_left_alone(tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text(FIXABLE, encoding="utf-8")
    (tmp_path / "project").mkdir()
    os.symlink(outside, tmp_path / "project" / "link.py")
    done = _fix(".", cwd=tmp_path / "project")
    assert done.returncode == 0, done.stderr
    assert outside.read_text(encoding="utf-8") == FIXABLE
    assert "link.py: skipped: a symbolic link to" in done.stderr


def test_hard_links_stay_one_file(tmp_path: Path) -> None:
    first = tmp_path / "first.py"
    first.write_text(FIXABLE, encoding="utf-8")
    os.link(first, tmp_path / "second.py")
    done = _fix("first.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    second = tmp_path / "second.py"
    assert first.stat().st_ino == second.stat().st_ino and first.stat().st_nlink == 2
    assert REWRITTEN in second.read_text(encoding="utf-8")


COMMENTED = FIXABLE.replace(
    '    return await cache.get("patterns", key)\n',
    """\
    return await cache.get(  # opening
        # the type, on its own line
        "patterns",  # after the type
        # the key, on its own line
        key,  # after the key
    )  # closing


async def save(cache: CacheManager, key: str, value: list[Pattern]) -> None:
    await cache.set(
        "patterns",
        # the key, on its own line
        key,
        # the value, on its own line
        value,
    )
""",
)


def _comments(text: str) -> Counter[str]:
    tokens = tokenize.generate_tokens(StringIO(text).readline)
    return Counter(token.string for token in tokens if token.type == tokenize.COMMENT)


def test_comments_in_a_rewritten_call_stay_on_their_own_lines(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(COMMENTED, encoding="utf-8")
    done = _fix(".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = path.read_text(encoding="utf-8")
    assert "as_async(cache).get_list(" in text and "as_async(cache).set_list(" in text
    assert _comments(text) == _comments(COMMENTED)  # none lost, none repeated
    own_lines = [line.strip() for line in text.splitlines() if "on its own line" in line]
    assert len(own_lines) == 4 and all(line.startswith("#") for line in own_lines), own_lines


def test_a_cr_only_file_keeps_its_final_line_break(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_bytes(FIXABLE.replace("\n", "\r").encode("utf-8"))
    done = _fix(".", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = path.read_bytes()
    assert REWRITTEN.encode() in data
    assert data.endswith(b"\r") and b"\n" not in data
