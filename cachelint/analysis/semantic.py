"""The per-file semantic model the checks query: scopes (:mod:`~cachelint.analysis.scopes`)
plus type inference (:mod:`~cachelint.analysis.inference`), under the one name checks use.

:class:`FileModel` builds the file's scopes in one pass and answers type
questions on demand; it adds nothing of its own but :meth:`FileModel.receiver_cache`,
the one question whose answer the configuration may settle (see
:meth:`Knowledge.cache_named`).  The names the checks and the codemod import
from here (``Scope``, ``Visit``, ``SCOPE_NODES``, ``BindingKind``, ...) are
re-exported from the modules that own them.
"""

from __future__ import annotations

import ast

from cachelint.analysis.index import ModuleSummary
from cachelint.analysis.inference import COROUTINE, TypeInference
from cachelint.analysis.knowledge import Knowledge
from cachelint.analysis.scopes import (
    REST,
    SCOPE_NODES,
    Binding,
    BindingKind,
    FileScopes,
    ItemPath,
    Scope,
    ScopeBuilder,
    ScopeKind,
    Visit,
)
from cachelint.analysis.types import Ty, without_none


class FileModel(TypeInference):
    """Scopes and types of one file.  Build with :meth:`build`, then query."""

    def __init__(self, tree: ast.Module, module: ModuleSummary, knowledge: Knowledge) -> None:
        scopes = FileScopes(tree, module)
        super().__init__(scopes, knowledge)
        self.tree = tree
        self.module = module
        # The scope tree's lists, shared (filled in place by :meth:`build`).
        self.scopes = scopes.scopes
        self.parents = scopes.parents
        self.calls = scopes.calls
        self.subscripts = scopes.subscripts
        self.scope_at = scopes.scope_at
        self.parent = scopes.parent
        self.lookup_scope = scopes.lookup_scope
        self.aliases_of = scopes.aliases_of

    @property
    def candidates(self) -> list[Visit]:
        """Calls and subscripts in source order: what the node checks visit."""
        return self.file_scopes.candidates

    def build(self) -> FileModel:
        """One pass over the tree (see :meth:`ScopeBuilder.build`); types come later, on demand."""
        ScopeBuilder(self.file_scopes).build()
        return self

    def receiver_cache(self, receiver: ast.expr, scope: Scope) -> str | None:
        """The sync cache class ``receiver`` is an instance of, when the engine knows it."""
        ty: Ty | None = without_none(self.type_of(receiver, scope))
        found = self.knowledge.sync_cache_of(ty)
        if found is not None or ty is not None:
            return found
        name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", None)
        return self.knowledge.cache_named(name) if isinstance(name, str) else None


__all__ = [
    "COROUTINE",
    "REST",
    "SCOPE_NODES",
    "Binding",
    "BindingKind",
    "FileModel",
    "FileScopes",
    "ItemPath",
    "Scope",
    "ScopeKind",
    "Visit",
]
