"""Which rule codes the codemod acts on, derived from the catalog's fixes (no engine import: the
warm path of ``--check`` must stay cheap)."""

from __future__ import annotations

from cachelint.rules import ACTIVE, BLOCKING_FIX, TYPED_API_FIX, Safety

#: Codes whose sites the codemod rewrites to the typed async API by default (CLT101, CLT102).
SITE_CODES = frozenset(r.code for r in ACTIVE if TYPED_API_FIX in r.fixes and r.default_enabled)
#: The opt-in blocking-call code, rewritten only with ``--include-blocking`` (CLT104).
BLOCKING_CODE = next(r.code for r in ACTIVE if not r.default_enabled and BLOCKING_FIX in r.fixes)
#: Codes fixed one finding at a time (attribute access, re-wrap, autospec, validation); what a
#: fix cannot be planned for is listed as needing a manual fix (CLT103, CLT105, CLT106).
MANUAL_CODES = frozenset(r.code for r in ACTIVE) - SITE_CODES - {BLOCKING_CODE}
#: Fix kinds applied only with ``--unsafe-fixes``.
UNSAFE_KINDS = frozenset(f.kind for r in ACTIVE for f in r.fixes if f.safety is Safety.UNSAFE)


def acted_on(include_blocking: bool) -> frozenset[str]:
    """The codes whose findings the codemod fixes or lists: a file without any has nothing for it."""
    return SITE_CODES | MANUAL_CODES | ({BLOCKING_CODE} if include_blocking else frozenset())


#: A string-keyed read (``.get("k"``, ``["k"]``): what a CLT106 fix needs.
_STRING_KEYED = (b'.get("', b".get('", b'["', b"['")


def needs_engine(raw: bytes, include_blocking: bool, unsafe_fixes: bool = False) -> bool:
    """The cheap test before ``ast.parse``: can this file hold a finding the codemod fixes?

    Sound for every fix: a call-site rewrite needs an awaited call (with
    ``--include-blocking`` also a call in ``async def``); CLT105 needs an
    ``AsyncMock``; CLT106's fixes a string-keyed read; CLT103's validation
    (unsafe) a ``get(``.  Files without any are not analysed, so their
    findings are not listed: ``cachelint check`` is the complete list.
    """
    return (
        b"await" in raw
        or b"AsyncMock" in raw
        or any(needle in raw for needle in _STRING_KEYED)
        or (unsafe_fixes and b"get(" in raw)
        or (include_blocking and b"async" in raw)
    )
