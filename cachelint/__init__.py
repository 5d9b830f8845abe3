"""cachelint: find and fix async code that misuses a synchronous cache.

Parts: the rule catalog (:mod:`cachelint.rules`), settings
(:mod:`cachelint.config`), the detection engine (:mod:`cachelint.analysis`),
the flake8 and mypy plugins, the typed async API (:mod:`cachelint.runtime`),
the ``cachelint`` command (:mod:`cachelint.cli`) and its language server
(:mod:`cachelint.lsp`).  ``pip install cachelint`` needs only pydantic; the
front ends that need more are extras (:mod:`cachelint.extras`).
"""

from __future__ import annotations

__version__ = "0.1.0"
