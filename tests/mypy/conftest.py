"""The mypy plugin's tests import their helpers (``mypy_cases``) and the suite's ``expectations``."""

from __future__ import annotations

import sys
from pathlib import Path

# Under ``--import-mode=importlib`` test folders are not on ``sys.path``.
for folder in (Path(__file__).parent, Path(__file__).parent.parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
