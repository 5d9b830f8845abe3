"""The per-file semantic model: scopes, name bindings and the declared type of expressions.

One pass over the tree builds the scopes (module, class, function, lambda,
comprehension) with every binding of every name, and records each node with
its parent and scope for the checks.  Types are then computed on demand and
memoised: from annotations, constructor calls (``Repo[M](...)`` included),
aliases, tuple unpacking, ``for`` targets over typed iterables (``enumerate``,
``zip``, ``.items()``, ...), builtin container methods, ``cast``, ``a or b``
and ``a if c else b`` (the join of both sides), and the project index for
everything imported, generic classes' type arguments substituted.  The model
is flow-insensitive: a name bound to different things in one scope is unknown
(``None``), unless it is annotated, which wins as it does for mypy.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from cachelint import catalogue, policy
from cachelint.analysis.index import ClassSummary, FunctionSummary, ModuleSummary, ProjectIndex
from cachelint.analysis.knowledge import TYPE_ADAPTERS, Knowledge
from cachelint.analysis.types import (
    ANY,
    MAPPINGS,
    NONE,
    ClassRef,
    FuncRef,
    Inst,
    ModuleRef,
    Ty,
    TypeVarT,
    Untyped,
    element_type,
    item_type,
    join,
    without_none,
)

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
_VALIDATING_CLASSMETHODS = frozenset(
    {"model_validate", "model_validate_json", "model_validate_strings", "parse_obj", "parse_raw", "model_construct"}
)
_ADAPTER_METHODS = frozenset({"validate_python", "validate_json", "validate_strings"})
_TYPE_ADAPTERS = TYPE_ADAPTERS
_SEQUENCES = frozenset(
    {"builtins.list", "collections.abc.Sequence", "collections.abc.MutableSequence", "collections.deque"}
)
#: Builtins whose result is an iterator over (a tuple of) their arguments' elements.
_ITERATOR_BUILTINS = frozenset({"enumerate", "zip", "reversed", "iter", "filter"})
#: Builtins that collect their argument's elements: name -> the container they build.
_COLLECTING_BUILTINS = {"sorted": "builtins.list", "list": "builtins.list", "set": "builtins.set"}
_TYPED_BUILTINS = _ITERATOR_BUILTINS | set(_COLLECTING_BUILTINS) | {"tuple", "next"}
#: Keywords that leave those builtins' element type as it is.
_HARMLESS_KEYWORDS = {"sorted": {"key", "reverse"}, "zip": {"strict"}, "enumerate": {"start"}}
COROUTINE = "collections.abc.Coroutine"


@dataclass(eq=False)
class Scope:
    kind: str  # module | class | function | lambda | comprehension
    node: ast.AST
    parent: Scope | None
    module: ModuleSummary
    is_async: bool = False
    cls: str | None = None  # qualified name of the class whose method this is
    bindings: dict[str, list[tuple[str, object, ast.AST]]] = field(default_factory=dict)
    globals_: set[str] = field(default_factory=set)

    def bind(self, name: str, kind: str, payload: object, node: ast.AST) -> None:
        self.bindings.setdefault(name, []).append((kind, payload, node))

    @property
    def function(self) -> Scope | None:
        """The nearest enclosing function scope (this one included)."""
        scope: Scope | None = self
        while scope is not None and scope.kind not in ("function", "module"):
            scope = scope.parent
        return scope if scope is not None and scope.kind == "function" else None

    def qualify(self, node: ast.expr) -> str | None:
        """Qualified name of a ``Name``/``Attribute`` chain, seeing function-level imports."""
        if isinstance(node, ast.Name):
            scope: Scope | None = self
            while scope is not None and scope.kind != "module":
                for kind, payload, _ in scope.bindings.get(node.id, ()):
                    if kind == "import" and isinstance(payload, str):
                        return payload
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


#: Where a name sits in an unpacking target: the item index at each level (``(a, (b, c))``: c is
#: (1, 1)); items after a ``*rest`` count from the end, and ``*rest`` itself is :data:`REST`.
Path = tuple[int | str, ...]
REST = "*"


def _target_paths(target: ast.expr, path: Path = ()) -> Iterator[tuple[str, ast.expr, Path | None]]:
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
                    for name, node, _ in _target_paths(elt.value, path):
                        yield name, node, None
                continue
            position = index - len(target.elts) if after_star else index
            yield from _target_paths(elt, (*path, position))
    elif isinstance(target, ast.Starred):
        for name, node, _ in _target_paths(target.value, path):
            yield name, node, None


def _constant_index(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _constant_index(node.operand)
        return -inner if inner is not None else None
    return None


def _target_names(target: ast.expr) -> Iterator[tuple[str, ast.expr, bool]]:
    """Names bound by an assignment target; the flag says whether the name is the whole target."""
    if isinstance(target, ast.Name):
        yield target.id, target, True
    elif isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            for name, node, _ in _target_names(elt.value if isinstance(elt, ast.Starred) else elt):
                yield name, node, False
    elif isinstance(target, ast.Starred):
        for name, node, _ in _target_names(target.value):
            yield name, node, False


class FileModel:
    """Scopes and types of one file.  Build with :meth:`build`, then query."""

    def __init__(self, tree: ast.Module, module: ModuleSummary, knowledge: Knowledge) -> None:
        self.tree = tree
        self.module = module
        self.knowledge = knowledge
        self.index: ProjectIndex = knowledge.index
        self.calls: list[Visit] = []
        self.subscripts: list[Visit] = []
        self.names: list[Visit] = []  # every Name in Load context
        self.candidates: list[Visit] = []  # calls and subscripts in source order
        self.scopes: list[Scope] = []
        self.parents: dict[int, ast.AST | None] = {}
        self._types: dict[int, Ty | None] = {}
        self._names: dict[tuple[int, str], Ty | None] = {}
        self._in_progress: set[tuple[int, str]] = set()
        self._aliases: dict[frozenset[str], frozenset[str]] = {}
        self.module_scope = Scope("module", tree, None, module)

    # -- building ------------------------------------------------------------

    def build(self) -> FileModel:
        """One pass over the tree: scopes and bindings, parents, and the nodes checks look at.

        This is the hot loop of the engine (every node of every file), so it
        dispatches on the node type through a table and skips ``ctx`` nodes.
        """
        self.scopes.append(self.module_scope)
        parents = self.parents
        binders = _BINDERS
        child_fields = _CHILD_FIELDS
        calls, subscripts, names = self.calls, self.subscripts, self.names
        name_type, call_type, subscript_type, load_type = ast.Name, ast.Call, ast.Subscript, ast.Load
        constant_type = ast.Constant
        stack: list[tuple[ast.AST, ast.AST | None, Scope]] = [(self.tree, None, self.module_scope)]
        pop, push = stack.pop, stack.append
        while stack:
            node, parent, scope = pop()
            if node is None:  # Dict.keys for ``**d`` and kw_defaults hold None
                continue
            node_type = type(node)
            if node_type is name_type:
                parents[id(node)] = parent
                if type(node.ctx) is load_type:  # type: ignore[attr-defined]
                    names.append(Visit(node, parent, scope))
                continue
            if node_type is constant_type:
                continue
            if node_type in _PARENT_TYPES:
                parents[id(node)] = parent
                if node_type is call_type:
                    calls.append(Visit(node, parent, scope))
                elif node_type is subscript_type:
                    subscripts.append(Visit(node, parent, scope))
            binder = binders.get(node_type)
            inner = binder(self, node, scope) if binder is not None else None
            fields = child_fields.get(node_type)
            if fields is None:
                fields = _child_fields(node_type)
            children: list[ast.AST] = []
            for field_name in fields:
                value = getattr(node, field_name, None)
                if value is None:
                    continue
                if type(value) is list:
                    if value and isinstance(value[0], ast.AST):
                        children.extend(value)
                elif isinstance(value, ast.AST):
                    children.append(value)
            children.reverse()
            if inner is None:
                for child in children:
                    push((child, node, scope))
            else:
                for child in children:
                    push((child, node, inner if self._inside(node, child) else scope))
        for scope in self.scopes:
            for name in scope.globals_:
                self.module_scope.bind(name, "unknown", None, scope.node)
        self.candidates = sorted(
            [*calls, *subscripts], key=lambda v: (getattr(v.node, "lineno", 0), getattr(v.node, "col_offset", 0))
        )
        return self

    @staticmethod
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

    def _new_scope(
        self, kind: str, node: ast.AST, parent: Scope, *, is_async: bool = False, cls: str | None = None
    ) -> Scope:
        scope = Scope(kind, node, parent, self.module, is_async=is_async, cls=cls)
        self.scopes.append(scope)
        return scope

    # -- binders: what each statement binds, in which scope ----------------

    def _bind_function(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        scope.bind(node.name, "def", node, node)
        owner = None
        if scope.kind == "class" and isinstance(scope.node, ast.ClassDef) and scope.parent is self.module_scope:
            owner = f"{self.module.name}.{scope.node.name}"
        inner = self._new_scope("function", node, scope, is_async=isinstance(node, ast.AsyncFunctionDef), cls=owner)
        self._bind_params(node, node.args, inner, owner)
        return inner

    def _bind_lambda(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.Lambda)
        inner = self._new_scope("lambda", node, scope)
        self._bind_params(node, node.args, inner, None)
        return inner

    def _bind_class(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.ClassDef)
        scope.bind(node.name, "class", node, node)
        return self._new_scope("class", node, scope)

    def _bind_comprehension(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp))
        inner = self._new_scope("comprehension", node, scope)
        for comp in node.generators:
            self._bind_iteration(comp.target, comp.iter, inner, is_async=bool(comp.is_async))
        return inner

    @staticmethod
    def _bind_iteration(target: ast.expr, iterable: ast.expr, scope: Scope, *, is_async: bool) -> None:
        for name, target_node, path in _target_paths(target):
            if is_async or path is None:
                scope.bind(name, "unknown", None, target_node)
            elif not path:
                scope.bind(name, "iter", iterable, target_node)
            else:
                scope.bind(name, "iter-item", (iterable, path), target_node)

    def _bind_assign(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.Assign)
        for target in node.targets:
            for name, target_node, path in _target_paths(target):
                if path is None:
                    scope.bind(name, "unknown", None, target_node)
                elif not path:
                    scope.bind(name, "value", node.value, target_node)
                else:
                    scope.bind(name, "item", (node.value, path), target_node)
        return None

    def _bind_annassign(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.AnnAssign)
        if isinstance(node.target, ast.Name):
            scope.bind(node.target.id, "ann", node.annotation, node.target)
        return None

    def _bind_unknown_target(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.AugAssign)
        for name, target_node, _ in _target_names(node.target):
            scope.bind(name, "unknown", None, target_node)
        return None

    def _bind_walrus(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.NamedExpr)
        target_scope = scope
        while target_scope.kind == "comprehension" and target_scope.parent is not None:
            target_scope = target_scope.parent
        target_scope.bind(node.target.id, "value", node.value, node.target)
        return None

    def _bind_for(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.For, ast.AsyncFor))
        self._bind_iteration(node.target, node.iter, scope, is_async=isinstance(node, ast.AsyncFor))
        return None

    def _bind_with(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.With, ast.AsyncWith))
        for item in node.items:
            if item.optional_vars is not None:
                for name, target_node, _ in _target_names(item.optional_vars):
                    scope.bind(name, "unknown", None, target_node)
        return None

    def _bind_import_node(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.Import, ast.ImportFrom))
        self._bind_import(node, scope)
        return None

    def _bind_named(self, node: ast.AST, scope: Scope) -> Scope | None:
        """``except E as name``, ``match`` captures, ``type X = ...``: unknown types."""
        name = getattr(node, "name", None)
        if isinstance(name, ast.Name):  # PEP 695 ``type X = ...``
            name = name.id
        if isinstance(name, str):
            scope.bind(name, "unknown", None, node)
        rest = getattr(node, "rest", None)
        if isinstance(rest, str):
            scope.bind(rest, "unknown", None, node)
        return None

    def _bind_declaration(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, (ast.Global, ast.Nonlocal))
        for name in node.names:
            scope.bind(name, "unknown", None, node)
            if isinstance(node, ast.Global):
                scope.globals_.add(name)
        return None

    def _bind_delete(self, node: ast.AST, scope: Scope) -> Scope | None:
        assert isinstance(node, ast.Delete)
        for target in node.targets:
            for name, target_node, _ in _target_names(target):
                scope.bind(name, "unknown", None, target_node)
        return None

    def _bind_params(self, node: ast.AST, args: ast.arguments, scope: Scope, owner: str | None) -> None:
        positional = [*args.posonlyargs, *args.args]
        decorators = getattr(node, "decorator_list", [])
        decorator_names = {d.id if isinstance(d, ast.Name) else getattr(d, "attr", "") for d in decorators}
        for index, arg in enumerate([*positional, *args.kwonlyargs]):
            if index == 0 and owner is not None and arg in positional and "staticmethod" not in decorator_names:
                kind = "cls" if "classmethod" in decorator_names else "self"
                scope.bind(arg.arg, kind, owner, arg)
            elif arg.annotation is not None:
                scope.bind(arg.arg, "ann", arg.annotation, arg)
            else:
                scope.bind(arg.arg, "unknown", None, arg)
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                scope.bind(extra.arg, "unknown", None, extra)

    def _bind_import(self, node: ast.Import | ast.ImportFrom, scope: Scope) -> None:
        from cachelint.analysis.index import resolve_relative

        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    scope.bind(alias.asname, "import", alias.name, node)
                else:
                    head = alias.name.partition(".")[0]
                    scope.bind(head, "import", head, node)
            return
        source = resolve_relative(self.module.package, node.level, node.module)
        for alias in node.names:
            if alias.name == "*":
                continue
            local = alias.asname or alias.name
            if source is None:
                scope.bind(local, "unknown", None, node)
            else:
                scope.bind(local, "import", f"{source}.{alias.name}", node)

    # -- queries -------------------------------------------------------------

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The parent of a Name, Call, Subscript, Await, keyword, Starred or Attribute node."""
        return self.parents.get(id(node))

    def lookup_scope(self, name: str, scope: Scope) -> Scope | None:
        """The scope whose binding of ``name`` a use in ``scope`` sees (LEGB, classes skipped)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent
                continue
            if name in current.globals_:
                return self.module_scope if name in self.module_scope.bindings else None
            if name in current.bindings:
                return current
            first = False
            current = current.parent
        return None

    def name_type(self, name: str, scope: Scope) -> Ty | None:
        owner = self.lookup_scope(name, scope)
        if owner is None:
            return self._builtin(name)
        key = (id(owner), name)
        if key in self._names:
            return self._names[key]
        if key in self._in_progress:
            return None
        self._in_progress.add(key)
        try:
            result = self._bindings_type(owner.bindings[name], owner)
        finally:
            self._in_progress.discard(key)
        self._names[key] = result
        return result

    @staticmethod
    def _builtin(name: str) -> Ty | None:
        value = getattr(builtins, name, None)
        if isinstance(value, type):
            return ClassRef(f"builtins.{name}")
        return None

    def _bindings_type(self, bindings: list[tuple[str, object, ast.AST]], scope: Scope) -> Ty | None:
        for kind, payload, _ in bindings:
            if kind == "ann" and isinstance(payload, ast.expr):
                return self.knowledge.resolver.resolve(payload, scope)
        types: list[Ty | None] = [self._binding_type(kind, payload, scope) for kind, payload, _ in bindings]
        first = types[0]
        if first is None or any(t != first for t in types[1:]):
            return None
        return first

    def _binding_type(self, kind: str, payload: object, scope: Scope) -> Ty | None:
        if kind == "self" and isinstance(payload, str):
            return Inst(payload)
        if kind == "cls" and isinstance(payload, str):
            return ClassRef(payload)
        if kind == "value" and isinstance(payload, ast.expr):
            return self.type_of(payload, scope)
        if kind == "iter" and isinstance(payload, ast.expr):
            return element_type(self.type_of(payload, scope))
        if kind == "item" and isinstance(payload, tuple):
            value, path = payload
            return self._unpacked(value, None, path, scope)
        if kind == "iter-item" and isinstance(payload, tuple):
            iterable, path = payload
            return self._unpacked(None, element_type(self.type_of(iterable, scope)), path, scope)
        if kind == "import" and isinstance(payload, str):
            return self.symbol_type(payload)
        if (
            kind == "def"
            and scope is self.module_scope
            and isinstance(payload, (ast.FunctionDef, ast.AsyncFunctionDef))
        ):
            return FuncRef(f"{self.module.name}.{payload.name}")
        if kind == "class" and scope is self.module_scope and isinstance(payload, ast.ClassDef):
            return ClassRef(f"{self.module.name}.{payload.name}")
        return None

    def _unpacked(self, value: ast.expr | None, ty: Ty | None, path: Path, scope: Scope) -> Ty | None:
        """The type of the item at ``path`` when ``value`` (or a value of type ``ty``) is unpacked.

        A tuple display is taken apart item by item (``a, b = x, y``); otherwise
        the value's type is: a tuple type by position, any other iterable by its
        element type (``a, b = pair_list``).
        """
        for index in path:
            if value is not None:
                if (
                    isinstance(index, int)
                    and isinstance(value, (ast.Tuple, ast.List))
                    and not any(isinstance(elt, ast.Starred) for elt in value.elts)
                    and -len(value.elts) <= index < len(value.elts)
                ):
                    value = value.elts[index]
                    continue
                ty = self.type_of(value, scope)
                value = None
            ty = without_none(ty)
            if index == REST:
                # ``first, *rest = items``: a list of the elements (of a tuple's, only when all alike).
                if isinstance(ty, Inst) and ty.qualname == "builtins.tuple":
                    alike = set(ty.args) - {Inst("builtins.Ellipsis")}
                    element = next(iter(alike)) if len(alike) == 1 else None
                else:
                    element = element_type(ty)
                ty = Inst("builtins.list", (element,)) if element is not None else None
            elif isinstance(ty, Inst) and ty.qualname == "builtins.tuple" and isinstance(index, int):
                ty = item_type(ty, index)
            else:
                ty = element_type(ty)
            if ty is None:
                return None
        return self.type_of(value, scope) if value is not None else ty

    def symbol_type(self, qualname: str, depth: int = 0) -> Ty | None:
        """The type of the object a qualified name denotes (a class object, a module, ...)."""
        if depth > 8:
            return None
        if qualname.startswith("builtins."):
            return self._builtin(qualname[len("builtins.") :])
        qualname = self.index.canonical_name(qualname)
        if qualname in catalogue.INSTANCES:  # django.core.cache.cache: a catalogued client
            return Inst(catalogue.INSTANCES[qualname])
        symbol = self.index.lookup(qualname)
        if symbol is None:
            # Outside the project: a name we cannot see.  Treated as class-like so
            # that calling it gives an instance of that name (configuration may
            # know it, e.g. a sync cache class from an installed package).
            return ClassRef(qualname)
        kind, payload, owner = symbol
        if kind == "class" and isinstance(payload, ClassSummary):
            return ClassRef(payload.qualname)
        if kind == "function" and isinstance(payload, FunctionSummary):
            return FuncRef(payload.qualname)
        if kind == "module" and isinstance(payload, ModuleSummary):
            return ModuleRef(payload.name)
        if kind == "var" and isinstance(payload, ast.expr):
            return self.knowledge.resolver.resolve(payload, owner)
        if kind == "alias" and isinstance(payload, ast.expr):
            if isinstance(payload, (ast.Name, ast.Attribute)):
                target = owner.qualify(payload)
                return None if target is None else self.symbol_type(target, depth + 1)
            return self.knowledge.module_value_type(payload, owner)
        return None

    def type_of(self, node: ast.expr, scope: Scope) -> Ty | None:
        key = id(node)
        if key in self._types:
            return self._types[key]
        # A RecursionError is not caught here: "unknown" would silently drop a finding,
        # so it reaches the engine, which reports the check that hit it (CLT000).
        result = self._type_of(node, scope)
        self._types[key] = result
        return result

    def _type_of(self, node: ast.expr, scope: Scope) -> Ty | None:
        if isinstance(node, ast.Name):
            return self.name_type(node.id, scope)
        if isinstance(node, ast.Attribute):
            return self._attribute_type(node, scope)
        if isinstance(node, ast.Call):
            return self._call_type(node, scope)
        if isinstance(node, ast.Await):
            inner = self.type_of(node.value, scope)
            if isinstance(inner, Inst) and inner.qualname == COROUTINE and inner.args:
                return inner.args[-1]
            if isinstance(inner, Untyped):
                return inner
            return None
        if isinstance(node, ast.Subscript):
            if isinstance(node.slice, ast.Slice):
                return None
            base = without_none(self.type_of(node.value, scope))
            if isinstance(base, ClassRef) and base.qualname in catalogue.REGISTRIES:  # caches["default"]
                return Inst(catalogue.REGISTRIES[base.qualname])
            if isinstance(base, Inst):
                if len(base.args) == 1 and base.qualname in _SEQUENCES:
                    return base.args[0]
                if len(base.args) == 2 and base.qualname in MAPPINGS:
                    return base.args[1]
                if base.qualname == "builtins.tuple":
                    index = _constant_index(node.slice)
                    return item_type(base, index) if index is not None else None
            return None
        if isinstance(node, ast.NamedExpr):
            return self.type_of(node.value, scope)
        if isinstance(node, ast.BoolOp):
            sides = [self.type_of(value, scope) for value in node.values]
            if isinstance(node.op, ast.Or):
                # ``a or b`` is ``a`` when truthy: never None, so the None of all but the last side drops.
                return join([*(without_none(side) for side in sides[:-1]), sides[-1]])
            return None
        if isinstance(node, ast.IfExp):
            return join([self.type_of(node.body, scope), self.type_of(node.orelse, scope)])
        if isinstance(node, ast.Dict) or isinstance(node, ast.DictComp):
            return Inst("builtins.dict")
        if isinstance(node, (ast.List, ast.ListComp)):
            return Inst("builtins.list")
        return None

    def _attribute_type(self, node: ast.Attribute, scope: Scope) -> Ty | None:
        base = without_none(self.type_of(node.value, scope))
        if isinstance(base, TypeVarT) and isinstance(base.bound, Inst):
            base = base.bound  # ``item: M`` with ``M = TypeVar("M", bound=Item)``: what Item declares
        if isinstance(base, Inst):
            if base.qualname.startswith("builtins."):
                return None
            return self.knowledge.attribute_type(base.qualname, node.attr, base.args)
        if isinstance(base, ModuleRef):
            return self.symbol_type(f"{base.name}.{node.attr}")
        if (
            isinstance(base, ClassRef)
            and self.index.class_summary(base.qualname) is None
            and not base.qualname.startswith("builtins.")
        ):
            return ClassRef(f"{base.qualname}.{node.attr}")
        return None

    def _call_type(self, node: ast.Call, scope: Scope) -> Ty | None:
        func = node.func
        if isinstance(func, ast.Attribute):
            receiver = without_none(self.type_of(func.value, scope))
            if isinstance(receiver, ClassRef) and func.attr in _VALIDATING_CLASSMETHODS:
                return Inst(receiver.qualname)
            if func.attr in _ADAPTER_METHODS and isinstance(func.value, ast.Call) and func.value.args:
                adapter = self.type_of(func.value.func, scope)
                if isinstance(adapter, ClassRef) and adapter.qualname in _TYPE_ADAPTERS:
                    return self.knowledge.resolver.resolve(func.value.args[0], scope)
            if isinstance(receiver, Inst) and receiver.qualname.startswith("builtins."):
                return self._container_method(receiver, func.attr, node, scope)
            if isinstance(receiver, Inst) and catalogue.returns_self(receiver.qualname, func.attr):
                return receiver  # make_region().configure(...): a catalogued fluent method
            if isinstance(receiver, Inst):
                info = self.knowledge.cache_method(receiver.qualname, func.attr)
                if info is not None and not info.is_async and info.untyped_return and func.attr in policy.CACHE_GETTERS:
                    return Untyped(info.cls, func.attr, node.lineno, node.col_offset)
                return self.knowledge.method_return(receiver, func.attr)
            if (
                isinstance(receiver, ClassRef)
                and not receiver.qualname.startswith("builtins.")
                and self.index.class_summary(receiver.qualname) is not None
            ):
                # ``M.from_row(...)``: a classmethod returning ``Self`` or the class.
                return self.knowledge.method_return(Inst(receiver.qualname), func.attr)
        elif isinstance(func, ast.Subscript):
            # ``Repo[M](...)``: a subscripted generic class called as a constructor.
            generic = self.knowledge.resolver.resolve(func, scope)
            if isinstance(generic, Inst) and isinstance(self.type_of(func.value, scope), ClassRef):
                return generic
            return None
        elif isinstance(func, ast.Name) and func.id in _TYPED_BUILTINS and self.lookup_scope(func.id, scope) is None:
            found = self._builtin_call(func.id, node, scope)
            if found is not None:
                return found
        callee = self.type_of(func, scope)
        if isinstance(callee, ClassRef) and callee.qualname in catalogue.FACTORIES:  # redis.from_url(...)
            return Inst(catalogue.FACTORIES[callee.qualname])
        if isinstance(callee, ClassRef):
            if callee.qualname in policy.CAST_CALLS:
                return self.knowledge.resolver.resolve(node.args[0], scope) if len(node.args) == 2 else None
            if callee.qualname in _TYPE_ADAPTERS and node.args:
                inner = self.knowledge.resolver.resolve(node.args[0], scope)
                return Inst(callee.qualname, (inner,)) if inner is not None else Inst(callee.qualname)
            return Inst(callee.qualname)
        if isinstance(callee, FuncRef):
            # An installed ``redis`` makes ``redis.from_url`` a function the index can read:
            # the catalogue still knows better what it returns.
            spelled = scope.qualify(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
            if spelled is not None and spelled in catalogue.FACTORIES:
                return Inst(catalogue.FACTORIES[spelled])
            symbol = self.index.lookup(callee.qualname)
            if symbol is not None and isinstance(symbol[1], FunctionSummary):
                return self.knowledge.function_return(symbol[1], symbol[2])
        return None

    def _builtin_call(self, name: str, node: ast.Call, scope: Scope) -> Ty | None:
        """``enumerate``/``zip``/``sorted``/``next``/...: what they make of their arguments' elements."""
        keywords = {keyword.arg for keyword in node.keywords}
        if not keywords <= _HARMLESS_KEYWORDS.get(name, set()) or any(isinstance(a, ast.Starred) for a in node.args):
            return None
        elements = [element_type(self.type_of(arg, scope)) for arg in node.args]
        if name in _ITERATOR_BUILTINS:
            if name == "enumerate" and len(elements) == 1:
                item: Ty = Inst("builtins.tuple", (Inst("builtins.int"), elements[0] or ANY))
            elif name == "zip" and elements:
                item = Inst("builtins.tuple", tuple(element or ANY for element in elements))
            elif name == "filter" and len(elements) == 2 and elements[1] is not None:
                item = elements[1]
            elif name in ("reversed", "iter") and len(elements) == 1 and elements[0] is not None:
                item = elements[0]
            else:
                return None
            return Inst("collections.abc.Iterator", (item,))
        if name in _COLLECTING_BUILTINS and len(elements) == 1 and elements[0] is not None:
            return Inst(_COLLECTING_BUILTINS[name], (elements[0],))
        if name == "tuple" and len(elements) == 1 and elements[0] is not None:
            return Inst("builtins.tuple", (elements[0], Inst("builtins.Ellipsis")))
        if name == "next" and node.args:
            first = elements[0]
            if len(node.args) == 2:
                return join([first, self.type_of(node.args[1], scope)])
            return first
        return None

    def _container_method(self, receiver: Inst, method: str, node: ast.Call, scope: Scope) -> Ty | None:
        """Return types of the builtin containers' methods (``dict[str, M].get`` is ``M | None``)."""
        args = receiver.args
        if receiver.qualname in MAPPINGS and len(args) == 2:
            key, value = args
            if method in ("get", "pop"):
                if len(node.args) == 1:
                    return value if method == "pop" else join([value, NONE])
                if len(node.args) == 2:
                    return join([value, self.type_of(node.args[1], scope)])
                return None
            if method == "setdefault":
                return value
            if method == "values":
                return Inst("collections.abc.ValuesView", (value,))
            if method == "keys":
                return Inst("collections.abc.KeysView", (key,))
            if method == "items":
                return Inst("collections.abc.ItemsView", (key, value))
            if method == "copy":
                return receiver
            return None
        if receiver.qualname in ("builtins.list", "builtins.set") and len(args) == 1:
            if method == "pop":
                return args[0]
            if method == "copy":
                return receiver
        return None

    def aliases_of(self, qualnames: frozenset[str]) -> frozenset[str]:
        """Local names under which any scope of this file imports one of ``qualnames``."""
        found = self._aliases.get(qualnames)
        if found is None:
            found = frozenset(
                name
                for scope in self.scopes
                for name, bindings in scope.bindings.items()
                for kind, payload, _ in bindings
                if kind == "import" and payload in qualnames
            )
            self._aliases[qualnames] = found
        return found

    def receiver_cache(self, receiver: ast.expr, scope: Scope) -> str | None:
        """The sync cache class ``receiver`` is an instance of, when the engine knows it."""
        ty = without_none(self.type_of(receiver, scope))
        found = self.knowledge.sync_cache_of(ty)
        if found is not None or ty is not None:
            return found
        patterns = self.knowledge.settings.receiver_name_patterns
        if patterns and self.knowledge.settings.sync_cache_classes:
            from fnmatch import fnmatchcase

            name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", None)
            if isinstance(name, str) and any(fnmatchcase(name, pattern) for pattern in patterns):
                return self.knowledge.settings.sync_cache_classes[0]
        return None


_Binder = Callable[[FileModel, ast.AST, Scope], "Scope | None"]
_BINDERS: dict[type[ast.AST], _Binder] = {
    ast.FunctionDef: FileModel._bind_function,
    ast.AsyncFunctionDef: FileModel._bind_function,
    ast.Lambda: FileModel._bind_lambda,
    ast.ClassDef: FileModel._bind_class,
    ast.ListComp: FileModel._bind_comprehension,
    ast.SetComp: FileModel._bind_comprehension,
    ast.DictComp: FileModel._bind_comprehension,
    ast.GeneratorExp: FileModel._bind_comprehension,
    ast.Assign: FileModel._bind_assign,
    ast.AnnAssign: FileModel._bind_annassign,
    ast.AugAssign: FileModel._bind_unknown_target,
    ast.NamedExpr: FileModel._bind_walrus,
    ast.For: FileModel._bind_for,
    ast.AsyncFor: FileModel._bind_for,
    ast.With: FileModel._bind_with,
    ast.AsyncWith: FileModel._bind_with,
    ast.Import: FileModel._bind_import_node,
    ast.ImportFrom: FileModel._bind_import_node,
    ast.ExceptHandler: FileModel._bind_named,
    ast.Global: FileModel._bind_declaration,
    ast.Nonlocal: FileModel._bind_declaration,
    ast.Delete: FileModel._bind_delete,
}
for _name in ("MatchAs", "MatchStar", "MatchMapping", "TypeAlias"):
    if hasattr(ast, _name):
        _BINDERS[getattr(ast, _name)] = FileModel._bind_named


# Node types whose parent a check may ask for (see FileModel.parent).
_PARENT_TYPES = frozenset({ast.Call, ast.Subscript, ast.Await, ast.keyword, ast.Starred, ast.Attribute})
# Fields that never hold nodes; skipping them keeps the hot loop short.
_LEAF_FIELDS = frozenset(
    {"ctx", "id", "attr", "arg", "module", "level", "kind", "conversion", "is_async", "type_comment", "simple"}
)
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}


def _child_fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    fields = tuple(
        name
        for name in node_type._fields
        if name not in _LEAF_FIELDS and not (name == "name" and node_type is not getattr(ast, "TypeAlias", None))
    )
    _CHILD_FIELDS[node_type] = fields
    return fields
