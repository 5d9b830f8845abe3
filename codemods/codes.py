"""Which rule codes the codemod acts on (kept apart so the warm path imports no engine)."""

from __future__ import annotations

#: Codes whose sites the codemod rewrites (CLT104 only with ``--include-blocking``).
SITE_CODES = frozenset({"CLT101", "CLT102"})
BLOCKING_CODE = "CLT104"
#: Codes the codemod never fixes: listed as needing a manual fix when they remain.
MANUAL_CODES = frozenset({"CLT103", "CLT105", "CLT106"})


def needs_engine(raw: bytes, include_blocking: bool) -> bool:
    """The cheap test before ``ast.parse``: can this file hold a site the codemod rewrites or lists?

    Sound for rewrites: a rewritable site is an awaited call (with
    ``--include-blocking`` also a call in ``async def``).  CLT105 needs an
    ``AsyncMock``.  CLT103/CLT106 are listed only in files analysed for
    those reasons: ``cachelint check`` is the complete list.
    """
    return b"await" in raw or b"AsyncMock" in raw or (include_blocking and b"async" in raw)
