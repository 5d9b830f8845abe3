"""The scope builder: one pass over a file's tree into scopes, name bindings and the nodes checks visit.

It owns *where names are bound*, not what they mean: each scope (module,
class, function, lambda, comprehension) records every :class:`Binding` of
every name in it, as written (an annotation, an assigned value, an iterable
and the unpacking path into its items, an import's qualified name, ...).
Turning a binding into a type is :mod:`cachelint.analysis.inference`'s job.
The builder reads no settings and no other module: the same tree gives the
same :class:`FileScopes` under any configuration.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from cachelint.analysis.index import ModuleSummary, resolve_relative

#: Nodes that open a scope of their own.
SCOPE_NODES = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Lambda,
    ast.ClassDef,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


class ScopeKind(str, enum.Enum):
    """What opened a scope.  A ``str`` enum, so ``scope.kind == "function"`` still reads right."""

    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    LAMBDA = "lambda"
    COMPREHENSION = "comprehension"


class BindingKind(str, enum.Enum):
    """How a name was bound; it says which :class:`Binding` fields carry the facts."""

    #: ``x: T`` or an annotated parameter: ``expr`` is the annotation (it wins over every other binding).
    ANNOTATED = "ann"
    #: ``x = value`` or ``(x := value)``: ``expr`` is the value.
    VALUE = "value"
    #: ``for x in iterable`` (comprehensions too): ``expr`` is the iterable.
    ITER = "iter"
    #: ``a, b = value``: ``expr`` is the value, ``path`` where the name sits in it.
    ITEM = "item"
    #: ``for a, b in iterable``: ``expr`` is the iterable, ``path`` where the name sits in an element.
    ITER_ITEM = "iter-item"
    #: ``import m`` / ``from m import x``: ``qualname`` is what the name denotes.
    IMPORT = "import"
    #: A method's first parameter: ``qualname`` is the class that defines the method.
    SELF = "self"
    #: A classmethod's first parameter: ``qualname`` is the class.
    CLS = "cls"
    #: ``def name``: ``node`` is the definition.
    DEF = "def"
    #: ``class Name``: ``node`` is the definition.
    CLASS = "class"
    #: Bound in a way the engine does not type (``with ... as x``, ``except E as x``, ``global x``, ...).
    UNKNOWN = "unknown"


#: Where a name sits in an unpacking target: the item index at each level (``(a, (b, c))``: c is
#: (1, 1)); items after a ``*rest`` count from the end, and ``*rest`` itself is :data:`REST`.
ItemPath = tuple[int | str, ...]
REST = "*"


class Binding(NamedTuple):
    """One binding of a name in a scope; :class:`BindingKind` says which fields are set.

    Immutable and read by field name, never unpacked.  A ``NamedTuple`` rather than a
    frozen dataclass because the scope builder makes one per binding in the engine's
    hot loop (127k on the corpus): measured, the scope pass is ~7% faster this way.
    """

    kind: BindingKind
    #: The node that binds: the target name, the parameter, the definition, the import statement.
    node: ast.AST
    expr: ast.expr | None = None
    path: ItemPath = ()
    qualname: str | None = None


_UNKNOWN = BindingKind.UNKNOWN


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    node: ast.AST
    parent: Scope | None
    module: ModuleSummary
    is_async: bool = False
    cls: str | None = None  # qualified name of the class whose method this is
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    globals_: set[str] = field(default_factory=set)

    def bind(self, name: str, binding: Binding) -> None:
        found = self.bindings.get(name)
        if found is None:
            self.bindings[name] = [binding]
        else:
            found.append(binding)

    @property
    def function(self) -> Scope | None:
        """The nearest enclosing function scope (this one included)."""
        scope: Scope | None = self
        while scope is not None and scope.kind is not ScopeKind.FUNCTION and scope.kind is not ScopeKind.MODULE:
            scope = scope.parent
        return scope if scope is not None and scope.kind is ScopeKind.FUNCTION else None

    def qualify(self, node: ast.expr) -> str | None:
        """Qualified name of a ``Name``/``Attribute`` chain, seeing function-level imports."""
        if isinstance(node, ast.Name):
            scope: Scope | None = self
            while scope is not None and scope.kind is not ScopeKind.MODULE:
                for binding in scope.bindings.get(node.id, ()):
                    if binding.kind is BindingKind.IMPORT:
                        return binding.qualname
                if node.id in scope.bindings:
                    return None
                scope = scope.parent
            return self.module.qualify_name(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualify(node.value)
            return None if base is None else f"{base}.{node.attr}"
        return None


class Visit(NamedTuple):
    node: ast.AST
    parent: ast.AST | None
    scope: Scope


class FileScopes:
    """The scopes of one file and the nodes the checks visit; filled by :class:`ScopeBuilder`."""

    def __init__(self, tree: ast.Module, module: ModuleSummary) -> None:
        self.tree = tree
        self.module = module
        self.module_scope = Scope(ScopeKind.MODULE, tree, None, module)
        self.scopes: list[Scope] = [self.module_scope]
        self.parents: dict[int, ast.AST | None] = {}
        self.calls: list[Visit] = []
        self.subscripts: list[Visit] = []
        self.candidates: list[Visit] = []  # calls and subscripts in source order
        self._aliases: dict[frozenset[str], frozenset[str]] = {}
        self._by_node: dict[int, Scope] | None = None

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The parent of a Name, Call, Subscript, Await, keyword, Starred or Attribute node."""
        return self.parents.get(id(node))

    def scope_at(self, node: ast.AST, parent_of: Callable[[ast.AST], ast.AST | None]) -> Scope:
        """The scope ``node`` is evaluated in, as the builder assigns it; ``parent_of`` is a whole
        parent map (the builder keeps parents of expressions only).  For the rare caller (the
        codemod): the hot loop records no scope per name."""
        if self._by_node is None:
            self._by_node = {id(scope.node): scope for scope in self.scopes if scope is not self.module_scope}
        child, current = node, parent_of(node)
        while current is not None:
            scope = self._by_node.get(id(current))
            if scope is not None and _inside(current, child):
                return scope
            child, current = current, parent_of(current)
        return self.module_scope

    def lookup_scope(self, name: str, scope: Scope) -> Scope | None:
        """The scope whose binding of ``name`` a use in ``scope`` sees (LEGB, classes skipped)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if current.kind is ScopeKind.CLASS and not first:
                current = current.parent
                continue
            if name in current.globals_:
                return self.module_scope if name in self.module_scope.bindings else None
            if name in current.bindings:
                return current
            first = False
            current = current.parent
        return None

    def aliases_of(self, qualnames: frozenset[str]) -> frozenset[str]:
        """Local names under which any scope of this file imports one of ``qualnames``."""
        found = self._aliases.get(qualnames)
        if found is None:
            found = frozenset(
                name
                for scope in self.scopes
                for name, bindings in scope.bindings.items()
                for binding in bindings
                if binding.kind is BindingKind.IMPORT and binding.qualname in qualnames
            )
            self._aliases[qualnames] = found
        return found


def target_paths(target: ast.expr, path: ItemPath = ()) -> Iterator[tuple[str, ast.expr, ItemPath | None]]:
    """Names bound by an assignment target with their unpacking path; None when it is unknown."""
    if isinstance(target, ast.Name):
        yield target.id, target, path
    elif isinstance(target, (ast.Tuple, ast.List)):
        after_star = False
        for index, elt in enumerate(target.elts):
            if isinstance(elt, ast.Starred):
                after_star = True
                if isinstance(elt.value, ast.Name):
                    yield elt.value.id, elt.value, (*path, REST)
                else:  # ``a, *(b, c) = ...``: legal, and never worth typing
                    for name, node, _ in target_paths(elt.value, path):
                        yield name, node, None
                continue
            position = index - len(target.elts) if after_star else index
            yield from target_paths(elt, (*path, position))
    elif isinstance(target, ast.Starred):
        for name, node, _ in target_paths(target.value, path):
            yield name, node, None


def _target_names(target: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """Names bound by an assignment target, at any depth."""
    if isinstance(target, ast.Name):
        yield target.id, target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from _target_names(elt.value if isinstance(elt, ast.Starred) else elt)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _unknown(node: ast.AST) -> Binding:
    return Binding(_UNKNOWN, node)


class ScopeBuilder:
    """Fills a :class:`FileScopes` from its tree in one pass."""

    def __init__(self, scopes: FileScopes) -> None:
        self.out = scopes
        self.module = scopes.module
        self.module_scope = scopes.module_scope

    def build(self) -> FileScopes:
        """One pass over the tree: scopes and bindings, parents, and the nodes checks look at.

        This is the hot loop of the engine (every node of every file), so it
        dispatches on the node type through a table and skips ``ctx`` nodes.
        """
        out = self.out
        parents = out.parents
        binders = _BINDERS
        child_fields = _REVERSED_CHILD_FIELDS
        calls, subscripts = out.calls, out.subscripts
        name_type, call_type, subscript_type = ast.Name, ast.Call, ast.Subscript
        constant_type, attribute_type, keyword_type, expr_type = ast.Constant, ast.Attribute, ast.keyword, ast.Expr
        parent_types, node_base, list_type = _PARENT_TYPES, ast.AST, list
        stack: list[tuple[ast.AST, ast.AST | None, Scope]] = [(out.tree, None, self.module_scope)]
        pop, push = stack.pop, stack.append
        while stack:
            node, parent, scope = pop()
            node_type = type(node)
            # The commonest nodes first, each with the children it has (pushed
            # last-first, so children are visited in source order).
            if node_type is name_type:
                parents[id(node)] = parent
                continue
            if node_type is constant_type:
                continue
            if node_type is attribute_type:
                parents[id(node)] = parent
                push((node.value, node, scope))  # type: ignore[attr-defined]
                continue
            if node_type is call_type:
                parents[id(node)] = parent
                calls.append(Visit(node, parent, scope))
                for child in reversed(node.keywords):  # type: ignore[attr-defined]
                    push((child, node, scope))
                for child in reversed(node.args):  # type: ignore[attr-defined]
                    push((child, node, scope))
                push((node.func, node, scope))  # type: ignore[attr-defined]
                continue
            if node_type is keyword_type:
                parents[id(node)] = parent
                push((node.value, node, scope))  # type: ignore[attr-defined]
                continue
            if node_type is expr_type:
                push((node.value, node, scope))  # type: ignore[attr-defined]
                continue
            if node_type in parent_types:
                parents[id(node)] = parent
                if node_type is subscript_type:
                    subscripts.append(Visit(node, parent, scope))
            binder = binders.get(node_type)
            inner = binder(self, node, scope) if binder is not None else None
            fields = child_fields.get(node_type)
            if fields is None:
                fields = _reversed_child_fields(node_type)
            for field_name in fields:
                value = getattr(node, field_name, None)
                if value is None:
                    continue
                if type(value) is list_type:
                    # A list of nodes (a list of names, ``Global.names``, holds strings).  ``Dict.keys``
                    # and ``kw_defaults`` may hold None; one starting with None is skipped, as before.
                    if value and isinstance(value[0], node_base):
                        for child in reversed(value):
                            if child is not None:
                                push((child, node, scope if inner is None or not _inside(node, child) else inner))
                elif isinstance(value, node_base):
                    push((value, node, scope if inner is None or not _inside(node, value) else inner))
        for scope in out.scopes:
            for name in scope.globals_:
                self.module_scope.bind(name, _unknown(scope.node))
        out.candidates = sorted(
            [*calls, *subscripts], key=lambda v: (getattr(v.node, "lineno", 0), getattr(v.node, "col_offset", 0))
        )
        return out

    def _new_scope(
        self, kind: ScopeKind, node: ast.AST, parent: Scope, *, is_async: bool = False, cls: str | None = None
    ) -> Scope:
        scope = Scope(kind, node, parent, self.module, is_async=is_async, cls=cls)
        self.out.scopes.append(scope)
        return scope

    # -- binders: what each statement binds, in which scope ----------------

    def _bind_function(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        scope.bind(node.name, Binding(BindingKind.DEF, node))
        owner = None
        if scope.kind is ScopeKind.CLASS and isinstance(scope.node, ast.ClassDef) and scope.parent is self.module_scope:
            owner = f"{self.module.name}.{scope.node.name}"
        inner = self._new_scope(
            ScopeKind.FUNCTION, node, scope, is_async=isinstance(node, ast.AsyncFunctionDef), cls=owner
        )
        self._bind_params(node, node.args, inner, owner)
        return inner

    def _bind_lambda(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.Lambda)
        inner = self._new_scope(ScopeKind.LAMBDA, node, scope)
        self._bind_params(node, node.args, inner, None)
        return inner

    def _bind_class(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.ClassDef)
        scope.bind(node.name, Binding(BindingKind.CLASS, node))
        return self._new_scope(ScopeKind.CLASS, node, scope)

    def _bind_comprehension(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
        inner = self._new_scope(ScopeKind.COMPREHENSION, node, scope)
        for comp in node.generators:
            _bind_iteration(comp.target, comp.iter, inner, is_async=bool(comp.is_async))
        return inner

    def _bind_assign(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.Assign)
        value = node.value
        for target in node.targets:
            if type(target) is ast.Name:  # the common case, without the generator
                scope.bind(target.id, Binding(BindingKind.VALUE, target, value))
                continue
            for name, target_node, path in target_paths(target):
                if path is None:
                    scope.bind(name, _unknown(target_node))
                elif not path:
                    scope.bind(name, Binding(BindingKind.VALUE, target_node, value))
                else:
                    scope.bind(name, Binding(BindingKind.ITEM, target_node, value, path))
        return None

    def _bind_annassign(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.AnnAssign)
        if isinstance(node.target, ast.Name):
            scope.bind(node.target.id, Binding(BindingKind.ANNOTATED, node.target, node.annotation))
        return None

    def _bind_unknown_target(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.AugAssign)
        for name, target_node in _target_names(node.target):
            scope.bind(name, _unknown(target_node))
        return None

    def _bind_walrus(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.NamedExpr)
        target_scope = scope
        while target_scope.kind is ScopeKind.COMPREHENSION and target_scope.parent is not None:
            target_scope = target_scope.parent
        target_scope.bind(node.target.id, Binding(BindingKind.VALUE, node.target, node.value))
        return None

    def _bind_for(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.For, ast.AsyncFor))
        _bind_iteration(node.target, node.iter, scope, is_async=isinstance(node, ast.AsyncFor))
        return None

    def _bind_with(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.With, ast.AsyncWith))
        for item in node.items:
            if item.optional_vars is not None:
                for name, target_node in _target_names(item.optional_vars):
                    scope.bind(name, _unknown(target_node))
        return None

    def _bind_import(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.Import, ast.ImportFrom))
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.bind(alias.asname, Binding(BindingKind.IMPORT, node, qualname=alias.name))
                else:
                    head = alias.name.partition(".")[0]
                    scope.bind(head, Binding(BindingKind.IMPORT, node, qualname=head))
            return None
        source = resolve_relative(self.module.package, node.level, node.module)
        for alias in node.names:
            if alias.name == "*":
                continue
            local = alias.asname or alias.name
            if source is None:
                scope.bind(local, _unknown(node))
            else:
                scope.bind(local, Binding(BindingKind.IMPORT, node, qualname=f"{source}.{alias.name}"))
        return None

    def _bind_named(self, node: ast.AST, scope: Scope) -> Scope | None:
        """``except E as name``, ``match`` captures, ``type X = ...``: unknown types."""
        name = getattr(node, "name", None)
        if isinstance(name, ast.Name):  # PEP 695 ``type X = ...``
            name = name.id
        if isinstance(name, str):
            scope.bind(name, _unknown(node))
        rest = getattr(node, "rest", None)
        if isinstance(rest, str):
            scope.bind(rest, _unknown(node))
        return None

    def _bind_declaration(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.Global, ast.Nonlocal))
        for name in node.names:
            scope.bind(name, _unknown(node))
            if isinstance(node, ast.Global):
                scope.globals_.add(name)
        return None

    def _bind_delete(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.Delete)
        for target in node.targets:
            for name, target_node in _target_names(target):
                scope.bind(name, _unknown(target_node))
        return None

    @staticmethod
    def _bind_params(node: ast.AST, args: ast.arguments, scope: Scope, owner: str | None) -> None:
        positional = [*args.posonlyargs, *args.args]
        first = positional[0] if positional else None
        if owner is not None and first is not None:
            decorators = getattr(node, "decorator_list", [])
            decorator_names = {d.id if isinstance(d, ast.Name) else getattr(d, "attr", "") for d in decorators}
            if "staticmethod" not in decorator_names:
                kind = BindingKind.CLS if "classmethod" in decorator_names else BindingKind.SELF
                scope.bind(first.arg, Binding(kind, first, qualname=owner))
            else:
                first = None
        else:
            first = None
        for arg in (*positional, *args.kwonlyargs):
            if arg is first:
                continue
            if arg.annotation is not None:
                scope.bind(arg.arg, Binding(BindingKind.ANNOTATED, arg, arg.annotation))
            else:
                scope.bind(arg.arg, _unknown(arg))
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                scope.bind(extra.arg, _unknown(extra))


def _bind_iteration(target: ast.expr, iterable: ast.expr, scope: Scope, *, is_async: bool) -> None:
    for name, target_node, path in target_paths(target):
        if is_async or path is None:
            scope.bind(name, _unknown(target_node))
        elif not path:
            scope.bind(name, Binding(BindingKind.ITER, target_node, iterable))
        else:
            scope.bind(name, Binding(BindingKind.ITER_ITEM, target_node, iterable, path))


def _inside(node: ast.AST, child: ast.AST) -> bool:
    """Whether ``child`` of a scope-creating ``node`` is evaluated inside the new scope."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return child not in node.decorator_list and child is not node.returns and child is not node.args
    if isinstance(node, ast.Lambda):
        return child is not node.args
    if isinstance(node, ast.ClassDef):
        return child in node.body
    # Comprehensions: everything inside; their scope binds only the targets,
    # so names in the first iterable still resolve to the enclosing scope.
    return True


_Binder = Callable[[ScopeBuilder, ast.AST, Scope], "Scope | None"]
_BINDERS: dict[type[ast.AST], _Binder] = {
    ast.FunctionDef: ScopeBuilder._bind_function,
    ast.AsyncFunctionDef: ScopeBuilder._bind_function,
    ast.Lambda: ScopeBuilder._bind_lambda,
    ast.ClassDef: ScopeBuilder._bind_class,
    ast.ListComp: ScopeBuilder._bind_comprehension,
    ast.SetComp: ScopeBuilder._bind_comprehension,
    ast.DictComp: ScopeBuilder._bind_comprehension,
    ast.GeneratorExp: ScopeBuilder._bind_comprehension,
    ast.Assign: ScopeBuilder._bind_assign,
    ast.AnnAssign: ScopeBuilder._bind_annassign,
    ast.AugAssign: ScopeBuilder._bind_unknown_target,
    ast.NamedExpr: ScopeBuilder._bind_walrus,
    ast.For: ScopeBuilder._bind_for,
    ast.AsyncFor: ScopeBuilder._bind_for,
    ast.With: ScopeBuilder._bind_with,
    ast.AsyncWith: ScopeBuilder._bind_with,
    ast.Import: ScopeBuilder._bind_import,
    ast.ImportFrom: ScopeBuilder._bind_import,
    ast.ExceptHandler: ScopeBuilder._bind_named,
    ast.Global: ScopeBuilder._bind_declaration,
    ast.Nonlocal: ScopeBuilder._bind_declaration,
    ast.Delete: ScopeBuilder._bind_delete,
}
for _name in ("MatchAs", "MatchStar", "MatchMapping", "TypeAlias"):
    if hasattr(ast, _name):
        _BINDERS[getattr(ast, _name)] = ScopeBuilder._bind_named


# Node types whose parent a check may ask for (see FileScopes.parent).
_PARENT_TYPES = frozenset({ast.Call, ast.Subscript, ast.Await, ast.keyword, ast.Starred, ast.Attribute})
# Fields that never hold nodes; skipping them keeps the hot loop short.
_LEAF_FIELDS = frozenset(
    {"ctx", "id", "attr", "arg", "module", "level", "kind", "conversion", "is_async", "type_comment", "simple"}
)
#: Per node type, the fields that may hold child nodes, last first (the builder pushes
#: children on a stack, so pushing them last-first visits them in source order).
_REVERSED_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _reversed_child_fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    fields = tuple(
        name
        for name in reversed(node_type._fields)
        if name not in _LEAF_FIELDS and not (name == "name" and node_type is not getattr(ast, "TypeAlias", None))
    )
    _REVERSED_CHILD_FIELDS[node_type] = fields
    return fields
