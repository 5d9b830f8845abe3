"""``python -m codemods.fix_cache_calls PATH...``: rewrite awaited sync cache calls to the typed async API.

A thin entry point kept so the documented command works from a checkout;
everything it does is :func:`cachelint.codemod.fix_cache_calls.main`.
"""

from __future__ import annotations

import sys

from cachelint.codemod.fix_cache_calls import build_parser, main

__all__ = ["build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main(prog="python -m codemods.fix_cache_calls"))
