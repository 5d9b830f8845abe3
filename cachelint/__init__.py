"""cachelint: find and fix async code that misuses a synchronous cache.

Parts: the rule catalog (:mod:`cachelint.rules`), settings
(:mod:`cachelint.config`), the detection engine (:mod:`cachelint.analysis`),
the flake8 and mypy plugins, the typed async API (:mod:`cachelint.runtime`)
and the ``cachelint`` command (:mod:`cachelint.cli`).
"""

from __future__ import annotations

__version__ = "0.1.0"
