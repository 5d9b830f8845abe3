"""One walk over a checked module's tree: the syntactic facts the type hooks need.

mypy nodes have no parent pointers, and a method hook sees only the call it
fires for.  Whether that call is awaited, which name its result is bound to,
where that name is used and whether it is validated are all questions about
the call's surroundings, so each module is walked once, lazily, the first
time a hook needs it, and the answers are kept by node identity.

The notion of a *use* of a cached value, of a validator and of a harmless
call mirrors :mod:`cachelint.analysis.checks.retrieval`, so the two engines
report CLT103 on the same lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mypy.nodes import (
    Argument,
    AssignmentExpr,
    AssignmentStmt,
    AwaitExpr,
    Block,
    CallExpr,
    DictionaryComprehension,
    Expression,
    ForStmt,
    FuncItem,
    GeneratorExpr,
    IndexExpr,
    MemberExpr,
    MypyFile,
    NameExpr,
    Node,
    RefExpr,
    ReturnStmt,
    Statement,
    TypeInfo,
    Var,
    YieldExpr,
    YieldFromExpr,
)
from mypy.patterns import Pattern

from cachelint.vocabulary import DICT_METHODS, LOG_METHODS, VALIDATOR_METHODS
from cachelint.vocabulary import HARMLESS_CALLS as _HARMLESS_CALLS

# reveal_type/reveal_locals exist only for mypy: inspecting, not using.
HARMLESS_CALLS = _HARMLESS_CALLS | {"reveal_type", "reveal_locals"}


@dataclass(frozen=True)
class Use:
    """An expression used in a way that needs a validated value.

    ``what`` is the catalog's wording (``returned``, ``attribute-accessed
    (.x)``...); for a call argument it is None and ``callee`` is the call's
    callee, so the message can quote its source.
    """

    node: Expression
    what: str | None
    function: FuncItem | None
    callee: Expression | None = None


@dataclass(frozen=True)
class DictAccess:
    """A dict-style access (``.get()``, ``[key]``...) whose receiver may turn out to be a model."""

    site: Expression
    receiver: Expression
    attribute: str  # the method name, or __getitem__ / __setitem__
    key: Expression | None


@dataclass
class ModuleFacts:
    """What :class:`_Walker` found in one module, keyed by ``id()`` of mypy nodes."""

    awaited: dict[int, AwaitExpr] = field(default_factory=dict)
    bound_to: dict[int, list[NameExpr]] = field(default_factory=dict)
    uses: dict[int, Use] = field(default_factory=dict)
    name_uses: dict[int, list[Use]] = field(default_factory=dict)
    validated: set[int] = field(default_factory=set)
    dict_accesses: list[DictAccess] = field(default_factory=list)


def callee_name(callee: Expression) -> str | None:
    if isinstance(callee, NameExpr):
        return callee.name
    if isinstance(callee, MemberExpr):
        return callee.name
    return None


_NOT_CHILDREN = frozenset(
    {
        # references to definitions elsewhere, or second views of the same code
        "node",
        "def_var",
        "info",
        "analyzed",
        "expanded",
        "original_def",
        "imports",
        "original_decorators",
        "unanalyzed_items",
        "variable",
        "var",
        "names",
        "removed_statements",
        "removed_base_type_exprs",
        "type_args",
        "def_or_infer_vars",
    }
)
_CHILD_ATTRS: dict[type, tuple[str, ...]] = {}


def _child_attrs(cls: type) -> tuple[str, ...]:
    # mypy's compiled node classes expose their fields as descriptors, not __slots__.
    found = _CHILD_ATTRS.get(cls)
    if found is None:
        names: list[str] = []
        for klass in cls.__mro__:
            for name, value in vars(klass).items():
                if (
                    type(value).__name__ in ("getset_descriptor", "member_descriptor")
                    and not name.startswith("_")
                    and name not in _NOT_CHILDREN
                    and name not in names
                ):
                    names.append(name)
        found = _CHILD_ATTRS[cls] = tuple(names)
    return found


def _is_child(value: object) -> bool:
    return isinstance(value, (Expression, Statement, Block, Argument, Pattern)) and not isinstance(
        value, (Var, TypeInfo)
    )


def children(node: Node) -> Iterator[Node]:
    """The syntactic children of ``node`` (no symbol references, no analyzed duplicates)."""
    for name in _child_attrs(type(node)):
        try:
            value = getattr(node, name)
        except Exception:  # noqa: BLE001, S112 - a computed property asserting on this node's state
            continue
        if isinstance(value, Node):
            if _is_child(value):
                yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, Node) and _is_child(item):
                    yield item
        elif isinstance(value, dict):
            for item in value.values():
                if isinstance(item, Node) and _is_child(item):
                    yield item


class _Walker:
    def __init__(
        self, is_validator_class: Callable[[TypeInfo], bool], validators: tuple[str, ...], handback: frozenset[str]
    ) -> None:
        self.facts = ModuleFacts()
        self._is_validator_class = is_validator_class
        self._validators = validators
        self._handback = handback
        self._function: FuncItem | None = None
        self._stores: set[int] = set()
        self._handlers: dict[type, Callable[[Any], None]] = {
            AwaitExpr: self._await,
            AssignmentStmt: self._assignment,
            AssignmentExpr: self._walrus,
            ReturnStmt: self._return,
            YieldExpr: self._yield,
            YieldFromExpr: self._yield_from,
            MemberExpr: self._member,
            IndexExpr: self._index,
            ForStmt: self._for,
            GeneratorExpr: self._comprehension,
            DictionaryComprehension: self._comprehension,
            CallExpr: self._call,
        }

    def run(self, tree: MypyFile) -> None:
        stack: list[tuple[Node, FuncItem | None]] = [(stmt, None) for stmt in reversed(tree.defs)]
        while stack:
            node, function = stack.pop()
            self._function = function
            handler = self._handlers.get(type(node))
            if handler is not None:
                handler(node)
            inner = node if isinstance(node, FuncItem) else function
            kids = list(children(node))
            stack.extend((kid, inner) for kid in reversed(kids))

    # --- bookkeeping --------------------------------------------------------

    def _use(self, expr: Expression, what: str | None, callee: Expression | None = None) -> None:
        if isinstance(expr, NameExpr):
            if isinstance(expr.node, Var):
                use = Use(expr, what, self._function, callee)
                self.facts.name_uses.setdefault(id(expr.node), []).append(use)
        elif isinstance(expr, (CallExpr, AwaitExpr)):
            self.facts.uses[id(expr)] = Use(expr, what, self._function, callee)

    def _bind(self, value: Expression, target: Expression) -> None:
        if isinstance(target, NameExpr) and isinstance(target.node, Var) and isinstance(value, (CallExpr, AwaitExpr)):
            self.facts.bound_to.setdefault(id(value), []).append(target)

    def _is_validator(self, call: CallExpr) -> bool:
        name = callee_name(call.callee)
        if name in VALIDATOR_METHODS or name == "isinstance":
            return True
        if isinstance(call.callee, RefExpr):
            fullname = call.callee.fullname
            if any(entry == name or entry == fullname for entry in self._validators):
                return True
            if isinstance(call.callee.node, TypeInfo) and self._is_validator_class(call.callee.node):
                return True
        elif name is not None and name in self._validators:
            return True
        return False

    def _is_harmless(self, call: CallExpr) -> bool:
        callee = call.callee
        if isinstance(callee, NameExpr) and callee.name in HARMLESS_CALLS:
            return True
        if isinstance(callee, MemberExpr):
            if callee.name in LOG_METHODS or callee.name in self._handback:
                return True
            if isinstance(callee.expr, NameExpr) and callee.expr.name == "json" and callee.name in ("dumps", "dump"):
                return True
        return False

    # --- handlers -----------------------------------------------------------

    def _await(self, o: AwaitExpr) -> None:
        self.facts.awaited[id(o.expr)] = o

    def _assignment(self, o: AssignmentStmt) -> None:
        for lvalue in o.lvalues:
            self._bind(o.rvalue, lvalue)
            if isinstance(lvalue, IndexExpr):
                self._stores.add(id(lvalue))
        if o.unanalyzed_type is not None and not o.is_alias_def:
            self._use(o.rvalue, "assigned to an annotated target")

    def _walrus(self, o: AssignmentExpr) -> None:
        self._bind(o.value, o.target)

    def _return(self, o: ReturnStmt) -> None:
        if o.expr is not None:
            self._use(o.expr, "returned")

    def _yield(self, o: YieldExpr) -> None:
        if o.expr is not None:
            self._use(o.expr, "yielded")

    def _yield_from(self, o: YieldFromExpr) -> None:
        self._use(o.expr, "yielded")

    def _member(self, o: MemberExpr) -> None:
        self._use(o.expr, f"attribute-accessed (.{o.name})")

    def _index(self, o: IndexExpr) -> None:
        self._use(o.base, "subscripted")
        store = id(o) in self._stores
        self.facts.dict_accesses.append(DictAccess(o, o.base, "__setitem__" if store else "__getitem__", o.index))

    def _for(self, o: ForStmt) -> None:
        self._use(o.expr, "iterated")

    def _comprehension(self, o: GeneratorExpr | DictionaryComprehension) -> None:
        for sequence in o.sequences:
            self._use(sequence, "iterated")

    def _call(self, o: CallExpr) -> None:
        if self._is_validator(o):
            for arg in o.args:
                if isinstance(arg, NameExpr) and isinstance(arg.node, Var):
                    self.facts.validated.add(id(arg.node))
        elif not self._is_harmless(o):
            for arg in o.args:
                self._use(arg, None, o.callee)
        callee = o.callee
        if isinstance(callee, MemberExpr) and callee.name in DICT_METHODS:
            key = o.args[0] if o.args else None
            self.facts.dict_accesses.append(DictAccess(o, callee.expr, callee.name, key))


def walk(
    tree: MypyFile,
    *,
    is_validator_class: Callable[[TypeInfo], bool],
    validators: tuple[str, ...],
    handback: frozenset[str],
) -> ModuleFacts:
    """Index ``tree``.  ``is_validator_class`` says whether ``Cls(**value)`` validates
    (Pydantic models); ``handback`` are method names that hand a value back to a cache."""
    walker = _Walker(is_validator_class, validators, handback)
    walker.run(tree)
    return walker.facts
