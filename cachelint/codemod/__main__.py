"""``python -m cachelint.codemod PATH...``: the codemod's command line (:mod:`cachelint.codemod.fix_cache_calls`)."""

from __future__ import annotations

import sys

from cachelint.codemod.fix_cache_calls import main

sys.exit(main(prog="python -m cachelint.codemod"))
