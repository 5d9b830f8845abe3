"""The real-package corpus: where it lives, building it once, and its files.

The corpus is built by ``shared/bench/make_corpus.sh`` (pinned, hash-checked
wheels of cache-using packages) into a folder *outside* the repository, so a
benchmark run never scans it as project code and a rebuild is never needed
per checkout.  Lookup order: ``--corpus PATH``, ``$CACHELINT_CORPUS``,
``~/.cache/cachelint/corpus``; the last is built on first use.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MANIFEST = ".corpus-manifest.tsv"
ENV_VAR = "CACHELINT_CORPUS"
DEFAULT_LOCATION = Path.home() / ".cache" / "cachelint" / "corpus"


class CorpusError(Exception):
    """The corpus cannot be found or built; ``str(error)`` says why and what to do."""


@dataclass(frozen=True)
class Package:
    """One row of the corpus manifest."""

    name: str
    version: str
    files: int
    lines: int


def make_corpus_script(repo: Path = REPO) -> Path:
    """``<repo>/../shared/bench/make_corpus.sh``: the shared folder sits beside the repo, in CI too."""
    return repo.parent / "shared" / "bench" / "make_corpus.sh"


def is_built(root: Path) -> bool:
    return (root / MANIFEST).is_file()


def build(target: Path, script: Path | None = None) -> Path:
    """Run ``make_corpus.sh TARGET`` (downloads pinned wheels through pip) and return ``target``."""
    script = script or make_corpus_script()
    if not script.is_file():
        raise CorpusError(f"cannot build the corpus: {script} not found (set ${ENV_VAR} to a built corpus)")
    target.parent.mkdir(parents=True, exist_ok=True)
    print(f"building the corpus into {target} with {script} ...", file=sys.stderr)
    env = dict(os.environ, PYTHON=os.environ.get("PYTHON", sys.executable))
    completed = subprocess.run(["bash", str(script), str(target)], env=env, check=False)
    if completed.returncode != 0 or not is_built(target):
        raise CorpusError(f"{script} failed with exit code {completed.returncode}")
    return target


def locate(explicit: Path | None = None, *, build_missing: bool = True) -> Path:
    """The corpus root, building it at the default location when nothing else is given."""
    if explicit is not None:
        if not is_built(explicit):
            raise CorpusError(f"{explicit}: no {MANIFEST} (not a corpus built by make_corpus.sh)")
        return explicit.resolve()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        root = Path(from_env).expanduser()
        if is_built(root):
            return root.resolve()
        if not build_missing:
            raise CorpusError(f"${ENV_VAR}={from_env}: no {MANIFEST}")
        return build(root).resolve()
    if is_built(DEFAULT_LOCATION):
        return DEFAULT_LOCATION
    if not build_missing:
        raise CorpusError(f"no corpus: set ${ENV_VAR} or build one into {DEFAULT_LOCATION}")
    return build(DEFAULT_LOCATION)


def find_existing() -> Path | None:
    """The corpus if one is already built (``$CACHELINT_CORPUS``, the default cache, ``/work/corpus``); never builds."""
    candidates = [os.environ.get(ENV_VAR, ""), str(DEFAULT_LOCATION), "/work/corpus"]
    for candidate in candidates:
        if candidate and is_built(Path(candidate).expanduser()):
            return Path(candidate).expanduser().resolve()
    return None


def python_files(root: Path) -> list[Path]:
    """Every ``.py`` file of the corpus, sorted so runs are comparable."""
    return sorted(path for path in root.rglob("*.py") if path.is_file())


def manifest(root: Path) -> list[Package]:
    with (root / MANIFEST).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Package(row["pkg"], row["version"], int(row["py_files"]), int(row["lines"])) for row in rows]
