"""Entry point of ``python -m benchmarks``; the harness lives in :mod:`benchmarks.harness`."""

from __future__ import annotations

from benchmarks.harness import main

raise SystemExit(main())
