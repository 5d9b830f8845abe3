"""Callable signatures read from source, and whether a call's arguments bind to them.

This is ``inspect.Signature.bind`` done statically: it works on argument
*shapes* (how many positionals, which keywords), never on values, and gives up
(returns no problem) whenever the call spreads ``*args`` or ``**kwargs``.

Configuration (``method-signatures``), the ``ast`` engine and the mypy plugin
bind calls with it, so CLT102 reads the same in both engines.  It imports only
the standard library, so that all three can stand above it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    POSITIONAL_ONLY = "positional-only"
    POSITIONAL_OR_KEYWORD = "positional-or-keyword"
    VAR_POSITIONAL = "var-positional"
    KEYWORD_ONLY = "keyword-only"
    VAR_KEYWORD = "var-keyword"


@dataclass(frozen=True)
class Param:
    name: str
    kind: Kind
    default: str | None  # source text of the default, None when required
    annotation: ast.expr | None = None

    @property
    def required(self) -> bool:
        return self.default is None and self.kind not in (Kind.VAR_POSITIONAL, Kind.VAR_KEYWORD)


@dataclass(frozen=True)
class Signature:
    params: tuple[Param, ...]

    @classmethod
    def from_arguments(cls, args: ast.arguments, *, drop_first: bool) -> Signature:
        """Build from a ``def``'s arguments; ``drop_first`` removes ``self``/``cls``."""
        params: list[Param] = []
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults.extend(args.defaults)
        for index, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
            kind = Kind.POSITIONAL_ONLY if index < len(args.posonlyargs) else Kind.POSITIONAL_OR_KEYWORD
            params.append(Param(arg.arg, kind, _default_text(default), arg.annotation))
        if args.vararg is not None:
            params.append(Param(args.vararg.arg, Kind.VAR_POSITIONAL, None, args.vararg.annotation))
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            params.append(Param(arg.arg, Kind.KEYWORD_ONLY, _default_text(kw_default), arg.annotation))
        if args.kwarg is not None:
            params.append(Param(args.kwarg.arg, Kind.VAR_KEYWORD, None, args.kwarg.annotation))
        if drop_first and params and params[0].kind in (Kind.POSITIONAL_ONLY, Kind.POSITIONAL_OR_KEYWORD):
            params.pop(0)
        return cls(tuple(params))

    def render(self) -> str:
        parts: list[str] = []
        saw_kwonly_marker = False
        for param in self.params:
            if param.kind is Kind.VAR_POSITIONAL:
                parts.append(f"*{param.name}")
                saw_kwonly_marker = True
            elif param.kind is Kind.VAR_KEYWORD:
                parts.append(f"**{param.name}")
            else:
                if param.kind is Kind.KEYWORD_ONLY and not saw_kwonly_marker:
                    parts.append("*")
                    saw_kwonly_marker = True
                parts.append(param.name if param.default is None else f"{param.name}={param.default}")
        return f"({', '.join(parts)})"

    def positional_params(self) -> list[Param]:
        return [p for p in self.params if p.kind in (Kind.POSITIONAL_ONLY, Kind.POSITIONAL_OR_KEYWORD)]

    def param_for(self, position: int | None, keyword: str | None) -> Param | None:
        """The parameter an argument at ``position`` / named ``keyword`` binds to."""
        if keyword is not None:
            for param in self.params:
                if param.name == keyword and param.kind in (Kind.POSITIONAL_OR_KEYWORD, Kind.KEYWORD_ONLY):
                    return param
            return None
        positional = self.positional_params()
        if position is not None and position < len(positional):
            return positional[position]
        return None

    def bind_problem(self, n_positional: int, keywords: list[str]) -> str | None:
        """Why a call with these argument shapes cannot bind, or None if it can."""
        positional = self.positional_params()
        has_var_pos = any(p.kind is Kind.VAR_POSITIONAL for p in self.params)
        has_var_kw = any(p.kind is Kind.VAR_KEYWORD for p in self.params)
        if n_positional > len(positional) and not has_var_pos:
            expected = len(positional)
            plural = "" if expected == 1 else "s"
            return f"takes {expected} positional argument{plural} but {n_positional} were given"
        filled = {p.name for p in positional[:n_positional]}
        by_name = {p.name: p for p in self.params if p.kind in (Kind.POSITIONAL_OR_KEYWORD, Kind.KEYWORD_ONLY)}
        for keyword in keywords:
            if keyword in filled:
                return f"got multiple values for '{keyword}'"
            if keyword in by_name:
                filled.add(keyword)
            elif not has_var_kw:
                return f"unexpected keyword argument '{keyword}'"
        missing = [p.name for p in self.params if p.required and p.name not in filled]
        if missing:
            names = ", ".join(f"'{name}'" for name in missing)
            plural = "" if len(missing) == 1 else "s"
            return f"missing required argument{plural} {names}"
        return None


def _default_text(node: ast.expr | None) -> str | None:
    if node is None:
        return None
    text = ast.unparse(node)
    return text if len(text) <= 20 else "..."


def parse_signature_text(text: str) -> Signature | None:
    """Parse ``"(cache_type, content_key)"`` (no ``self``) into a signature, or None."""
    try:
        module = ast.parse(f"def _f{text.strip()}: pass\n")
    except SyntaxError:
        return None
    func = module.body[0]
    if not isinstance(func, ast.FunctionDef):
        return None
    return Signature.from_arguments(func.args, drop_first=False)
