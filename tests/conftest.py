"""Suite-wide settings: engine failures raise instead of being swallowed."""

from __future__ import annotations

import os

# The engine yields nothing for a construct it fails on (never crash a user's lint run);
# under test such a failure must be loud.
os.environ.setdefault("CACHELINT_DEBUG", "1")
