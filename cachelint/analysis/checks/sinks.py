"""Declared types as the policy's typed-sink facts, for CLT103.

CLT103 reports an unvalidated cached value only where it meets a *structured*
declared type (:func:`cachelint.policy.typed_sink`).  This module turns what
the ``ast`` engine knows -- a resolved :data:`~cachelint.analysis.types.Ty`,
a class's ancestry and decorators from the project index -- into the
engine-neutral :class:`~cachelint.policy.TypeFacts` and
:class:`~cachelint.policy.ClassFacts` the policy judges, and finds the
declared type of the parameter an argument binds to.  No judgement is made
here: what is structured is the policy's to say.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from cachelint import policy
from cachelint.analysis.context import Context
from cachelint.analysis.index import ClassSummary, ModuleSummary
from cachelint.analysis.knowledge import InitParam
from cachelint.analysis.semantic import Scope
from cachelint.analysis.types import ANY, NONE, ClassRef, FuncRef, Inst, Ty, TypeVarT, UnionT, Untyped, without_none
from cachelint.policy import ClassFacts, SinkFacts, TypeFacts

_UNKNOWN = TypeFacts("unknown")
_MAX_DEPTH = 8
#: Modules whose classes are never structured: no need to read their facts.
_NOT_CLASSES = ("builtins.", "typing.", "typing_extensions.", "collections.")


@dataclass(frozen=True)
class Declared:
    """A declared type a value meets: the sink it is (None: no sink) and how to show it."""

    sink: SinkFacts | None
    text: str


class SinkTypes:
    """Per-file memo of class facts and sink judgements over the engine's types."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._classes: dict[str, ClassFacts] = {}
        self._extra = ctx.settings.extra_model_bases

    # -- facts -----------------------------------------------------------------

    def class_facts(self, qualname: str) -> ClassFacts:
        found = self._classes.get(qualname)
        if found is not None:
            return found
        index = self.ctx.knowledge.index
        summary = index.class_summary(qualname)
        if summary is None:
            found = ClassFacts(qualname, (qualname,))
        else:
            ancestry = index.ancestors(summary)
            mro = tuple(item.qualname if isinstance(item, ClassSummary) else item for item in ancestry)
            decorators = tuple(
                sorted({d for item in ancestry if isinstance(item, ClassSummary) for d in item.decorators})
            )
            found = ClassFacts(summary.qualname, mro, decorators=decorators)
        self._classes[qualname] = found
        return found

    def facts(self, ty: Ty | None, depth: int = 0) -> TypeFacts:
        """The policy's view of an engine type (unknown for anything it cannot read)."""
        if ty is None or depth > _MAX_DEPTH:
            return _UNKNOWN
        if isinstance(ty, Untyped) or ty == ANY:
            return TypeFacts("any")
        if ty == NONE:
            return TypeFacts("none")
        if isinstance(ty, UnionT):
            return TypeFacts("union", args=tuple(self.facts(item, depth + 1) for item in ty.items))
        if isinstance(ty, TypeVarT):
            if ty.qualname in ("typing.Self", "typing_extensions.Self"):
                return _UNKNOWN
            bound = self.facts(ty.bound, depth + 1) if ty.bound is not None else None
            return TypeFacts("typevar", ty.qualname, bound=bound)
        if isinstance(ty, Inst):
            args = tuple(self.facts(arg, depth + 1) for arg in ty.args)
            cls = None
            if not ty.qualname.startswith(_NOT_CLASSES):
                cls = self.class_facts(ty.qualname)
            return TypeFacts("instance", ty.qualname, args, cls)
        return _UNKNOWN

    def sink(self, ty: Ty | None, *, typevars: bool = False) -> SinkFacts | None:
        return policy.typed_sink(self.facts(ty), extra_model_bases=self._extra, typevars=typevars)

    def structure(self, qualname: str) -> policy.StructureKind | None:
        return policy.structure_kind(self.class_facts(qualname), self._extra)

    def constructor_validates(self, qualname: str) -> bool:
        return policy.constructor_validates(self.class_facts(qualname), self._extra)

    def untyped_like(self, ty: Ty | None) -> bool:
        """``Any``, ``object``, or a builtin container of them: a name so declared stays untyped."""
        ty = without_none(ty)
        if ty is None:
            return False
        if ty == ANY or ty == Inst("builtins.object"):
            return True
        if isinstance(ty, Inst) and ty.qualname in ("builtins.dict", "builtins.list", "collections.abc.Mapping"):
            # ``dict[str, Any]``, ``list[Any]``, bare ``dict``: what the items are is still unchecked.
            return not ty.args or ty.args[-1] in (ANY, Inst("builtins.object"))
        return False

    # -- declared types at a site ------------------------------------------------

    def annotation(
        self, node: ast.expr | None, namespace: Scope | ModuleSummary, *, typevars: bool = False
    ) -> Declared:
        ty = self.ctx.knowledge.resolver.resolve(node, namespace) if node is not None else None
        return Declared(self.sink(ty, typevars=typevars), self.ctx.source(node) if node is not None else "?")

    def parameters(self, call: ast.Call, scope: Scope) -> list[InitParam] | None:
        """The callee's parameters with their annotations, when the index knows the callee."""
        knowledge = self.ctx.knowledge
        func = call.func
        if isinstance(func, ast.Attribute):
            receiver = without_none(self.ctx.model.type_of(func.value, scope))
            if isinstance(receiver, Inst):
                found = knowledge.method_summary(receiver.qualname, func.attr)
                return knowledge.function_params(*found) if found is not None else None
        callee = self.ctx.model.type_of(func, scope)
        if isinstance(callee, ClassRef):
            return knowledge.init_params(callee.qualname)
        if isinstance(callee, FuncRef):
            symbol = knowledge.index.function_symbol(callee.qualname)
            if symbol is not None:
                return knowledge.function_params(symbol.summary, symbol.module)
        return None

    def parameter(self, params: list[InitParam], position: int | None, keyword: str | None) -> InitParam | None:
        for param in params:
            if keyword is not None and param.name == keyword:
                return param
            if keyword is None and position is not None and param.position == position:
                return param
        return None
