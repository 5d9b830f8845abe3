"""Reproducible speed and accuracy runs of cachelint: ``python -m benchmarks`` (see docs/benchmarks.md)."""
