"""What the engine reports: a position, a rule code, message arguments and a fix hint.

Messages are not formatted here: :attr:`Diagnostic.args` carries the named
values the catalog template needs, and each front end renders them through
:meth:`cachelint.rules.Rule.format` at its own boundary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from cachelint import rules

Shape = Literal["list", "model"]


@dataclass(frozen=True)
class FixHint:
    """What the codemod needs to rewrite a cache call site to the typed async API.

    ``model`` is the qualified name of the Pydantic model and ``model_source``
    how to spell it in this file; both are None when the engine cannot be
    certain, and ``reason`` then says why (the codemod reports it).
    """

    method: str
    receiver: str
    shape: Shape | None = None
    model: str | None = None
    model_source: str | None = None
    reason: str | None = None
    #: Name of the enclosing function: the cache type of a generated ``CacheKey``.
    operation: str | None = None
    awaited: bool = False

    @property
    def certain(self) -> bool:
        return self.shape is not None and self.model_source is not None and self.reason is None


@dataclass(frozen=True)
class ModelKeyHint:
    """What the codemod needs to fix a CLT106 dict-style read of a model (``m.get("k")``, ``m["k"]``).

    ``fields`` are the model's declared fields, inherited ones included;
    ``field`` is the field the key names, directly (``via_alias`` False) or as
    a ``Field(alias=...)`` (True); None when the key names no field (or is no
    string literal).
    """

    model: str
    key: str | None
    fields: tuple[str, ...]
    field: str | None = None
    via_alias: bool = False


@dataclass(frozen=True)
class Diagnostic:
    line: int  # 1-based
    col: int  # 0-based, as in ast and flake8
    code: str
    args: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    fix: FixHint | ModelKeyHint | None = field(default=None, compare=False)
    end_line: int | None = field(default=None, compare=False)
    end_col: int | None = field(default=None, compare=False)

    @property
    def rule(self) -> rules.Rule:
        return rules.BY_CODE[self.code]

    @property
    def message(self) -> str:
        """The rendered message, without the code."""
        return self.rule.format(self.args)

    def text(self) -> str:
        """``CODE message``: the form flake8 and the CLI print."""
        return f"{self.code} {self.message}"
