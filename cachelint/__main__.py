"""``python -m cachelint``: the same as the ``cachelint`` command."""

from __future__ import annotations

import sys

from cachelint.cli import main

if __name__ == "__main__":
    sys.exit(main())
