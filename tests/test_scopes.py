"""FileScopes.scope_at: the scope an expression is evaluated in, as the scope builder assigns it."""

from __future__ import annotations

import ast
from pathlib import Path

from cachelint.analysis.index import summarize
from cachelint.analysis.scopes import FileScopes, ScopeBuilder, ScopeKind

SOURCE = """
@decorator(a)
def f(x=b) -> c:
    return [d for e in g]

class C:
    h = i
    def m(self):
        return lambda y=j: k
"""


def _scopes() -> tuple[ast.Module, FileScopes, dict[str, ast.Name]]:
    tree = ast.parse(SOURCE)
    scopes = FileScopes(tree, summarize(tree, "m", Path("m.py"), False))
    ScopeBuilder(scopes).build()
    names = {node.id: node for node in ast.walk(tree) if isinstance(node, ast.Name)}
    return tree, scopes, names


def test_scope_at_follows_the_builders_rules() -> None:
    tree, scopes, names = _scopes()
    parents = {id(child): parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}

    def where(name: str) -> tuple[ScopeKind, str]:
        scope = scopes.scope_at(names[name], lambda node: parents.get(id(node)))
        return scope.kind, getattr(scope.node, "name", type(scope.node).__name__)

    # Decorators, defaults and annotations are evaluated where the def stands.
    assert where("a") == (ScopeKind.MODULE, "Module")
    assert where("b") == (ScopeKind.MODULE, "Module")
    assert where("c") == (ScopeKind.MODULE, "Module")
    assert where("d") == (ScopeKind.COMPREHENSION, "ListComp")
    assert where("i") == (ScopeKind.CLASS, "C")
    assert where("j") == (ScopeKind.FUNCTION, "m")  # a lambda's default: the enclosing method
    assert where("k") == (ScopeKind.LAMBDA, "Lambda")
