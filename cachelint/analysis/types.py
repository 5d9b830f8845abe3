"""The engine's small vocabulary of static types, and how annotations become them.

Only what the rules need is modelled: instances of named classes (with type
arguments), class objects, modules, functions, unions, ``Any``, type
variables (substituted through generic classes, see :func:`substitute`), and
the special :class:`Untyped` marker for a value read from a cache whose
``get`` is untyped.  Anything else is ``None``: *unknown*, which every rule
treats as "do not report".
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from cachelint.analysis.index import AliasSymbol, ClassSymbol

if TYPE_CHECKING:
    from cachelint.analysis.index import ProjectIndex


class Namespace(Protocol):
    """Where an annotation is written: anything that can qualify a name (a module, a scope)."""

    def qualify(self, node: ast.expr) -> str | None: ...


@dataclass(frozen=True)
class ClassNamespace:
    """A class body's namespace: its module's names plus its PEP 695 type parameters."""

    module: Namespace
    type_params: Mapping[str, TypeVarT]

    def qualify(self, node: ast.expr) -> str | None:
        return self.module.qualify(node)


@dataclass(frozen=True)
class Inst:
    """An instance of the class ``qualname`` (``builtins.list`` with ``args=(M,)`` for ``list[M]``)."""

    qualname: str
    args: tuple[Ty, ...] = ()


@dataclass(frozen=True)
class ClassRef:
    """The class object itself (``CacheManager`` as a value, or ``type[CacheManager]``)."""

    qualname: str


@dataclass(frozen=True)
class ModuleRef:
    name: str


@dataclass(frozen=True)
class FuncRef:
    """A function or method object whose definition the index knows."""

    qualname: str


@dataclass(frozen=True)
class TypeVarT:
    """A type variable (``T = TypeVar("T")``, PEP 695 ``class C[T]``, ``typing.Self``).

    It stands for the type argument a generic class or a receiver supplies;
    :func:`substitute` replaces it.  Left unsubstituted, no rule takes it for
    a class: it is as good as unknown, except to a rule that asks about it.
    """

    qualname: str
    bound: Ty | None = None


@dataclass(frozen=True)
class UnionT:
    items: tuple[Ty, ...]


@dataclass(frozen=True)
class Untyped:
    """A value read from a synchronous cache whose ``get`` returns ``Any``/nothing declared."""

    cls: str
    method: str
    line: int
    col: int


Ty = Inst | ClassRef | ModuleRef | FuncRef | UnionT | Untyped | TypeVarT

NONE = Inst("builtins.None")
ANY = Inst("typing.Any")
#: ``typing.Self``: substituted by the receiver of the method that returns it.
SELF = TypeVarT("typing.Self")
_SELF_NAMES = frozenset({"typing.Self", "typing_extensions.Self"})
TYPEVAR_FACTORIES = frozenset({"typing.TypeVar", "typing_extensions.TypeVar"})

# Generic aliases folded onto one spelling so rules can ask "is this a list?".
CANONICAL = {
    "typing.List": "builtins.list",
    "typing.Dict": "builtins.dict",
    "typing.Set": "builtins.set",
    "typing.FrozenSet": "builtins.frozenset",
    "typing.Tuple": "builtins.tuple",
    "typing.Type": "builtins.type",
    "typing.Sequence": "collections.abc.Sequence",
    "typing.MutableSequence": "collections.abc.MutableSequence",
    "typing.Iterable": "collections.abc.Iterable",
    "typing.Iterator": "collections.abc.Iterator",
    "typing.Collection": "collections.abc.Collection",
    "typing.Mapping": "collections.abc.Mapping",
    "typing.MutableMapping": "collections.abc.MutableMapping",
    "typing.Awaitable": "collections.abc.Awaitable",
    "typing.Coroutine": "collections.abc.Coroutine",
    "typing_extensions.Any": "typing.Any",
    "builtins.object": "builtins.object",
    "typing.DefaultDict": "builtins.dict",
    "typing.OrderedDict": "builtins.dict",
    "collections.defaultdict": "builtins.dict",
    "collections.OrderedDict": "builtins.dict",
    "typing.Deque": "collections.deque",
    "typing.AbstractSet": "collections.abc.Set",
    "typing.ItemsView": "collections.abc.ItemsView",
    "typing.KeysView": "collections.abc.KeysView",
    "typing.ValuesView": "collections.abc.ValuesView",
    "typing.Generator": "collections.abc.Generator",
    "typing.AsyncIterator": "collections.abc.AsyncIterator",
    "typing.AsyncIterable": "collections.abc.AsyncIterable",
    "typing_extensions.Self": "typing.Self",
}
ITERABLES = frozenset(
    {
        "builtins.list",
        "builtins.set",
        "builtins.frozenset",
        "collections.abc.Sequence",
        "collections.abc.MutableSequence",
        "collections.abc.Iterable",
        "collections.abc.Iterator",
        "collections.abc.Collection",
        "collections.abc.Set",
        "collections.abc.KeysView",
        "collections.abc.ValuesView",
        "collections.abc.Generator",
        "collections.deque",
    }
)
MAPPINGS = frozenset({"builtins.dict", "collections.abc.Mapping", "collections.abc.MutableMapping"})
AWAITABLES = frozenset(
    {
        "collections.abc.Awaitable",
        "collections.abc.Coroutine",
        "asyncio.Future",
        "asyncio.futures.Future",
        "asyncio.Task",
        "asyncio.tasks.Task",
    }
)
_UNWRAP_FIRST = frozenset(
    {
        "typing.Annotated",
        "typing_extensions.Annotated",
        "typing.ClassVar",
        "typing.Final",
        "typing_extensions.Final",
        "typing.Required",
        "typing.NotRequired",
        "typing_extensions.Required",
        "typing_extensions.NotRequired",
        "typing.ReadOnly",
        "typing_extensions.ReadOnly",
    }
)
_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_UNION = frozenset({"typing.Union", "typing_extensions.Union"})
_MAX_DEPTH = 12


def canonical(qualname: str) -> str:
    return CANONICAL.get(qualname, qualname)


def make_union(items: list[Ty]) -> Ty | None:
    """A union of the given types, flattened and de-duplicated; one item is itself."""
    flat: list[Ty] = []
    for item in items:
        for member in item.items if isinstance(item, UnionT) else (item,):
            if member not in flat:
                flat.append(member)
    if not flat:
        return None
    if len(flat) == 1:
        return flat[0]
    return UnionT(tuple(flat))


def without_none(ty: Ty | None) -> Ty | None:
    """``X | None`` -> ``X``; a union of several non-None members stays a union."""
    if isinstance(ty, UnionT):
        rest = [item for item in ty.items if item != NONE]
        return make_union(rest)
    return ty


def element_type(ty: Ty | None) -> Ty | None:
    """What iterating a value of this type yields, when the engine knows it."""
    ty = without_none(ty)
    if isinstance(ty, Inst):
        if ty.qualname in ITERABLES and ty.args:
            return ty.args[0]  # Generator[Y, S, R] yields Y
        if ty.qualname in MAPPINGS and len(ty.args) == 2:
            return ty.args[0]
        if ty.qualname == "collections.abc.ItemsView" and len(ty.args) == 2:
            return Inst("builtins.tuple", ty.args)
        if ty.qualname == "builtins.tuple" and len(ty.args) == 2 and ty.args[1] == Inst("builtins.Ellipsis"):
            return ty.args[0]
    return None


def item_type(ty: Ty | None, index: int) -> Ty | None:
    """The ``index``-th item of a tuple type (``tuple[A, B]``, ``tuple[A, ...]``), if known."""
    ty = without_none(ty)
    if not isinstance(ty, Inst) or ty.qualname != "builtins.tuple" or not ty.args:
        return None
    if len(ty.args) == 2 and ty.args[1] == Inst("builtins.Ellipsis"):
        return ty.args[0]
    if -len(ty.args) <= index < len(ty.args):
        return ty.args[index]
    return None


def join(items: list[Ty | None]) -> Ty | None:
    """The type of a value that is one of ``items`` (``a if c else b``): unknown if any is."""
    if any(item is None for item in items):
        return None
    return make_union([item for item in items if item is not None])


def substitute(ty: Ty | None, mapping: Mapping[str, Ty], depth: int = 0) -> Ty | None:
    """``ty`` with every type variable that ``mapping`` binds replaced by its argument."""
    if ty is None or not mapping or depth > _MAX_DEPTH:
        return ty
    if isinstance(ty, TypeVarT):
        return mapping.get(ty.qualname, ty)
    if isinstance(ty, Inst) and ty.args:
        args = tuple(substitute(arg, mapping, depth + 1) or ANY for arg in ty.args)
        return Inst(ty.qualname, args)
    if isinstance(ty, UnionT):
        members = [substitute(item, mapping, depth + 1) for item in ty.items]
        return join(members)
    return ty


def type_vars(ty: Ty | None, out: list[TypeVarT] | None = None) -> list[TypeVarT]:
    """The type variables in ``ty``, in order of first appearance (a class's implicit parameters)."""
    found: list[TypeVarT] = [] if out is None else out
    if isinstance(ty, TypeVarT) and ty != SELF:
        if ty not in found:
            found.append(ty)
    elif isinstance(ty, Inst):
        for arg in ty.args:
            type_vars(arg, found)
    elif isinstance(ty, UnionT):
        for item in ty.items:
            type_vars(item, found)
    return found


def is_awaitable(ty: Ty | None) -> bool:
    """True when the type is, or may be, something ``await`` accepts."""
    if isinstance(ty, UnionT):
        return any(is_awaitable(item) for item in ty.items)
    return isinstance(ty, Inst) and ty.qualname in AWAITABLES


def is_untyped(ty: Ty | None) -> bool:
    """``Any``, ``object``, ``Any | None``: a ``get`` returning this hands back unchecked data."""
    ty = without_none(ty)
    return ty == ANY or ty == Inst("builtins.object")


class AnnotationResolver:
    """Turns annotation expressions written in one module into :data:`Ty` values."""

    def __init__(self, index: ProjectIndex) -> None:
        self._index = index

    def resolve(self, node: ast.expr | None, module: Namespace, depth: int = 0) -> Ty | None:
        if node is None or depth > _MAX_DEPTH:
            return None
        try:
            return self._resolve(node, module, depth)
        except RecursionError:  # pathological annotations: unknown, never a crash
            return None

    def _resolve(self, node: ast.expr, module: Namespace, depth: int) -> Ty | None:
        if isinstance(node, ast.Constant):
            if node.value is None:
                return NONE
            if node.value is Ellipsis:
                return Inst("builtins.Ellipsis")
            if isinstance(node.value, str):
                try:
                    parsed = ast.parse(node.value.strip(), mode="eval")
                except (SyntaxError, ValueError):
                    return None
                return self.resolve(parsed.body, module, depth + 1)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            left = self.resolve(node.left, module, depth + 1)
            right = self.resolve(node.right, module, depth + 1)
            if left is None or right is None:
                return None
            return make_union([left, right])
        if isinstance(node, (ast.Name, ast.Attribute)):
            if isinstance(node, ast.Name) and isinstance(module, ClassNamespace) and node.id in module.type_params:
                return module.type_params[node.id]
            qualname = module.qualify(node)
            if qualname is None:
                return None
            return self._named(qualname, depth)
        if isinstance(node, ast.Subscript):
            base = module.qualify(node.value) if isinstance(node.value, (ast.Name, ast.Attribute)) else None
            if base is None:
                return None
            base = canonical(self._index.canonical_name(base))
            elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            if base in _UNWRAP_FIRST:
                return self.resolve(elts[0], module, depth + 1) if elts else None
            if base in _OPTIONAL:
                inner = self.resolve(elts[0], module, depth + 1)
                return None if inner is None else make_union([inner, NONE])
            if base in _UNION:
                members = [self.resolve(elt, module, depth + 1) for elt in elts]
                if any(member is None for member in members):
                    return None
                return make_union([m for m in members if m is not None])
            if base == "builtins.type":
                inner = self.resolve(elts[0], module, depth + 1)
                return ClassRef(inner.qualname) if isinstance(inner, Inst) else None
            args: list[Ty] = []
            for elt in elts:
                arg = self.resolve(elt, module, depth + 1)
                args.append(arg if arg is not None else ANY)
            return Inst(base, tuple(args))
        return None

    def _named(self, qualname: str, depth: int) -> Ty | None:
        qualname = canonical(self._index.canonical_name(qualname))
        if qualname in ("typing.Any", "typing_extensions.Any"):
            return ANY
        if qualname == "builtins.None":
            return NONE
        if qualname in _SELF_NAMES:
            return SELF
        symbol = self._index.lookup(qualname)
        if symbol is None:
            # Outside the project: a class we cannot see (pydantic.BaseModel, ...).
            return Inst(qualname)
        if isinstance(symbol, ClassSymbol):
            return Inst(qualname)
        if isinstance(symbol, AliasSymbol):
            # `PatternList = list[PatternAnalysis]`, `CM = CacheManager`, `T = TypeVar("T")`;
            # any other call is not a type the engine can use.
            if isinstance(symbol.expr, ast.Call):
                return self._type_var(qualname, symbol.expr, symbol.module, depth)
            return self.resolve(symbol.expr, symbol.module, depth + 1)
        return None

    def _type_var(self, qualname: str, call: ast.Call, module: Namespace, depth: int) -> TypeVarT | None:
        factory = module.qualify(call.func) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
        if factory is None or canonical(self._index.canonical_name(factory)) not in TYPEVAR_FACTORIES:
            return None
        bound: Ty | None = None
        for keyword in call.keywords:
            if keyword.arg == "bound":
                bound = self.resolve(keyword.value, module, depth + 1)
        return TypeVarT(qualname, bound)
