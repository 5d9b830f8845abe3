"""Names both engines (the ``ast`` engine and the mypy plugin) read the same way.

Which calls validate a cached value, which calls merely inspect one, and which
methods are dict-style access: one list, so CLT103 and CLT106 mean the same
thing under flake8, the CLI and mypy.  Standard library only: the mypy plugin
imports it on mypy's start-up path.
"""

from __future__ import annotations

#: ``Model.model_validate(x)``, ``TypeAdapter(T).validate_python(x)``, ... validate ``x``.
VALIDATOR_METHODS = frozenset(
    {
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_obj",
        "parse_raw",
        "validate_python",
        "validate_json",
        "validate_strings",
    }
)
#: Builtins that only look at a value: passing a cached value to them is not a use (CLT103).
HARMLESS_CALLS = frozenset(
    {
        "print",
        "len",
        "bool",
        "str",
        "repr",
        "type",
        "id",
        "hash",
        "isinstance",
        "issubclass",
        "hasattr",
        "callable",
        "format",
    }
)
#: ``logger.debug(..., value)`` and friends: logging a cached value is not a use (CLT103).
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
#: Dict-style methods a Pydantic model does not have (CLT106).
DICT_METHODS = frozenset({"get", "items", "keys", "values", "setdefault", "pop", "update"})
