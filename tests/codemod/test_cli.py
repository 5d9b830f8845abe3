"""The command line: modes, exit codes, bad input, and files that must keep their bytes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from codemod_snippets import FIXABLE, FIXED
from processes import cachelint, codemod

from cachelint.codemod.fix_cache_calls import main
from cachelint.codemod.io import FileChanged, Snapshot, read_bytes, write_atomic

REPO = Path(__file__).resolve().parents[2]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_fixes_and_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _write(tmp_path / "mod.py", FIXABLE)
    assert main([str(tmp_path), "--no-progress"]) == 0
    assert target.read_text(encoding="utf-8") == FIXED
    assert "1 changed" in capsys.readouterr().out
    assert main([str(tmp_path), "--no-progress"]) == 0
    assert target.read_text(encoding="utf-8") == FIXED
    assert "0 changed" in capsys.readouterr().out


def test_check_and_diff_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _write(tmp_path / "mod.py", FIXABLE)
    assert main([str(target), "--check", "--no-progress"]) == 1
    assert main([str(target), "--diff", "--no-progress"]) == 1  # like ruff: a diff to show is exit 1
    out = capsys.readouterr().out
    assert "--- a/" in out and '+    return await as_async(cache).get_list(CacheKey("rows", key), Row)' in out
    assert target.read_text(encoding="utf-8") == FIXABLE


def test_nothing_to_do(tmp_path: Path) -> None:
    _write(tmp_path / "plain.py", "def f() -> int:\n    return 1\n")
    assert main([str(tmp_path), "--check", "--no-progress"]) == 0


def test_bad_input_is_reported_and_the_rest_still_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path / "good.py", FIXABLE)
    broken = _write(tmp_path / "broken.py", "async def f(:\n    await x\n")
    readonly = _write(tmp_path / "readonly.py", FIXABLE)
    readonly.chmod(0o444)
    missing = tmp_path / "missing"
    code = main([str(tmp_path), str(missing), "--no-progress", "-j", "1"])
    err = capsys.readouterr().err.splitlines()
    assert code == 2
    assert good.read_text(encoding="utf-8") == FIXED
    assert readonly.read_text(encoding="utf-8") == FIXABLE
    assert stat.S_IMODE(readonly.stat().st_mode) == 0o444
    for name in (str(broken), str(readonly), str(missing)):
        assert len([line for line in err if line.startswith(f"error: {name}")]) == 1, err
    assert len(err) == 3, err


def test_bad_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--no-such-flag", "x"]) == 2
    assert main(["-j", "0", "x"]) == 2


def test_keeps_encoding_bom_newlines_and_mode(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.py"
    crlf.write_bytes(FIXABLE.replace("\n", "\r\n").encode("utf-8"))
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbf" + FIXABLE.encode("utf-8"))
    latin = tmp_path / "latin.py"
    latin_text = "# -*- coding: latin-1 -*-\n" + FIXABLE.replace("return await", "s = 'caf\xe9'; return await")
    latin.write_bytes(latin_text.encode("latin-1"))
    os.chmod(latin, 0o640)
    assert main([str(tmp_path), "--no-progress", "-j", "1"]) == 0
    assert crlf.read_bytes() == FIXED.replace("\n", "\r\n").encode("utf-8")
    assert bom.read_bytes() == b"\xef\xbb\xbf" + FIXED.encode("utf-8")
    expected = "# -*- coding: latin-1 -*-\n" + FIXED.replace("return await", "s = 'caf\xe9'; return await")
    assert latin.read_bytes() == expected.encode("latin-1")
    assert stat.S_IMODE(latin.stat().st_mode) == 0o640


def test_non_ascii_columns(tmp_path: Path) -> None:
    """ast columns are UTF-8 bytes, LibCST's are characters: the site after 'é' must still be found."""
    source = FIXABLE.replace("    return await cache.get(key)", "    s = 'ééé'; return await cache.get(key)")
    target = _write(tmp_path / "wide.py", source)
    assert main([str(target), "--no-progress"]) == 0
    assert "s = 'ééé'; return await as_async(cache).get_list(" in target.read_text(encoding="utf-8")


def test_file_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    target = _write(tmp_path / "mod.py", FIXABLE)
    raw, st = read_bytes(target)
    snapshot = Snapshot.of(raw, st)
    _write(target, FIXABLE + "# edited meanwhile\n")
    with pytest.raises(FileChanged):
        write_atomic(target, FIXED.encode(), snapshot)
    assert target.read_text(encoding="utf-8").endswith("# edited meanwhile\n")
    assert [p.name for p in tmp_path.iterdir()] == ["mod.py"]


def test_many_files_in_parallel_from_the_command_line(tmp_path: Path) -> None:
    for i in range(12):
        _write(tmp_path / f"m{i}.py", FIXABLE)
    done = codemod(str(tmp_path), "-j", "2", cwd=tmp_path, env={"PYTHONPATH": str(REPO)})
    assert done.code == 0, done.err
    assert "12 file(s) scanned, 12 changed" in done.out
    assert all(p.read_text(encoding="utf-8") == FIXED for p in tmp_path.glob("*.py"))


UNSAFE_ONLY = """\
from pydantic import BaseModel


class Pattern(BaseModel):
    pattern_type: str


def kinds(patterns: list[Pattern]) -> list[Pattern]:
    return [Pattern(pattern_type=p.get("type")) for p in patterns]
"""


def test_reports_name_each_file_and_dry_runs_say_would(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _write(tmp_path / "mod.py", FIXABLE)
    _write(tmp_path / "clean.py", "def f() -> int:\n    return 1\n")
    assert main([str(tmp_path), "--check", "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert f"would rewrite {target} (CLT101 1, CLT102 1)" in out.splitlines()
    assert "clean.py" not in out and "sites rewritten" not in out
    assert "1 would change; would fix: CLT101 1, CLT102 1" in out
    assert main([str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert f"rewrote {target} (CLT101 1, CLT102 1)" in out.splitlines()
    assert "1 changed; fixed: CLT101 1, CLT102 1" in out


def test_unsafe_fixes_are_listed_unless_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _write(tmp_path / "mod.py", UNSAFE_ONLY)
    assert main([str(target), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == UNSAFE_ONLY
    assert f"{target}:9:34: CLT106 unsafe fix available: use the elements themselves: list(patterns)" in out
    assert "the field mapping pattern_type<-'type' is dropped" in out
    assert "unsafe fixes available: 1 (apply with --unsafe-fixes); left for a manual fix: 0" in out
    assert main([str(target), "--check", "--no-progress"]) == 0  # nothing safe to do
    capsys.readouterr()
    assert main([str(target), "--unsafe-fixes", "--no-progress"]) == 0
    assert target.read_text(encoding="utf-8") == UNSAFE_ONLY.replace(
        '[Pattern(pattern_type=p.get("type")) for p in patterns]', "list(patterns)"
    )
    assert f"rewrote {target} (CLT106 1)" in capsys.readouterr().out


def test_cachelint_fix_passes_unsafe_fixes_through(tmp_path: Path) -> None:
    target = _write(tmp_path / "mod.py", UNSAFE_ONLY)
    done = cachelint("fix", "--unsafe-fixes", "--no-progress", str(target), cwd=REPO)
    assert done.code == 0, done.err
    assert "list(patterns)" in target.read_text(encoding="utf-8")
