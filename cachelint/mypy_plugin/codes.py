"""mypy error codes of cachelint, one per catalog rule, built from ``Rule.mypy_code``.

Creating an :class:`~mypy.errorcodes.ErrorCode` registers it with mypy, which
is what makes ``# type: ignore[cachelint-await-sync]``, ``disable_error_code``
and ``enable_error_code`` accept the names: mypy validates those options only
after plugins are loaded.  A rule that is off by default in the catalog is an
error code that is off by default (``enable_error_code`` turns it on).
"""

from __future__ import annotations

from mypy.errorcodes import ErrorCode

from cachelint.rules import ACTIVE

CATEGORY = "cachelint"

BY_RULE: dict[str, ErrorCode] = {
    rule.code: ErrorCode(rule.mypy_code, rule.summary, CATEGORY, default_enabled=rule.default_enabled)
    for rule in ACTIVE
}

AWAIT_SYNC = BY_RULE["CLT101"]
CACHE_SIGNATURE = BY_RULE["CLT102"]
UNTYPED_RETRIEVAL = BY_RULE["CLT103"]
BLOCKING_CALL = BY_RULE["CLT104"]
ASYNC_MOCK = BY_RULE["CLT105"]
DICT_ACCESS_ON_MODEL = BY_RULE["CLT106"]
