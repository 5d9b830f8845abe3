"""Deeply nested and very large inputs: no crash beyond flake8's own, in bounded time.

CPython's parser refuses a 10,000-term expression (``RecursionError`` during
AST construction) and more than 200 nested parentheses; flake8 then reports
the file itself (E999 or its own traceback), so the engine never sees it.  The
engine is checked at the deepest input the running parser accepts (found by
bisection), in process with ``CACHELINT_DEBUG=1``, and through real flake8
against ``--select E9`` on the same file.  A 50,000-line module of
cache-shaped code must get exactly its planted findings within a generous
time bound.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from processes import Run, flake8

from cachelint.analysis import analyse, check_tree
from cachelint.config import load_settings

#: A hang guard, not a speed goal: speed is measured side by side in ``benchmarks/``
#: (a timed unit test fails on a loaded machine and proves nothing on a quiet one).
TIME_BOUND = 300.0


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return False
    return True


def _deepest(make: Callable[[int], str], high: int = 10_000) -> int:
    """The largest ``n <= high`` whose ``make(n)`` this interpreter parses."""
    if _parses(make(high)):
        return high
    low = 1
    while low < high:
        middle = (low + high + 1) // 2
        if _parses(make(middle)):
            low = middle
        else:
            high = middle - 1
    return low


SHAPES: dict[str, Callable[[int], str]] = {
    "sum": lambda n: "x = " + " + ".join(["1"] * n) + "\n",
    "attribute-chain": lambda n: "x = a" + ".b" * n + "\n",
    "method-chain": lambda n: "x = cache" + ".get(1)" * n + "\n",
    "parentheses": lambda n: "x = " + "(" * n + "1" + ")" * n + "\n",
    "calls": lambda n: "x = " + "f(" * n + "1" + ")" * n + "\n",
    "lists": lambda n: "x = " + "[" * n + "]" * n + "\n",
    "awaited-chain": lambda n: (
        "from typing import Any\n\n\nclass CacheManager:\n    def get(self, a: str, b: str) -> Any: ...\n\n\n"
        "async def f(cache: CacheManager) -> None:\n    await cache" + ".get('a', 'b')" * n + "\n"
    ),
    "nested-blocks": lambda n: "".join("    " * i + f"if x{i}:\n" for i in range(n)) + "    " * n + "pass\n",
    "nested-async-defs": lambda n: (
        "".join("    " * i + f"async def f{i}():\n" for i in range(n)) + "    " * n + "await g()\n"
    ),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_engine_survives_the_deepest_input_the_parser_accepts(
    shape: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Too deep to analyse is said (an EngineError), not raised and not silent.
    monkeypatch.delenv("CACHELINT_DEBUG", raising=False)
    depth = _deepest(SHAPES[shape])
    source = SHAPES[shape](depth)
    path = tmp_path / "deep.py"
    path.write_text(source, encoding="utf-8")
    tree = ast.parse(source)
    start = time.perf_counter()
    result = analyse(tree, path, load_settings(tmp_path))
    assert time.perf_counter() - start < TIME_BOUND
    assert all("RecursionError: too deeply nested" in error.error for error in result.errors), result.errors


def _flake8(select: str, path: Path) -> Run:
    return flake8("--jobs", "1", "--select", select, path.name, cwd=path.parent)


def _crashed(done: Run) -> bool:
    return "Traceback" in done.err or done.code not in (0, 1)


# Nested blocks grow quadratically (indentation): 10,000 levels is a 200 MB file.
LINEAR = sorted(name for name in SHAPES if not name.startswith("nested-"))
CASES = [(shape, "deepest") for shape in sorted(SHAPES)] + [(shape, "10000") for shape in LINEAR]


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "size"), CASES)
def test_flake8_with_cachelint_fails_no_worse_than_flake8(shape: str, size: str, tmp_path: Path) -> None:
    """At 10,000 (beyond the parser) and at the deepest accepted input: CLT crashes only where E9 does."""
    depth = _deepest(SHAPES[shape]) if size == "deepest" else int(size)
    path = tmp_path / "deep.py"
    path.write_text(SHAPES[shape](depth), encoding="utf-8")
    baseline = _flake8("E9", path)
    ours = _flake8("CLT", path)
    if not _crashed(baseline):
        assert not _crashed(ours), ours.err[-2000:]
        assert " CLT" not in ours.out or shape == "awaited-chain", ours.out


BLOCK = """

class Service{i}:
    def __init__(self, cache: CacheManager) -> None:
        self.cache = cache

    async def load(self, key: str) -> Any:
        value = await self.cache.get("patterns", key)  # planted: CLT101
        if value is None:
            value = {{"key": key, "n": {i}}}
            self.cache.set("patterns", key, value)
        return value

    def load_sync(self, key: str) -> Any:
        return self.cache.get("patterns", key) or [item for item in range({i} % 7)]
"""
HEADER = """\
from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any: ...
    def set(self, cache_type: str, content_key: str, value: Any) -> None: ...
"""


@pytest.mark.slow
def test_fifty_thousand_line_module(tmp_path: Path) -> None:
    blocks = []
    lines = HEADER.count("\n")
    count = 0
    while lines < 50_000:
        block = BLOCK.format(i=count)
        blocks.append(block)
        lines += block.count("\n")
        count += 1
    source = HEADER + "".join(blocks)
    path = tmp_path / "big.py"
    path.write_text(source, encoding="utf-8")
    assert source.count("\n") >= 50_000

    start = time.perf_counter()
    diagnostics = check_tree(ast.parse(source), path, load_settings(tmp_path))
    engine_seconds = time.perf_counter() - start
    clt101 = [d for d in diagnostics if d.code == "CLT101"]
    planted = [number for number, line in enumerate(source.splitlines(), 1) if "planted: CLT101" in line]
    assert [d.line for d in clt101] == planted
    assert engine_seconds < TIME_BOUND

    start = time.perf_counter()
    baseline = _flake8("E9", path)
    e9_seconds = time.perf_counter() - start
    start = time.perf_counter()
    ours = _flake8("CLT", path)
    clt_seconds = time.perf_counter() - start
    assert not _crashed(baseline) and not _crashed(ours), ours.err[-2000:]
    assert ours.out.count(" CLT101 ") == len(planted)
    assert clt_seconds < TIME_BOUND
    print(f"50k lines: engine {engine_seconds:.2f} s, flake8 E9 {e9_seconds:.2f} s, flake8 CLT {clt_seconds:.2f} s")
