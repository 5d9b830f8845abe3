"""The benchmark harness's own machinery: alternation, the flake8 baseline, corpus lookup, the table.

Fast checks only; the measurements themselves run with ``python -m benchmarks``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks import bench_flake8, corpus, harness, timing


def test_alternate_rotates_the_order_every_round() -> None:
    calls: list[str] = []

    def variant(name: str) -> Callable[[], float]:
        def measure() -> float:
            calls.append(name)
            return float(len(calls))

        return measure

    samples = timing.alternate({"a": variant("a"), "b": variant("b"), "c": variant("c")}, repeat=3, warmup=1)
    assert calls == ["a", "b", "c", "b", "c", "a", "c", "a", "b", "a", "b", "c"]
    assert samples == {"a": [6.0, 8.0, 10.0], "b": [4.0, 9.0, 11.0], "c": [5.0, 7.0, 12.0]}
    assert timing.ratio(samples["b"], samples["a"]) == 9.0 / 8.0


def test_flake8_baseline_has_flake8_without_cachelint(tmp_path: Path) -> None:
    (tmp_path / "links").mkdir()
    sides = bench_flake8.Sides(bench_flake8.baseline_path(tmp_path / "links"))
    # Run from the repository root: its cachelint.egg-info must not leak into the baseline.
    repo = Path(__file__).resolve().parents[2]
    assert set(bench_flake8.plugins(sides.without, repo)) == bench_flake8.FLAKE8_OWN
    assert "cachelint" in bench_flake8.plugins(sides.with_cachelint, repo)


def test_corpus_lookup_rejects_a_folder_that_is_not_a_corpus(tmp_path: Path) -> None:
    with pytest.raises(corpus.CorpusError, match="no .corpus-manifest.tsv"):
        corpus.locate(tmp_path)
    (tmp_path / corpus.MANIFEST).write_text("pkg\tversion\tarchive\tsha256\tpy_files\tlines\nx\t1\tx.whl\t0\t2\t30\n")
    assert corpus.locate(tmp_path) == tmp_path.resolve()
    assert corpus.manifest(tmp_path) == [corpus.Package("x", "1", 2, 30)]


def test_rows_from_another_parts_figures() -> None:
    listed = harness._generic_rows("cli", {"rows": [{"figure": "f", "value": "1.0×", "goal": "≤ 2×", "met": True}]})
    assert listed == [harness.Row("cli", "f", "1.0×", "≤ 2×", True)]
    flat = harness._generic_rows("x", {"a": {"b": 1.5}, "name": "text"})
    assert flat == [harness.Row("x", "a.b", "1.5")]


def test_a_missing_section_is_reported_not_fatal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out.json"
    status = harness.main(["--quick", "--only", "runtime,accuracy", "--corpus", str(tmp_path), "--output", str(output)])
    report = json.loads(output.read_text())
    assert status in (0, 1)  # 1 only if the runtime goal was missed on a busy machine
    assert [row["section"] for row in report["rows"]][-1] == "accuracy"
    assert report["rows"][-1]["value"].startswith("n/a (no corpus")
    assert report["machine"]["cores"] and report["machine"]["python"]
    assert (tmp_path / "out.md").read_text().count("| runtime |") >= 1
