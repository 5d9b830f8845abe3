"""What a check sees: the file's semantic model, class knowledge and settings, plus helpers
every check shares (reporting a finding, source text of a node, the enclosing function,
the model class a value should be)."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from cachelint.analysis.diagnostic import Diagnostic, FixHint, ModelKeyHint, Shape
from cachelint.analysis.knowledge import Knowledge
from cachelint.analysis.semantic import FileModel, Scope
from cachelint.analysis.types import Inst, Ty, element_type, without_none
from cachelint.config import Settings
from cachelint.rules import Rule

_MAX_SOURCE = 60


@dataclass
class Context:
    model: FileModel
    knowledge: Knowledge
    settings: Settings

    @staticmethod
    def report(
        node: ast.expr | ast.stmt | ast.keyword | ast.arg,
        rule: Rule,
        fix: FixHint | ModelKeyHint | None = None,
        /,
        **args: str,
    ) -> Diagnostic:
        """A finding of ``rule`` spanning ``node``, with the named values its message needs.

        ``fix`` is positional-only so that a message may name a value ``fix`` too
        (CLT103's does).  Arguments missing from the rule's template raise here, in
        the check, where the engine names the check that failed, not later in a
        front end that renders the message.
        """
        missing = rule.fields - args.keys()
        if missing:
            raise TypeError(f"{rule.code} needs message arguments {sorted(missing)}")
        return Diagnostic(node.lineno, node.col_offset, rule.code, args, fix, node.end_lineno, node.end_col_offset)

    @staticmethod
    def source(node: ast.AST) -> str:
        """Short source text of an expression for messages."""
        try:
            text = ast.unparse(node)
        except (ValueError, RecursionError, AttributeError):  # pragma: no cover - unparse limits
            return "<expression>"
        text = " ".join(text.split())
        return text if len(text) <= _MAX_SOURCE else text[: _MAX_SOURCE - 3] + "..."

    def enclosing_function(self, scope: Scope) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        current: Scope | None = scope
        while current is not None:
            if current.kind == "lambda":
                return None
            if current.kind == "function" and isinstance(current.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return current.node
            current = current.parent
        return None

    def runs_on_event_loop(self, scope: Scope) -> bool:
        """True when code in ``scope`` runs directly in an ``async def`` body."""
        current: Scope | None = scope
        while current is not None and current.kind == "comprehension":
            current = current.parent
        return current is not None and current.kind == "function" and current.is_async

    def model_shape(self, ty: Ty | None) -> tuple[Shape, str] | None:
        """``("list", M)`` for ``list[M]``-like, ``("model", M)`` for ``M``/``M | None``."""
        ty = without_none(ty)
        if isinstance(ty, Inst):
            if self.knowledge.is_model(ty.qualname):
                return "model", ty.qualname
            inner = element_type(ty)
            if ty.qualname == "builtins.list" and isinstance(inner, Inst) and self.knowledge.is_model(inner.qualname):
                return "list", inner.qualname
        return None

    def local_name(self, qualname: str) -> tuple[str | None, str | None]:
        """How this module spells the class ``qualname`` at run time, or why it cannot."""
        module = self.model.module
        index = self.knowledge.index
        display = qualname.rpartition(".")[2]
        for name, cls in module.classes.items():
            if cls.qualname == qualname:
                return name, None
        for local, target in module.imports.items():
            if index.canonical_name(target) == qualname:
                if local in module.type_checking_names:
                    return None, f"{display} is imported only under TYPE_CHECKING, so it is not available at run time"
                return local, None
        return None, f"{display} is not imported by name in this module"
