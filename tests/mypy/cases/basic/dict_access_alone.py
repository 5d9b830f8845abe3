"""CLT106 in a module where no other cachelint hook fires (no cache call, no model attribute)."""

from __future__ import annotations

from shop.models import Pattern


def only_this(pattern: Pattern) -> object:
    return pattern.get("kind")  # E: "Pattern" has no attribute "get"  [attr-defined]  # E: dict-style .get() on 'pattern', declared Pattern (a Pydantic model, not a dict); use attribute access ('pattern.kind')  [cachelint-dict-access-on-model]
