"""The engine over every file of the standard library and of the real-package corpus: no exception, no finding.

Neither the stdlib nor the corpus has a synchronous ``CacheManager`` misused
from async code, so any finding is an engine false positive and any
exception an engine bug (``CACHELINT_DEBUG=1`` makes the engine raise instead
of swallowing).  Files that do not parse under the running interpreter
(lib2to3 test data, deliberately bad encodings) are skipped, as flake8 would
report them as E999.  Every file is checked — no sampling — in a pool of one
process per core (about 860k stdlib lines and 317k corpus lines: 15–30 s on 2
cores).
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import pytest

from benchmarks.bench_engine import FileResult, check_files
from benchmarks.corpus import python_files

pytestmark = pytest.mark.slow

WORKERS = max(1, min(os.cpu_count() or 1, 4))


def _stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(
        path
        for path in root.rglob("*.py")
        if not {"site-packages", "dist-packages"} & set(path.relative_to(root).parts)
    )


def _report(results: list[FileResult]) -> str:
    lines = [f"engine error in {r.path}: {r.error}" for r in results if r.error]
    lines += [f.text() for r in results for f in r.findings]
    return "\n".join(lines)


def test_engine_is_silent_and_unbroken_on_the_stdlib() -> None:
    files = _stdlib_files()
    assert len(files) > 500, "the standard library was not found"
    results = check_files(files, workers=WORKERS)
    checked = [r for r in results if r.skipped is None]
    assert len(checked) > 0.95 * len(files), [r.skipped for r in results if r.skipped][:10]
    assert not _report(results), _report(results)


def test_engine_is_silent_and_unbroken_on_the_corpus(corpus_root: Path | None) -> None:
    if corpus_root is None:
        pytest.skip("no corpus built (set CACHELINT_CORPUS; python -m benchmarks builds one)")
    files = python_files(corpus_root)
    results = check_files(files, workers=WORKERS)
    assert all(r.skipped is None for r in results), [r.skipped for r in results if r.skipped]
    assert not _report(results), _report(results)
