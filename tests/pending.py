"""Fixture markers still waiting for an engine feature (``tests/fixture_pending.toml``).

The service fixture (``tests/fixtures/service``) was written before the engine
features it exercises had landed; each marker that still waits is listed with
the feature it waits for.  A listed ``(line, code)`` may be reported or not;
every other marker and finding must match exactly.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PENDING = Path(__file__).parent / "fixture_pending.toml"
FIXTURES = Path(__file__).parent / "fixtures"


@functools.cache
def _table(engine: str) -> dict[str, str]:
    with PENDING.open("rb") as handle:
        table = tomllib.load(handle).get(engine, {})
    return {str(key): str(value) for key, value in table.items()}


def pending(path: Path, engine: str) -> frozenset[tuple[int, str]]:
    """The ``(line, code)`` pairs of ``path`` that ``engine`` (``flake8``, ``mypy``) may still miss or add."""
    try:
        relative = path.resolve().relative_to(FIXTURES.resolve()).as_posix()
    except ValueError:
        return frozenset()
    found: set[tuple[int, str]] = set()
    for key in _table(engine):
        where, line, code = key.rsplit(":", 2)
        if where == relative:
            found.add((int(line), code))
    return frozenset(found)


def reasons(engine: str) -> dict[str, str]:
    return dict(_table(engine))
