"""Type inference over a file's scopes: the declared type of any expression, on demand and memoised.

It owns *what a name or expression is*, given where names are bound
(:mod:`cachelint.analysis.scopes`) and what the project declares (the index
and class knowledge): annotations, constructor calls (``Repo[M](...)``, and
``Repository(User)`` whose argument fixes the type parameter), aliases, tuple
unpacking, ``for`` targets over typed iterables (``enumerate``, ``zip``,
``.items()``, ...), builtin container methods, ``cast``, ``a or b`` and
``a if c else b`` (the join of both sides), and everything imported, generic
classes' type arguments substituted.  It is flow-insensitive: a name bound to
different things in one scope is unknown (``None``), unless it is annotated,
which wins as it does for mypy.  No settings are read here: configured
judgements (name patterns, ...) stay with the callers.
"""

from __future__ import annotations

import ast
import builtins

from cachelint import catalogue, policy
from cachelint.analysis.index import ClassSymbol, FunctionSymbol, ModuleSymbol, ProjectIndex, VariableSymbol
from cachelint.analysis.knowledge import TYPE_ADAPTERS, Knowledge
from cachelint.analysis.scopes import REST, Binding, BindingKind, FileScopes, ItemPath, Scope
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


def _constant_index(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _constant_index(node.operand)
        return -inner if inner is not None else None
    return None


class TypeInference:
    """Types of the expressions of one file whose scopes are built (see :class:`FileScopes`)."""

    def __init__(self, scopes: FileScopes, knowledge: Knowledge) -> None:
        self.file_scopes = scopes
        self.module_scope = scopes.module_scope
        self.knowledge = knowledge
        self.index: ProjectIndex = knowledge.index
        self._types: dict[int, Ty | None] = {}
        self._names: dict[tuple[int, str], Ty | None] = {}
        self._in_progress: set[tuple[int, str]] = set()

    def name_type(self, name: str, scope: Scope) -> Ty | None:
        owner = self.file_scopes.lookup_scope(name, scope)
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

    def _bindings_type(self, bindings: list[Binding], scope: Scope) -> Ty | None:
        for binding in bindings:
            if binding.kind is BindingKind.ANNOTATED:
                return self.knowledge.resolver.resolve(binding.expr, scope)
        types: list[Ty | None] = [self._binding_type(binding, scope) for binding in bindings]
        first = types[0]
        if first is None or any(t != first for t in types[1:]):
            return None
        return first

    def _binding_type(self, binding: Binding, scope: Scope) -> Ty | None:
        kind, expr, qualname = binding.kind, binding.expr, binding.qualname
        if kind is BindingKind.SELF and qualname is not None:
            return Inst(qualname)
        if kind is BindingKind.CLS and qualname is not None:
            return ClassRef(qualname)
        if expr is not None:
            if kind is BindingKind.VALUE:
                return self.type_of(expr, scope)
            if kind is BindingKind.ITER:
                return element_type(self.type_of(expr, scope))
            if kind is BindingKind.ITEM:
                return self._unpacked(expr, None, binding.path, scope)
            if kind is BindingKind.ITER_ITEM:
                return self._unpacked(None, element_type(self.type_of(expr, scope)), binding.path, scope)
        if kind is BindingKind.IMPORT and qualname is not None:
            return self.symbol_type(qualname)
        if scope is self.module_scope:
            node = binding.node
            if kind is BindingKind.DEF and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return FuncRef(f"{scope.module.name}.{node.name}")
            if kind is BindingKind.CLASS and isinstance(node, ast.ClassDef):
                return ClassRef(f"{scope.module.name}.{node.name}")
        return None

    def _unpacked(self, value: ast.expr | None, ty: Ty | None, path: ItemPath, scope: Scope) -> Ty | None:
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
        if isinstance(symbol, ClassSymbol):
            return ClassRef(symbol.summary.qualname)
        if isinstance(symbol, FunctionSymbol):
            return FuncRef(symbol.summary.qualname)
        if isinstance(symbol, ModuleSymbol):
            return ModuleRef(symbol.module.name)
        if isinstance(symbol, VariableSymbol):
            return self.knowledge.resolver.resolve(symbol.expr, symbol.module)
        if isinstance(symbol.expr, (ast.Name, ast.Attribute)):  # an AliasSymbol: ``CM = CacheManager``
            target = symbol.module.qualify(symbol.expr)
            return None if target is None else self.symbol_type(target, depth + 1)
        return self.knowledge.module_value_type(symbol.expr, symbol.module)

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
        elif (
            isinstance(func, ast.Name)
            and func.id in _TYPED_BUILTINS
            and self.file_scopes.lookup_scope(func.id, scope) is None
        ):
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
            if node.args or node.keywords:  # ``Repository(User)``: arguments may fix type parameters
                args = self.knowledge.constructor_args(callee.qualname, node, lambda arg: self.type_of(arg, scope))
                return Inst(callee.qualname, args)
            return Inst(callee.qualname)
        if isinstance(callee, FuncRef):
            # An installed ``redis`` makes ``redis.from_url`` a function the index can read:
            # the catalogue still knows better what it returns.
            spelled = scope.qualify(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
            if spelled is not None and spelled in catalogue.FACTORIES:
                return Inst(catalogue.FACTORIES[spelled])
            function = self.index.function_symbol(callee.qualname)
            if function is not None:
                return self.knowledge.function_return(function.summary, function.module)
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
