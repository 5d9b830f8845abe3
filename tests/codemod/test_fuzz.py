"""Generated programs (hypothesmith): the codemod never raises, its output parses, a second run is a no-op."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import hypothesmith
import pytest
from codemod_snippets import FIXABLE
from hypothesis import HealthCheck, given, settings

from cachelint.codemod.process import Options, process


def _run(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    raw = path.read_bytes()
    result = process(path, raw, os.stat(path), Options())
    assert not any("internal error" in line for line in result.errors), result.errors
    return result.new.decode("utf-8") if result.new is not None else text


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_codemod_on_generated_programs(tmp_path_factory: object, program: str) -> None:
    # The generated module is followed by a fixable one, so LibCST runs on every example.
    source = program + "\n" + FIXABLE if program.endswith("\n") else program + "\n\n" + FIXABLE
    try:
        compile(source, "<fuzz>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return  # the suffix can be invalid after some generated endings (e.g. a trailing backslash)
    folder = Path(tmp_path_factory.mktemp("fuzz"))
    path = folder / "generated.py"
    once = _run(path, source)
    ast.parse(once)
    assert _run(path, once) == once
