"""One walk over a checked module's tree: the syntactic facts the type hooks need.

mypy nodes have no parent pointers, and a hook sees only the node it fires
for.  Whether a call is awaited or handed to ``asyncio.gather``, where a value
flows, which function encloses it, where a name is read -- all questions
about a node's surroundings -- are answered from one walk per module, made
lazily the first time a hook needs it and kept by node identity.

The walk reaches every expression: dict displays (their key/value pairs),
comprehension conditions, lambdas (mypy gives their body a ``return``),
f-strings (mypy turns them into ``str.format`` calls), ``match`` subjects,
patterns, guards and bodies.  It judges nothing: what a call does to a value
and which types are sinks are :mod:`cachelint.policy`'s to say.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

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
    ListExpr,
    MemberExpr,
    MypyFile,
    NameExpr,
    Node,
    RefExpr,
    Statement,
    StrExpr,
    TupleExpr,
    TypeInfo,
    Var,
    WithStmt,
)
from mypy.patterns import Pattern

from cachelint.policy import DICT_METHODS


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

    #: expression -> the ``await`` applied to it
    awaited: dict[int, AwaitExpr] = field(default_factory=dict)
    #: node -> its syntactic parent (expressions and statements)
    parent: dict[int, Node] = field(default_factory=dict)
    #: node -> the function (or lambda) it is in
    function: dict[int, FuncItem] = field(default_factory=dict)
    #: variable -> the places it is read (not assigned)
    reads: dict[int, list[NameExpr]] = field(default_factory=dict)
    #: names, members and subscripts that are assigned to
    stores: set[int] = field(default_factory=set)
    #: variable (or ``self.x`` attribute) -> every value bound to it in this module (None: a binding
    #: whose value is not one expression, such as a ``for`` target or an unpacking)
    bindings: dict[int, list[Expression | None]] = field(default_factory=dict)
    dict_accesses: list[DictAccess] = field(default_factory=list)
    #: ``AsyncMock(...)``-like calls (filtered by :mod:`.mocks`)
    mock_calls: list[CallExpr] = field(default_factory=list)
    #: ``patch.object(...)`` / ``mocker.patch.object(...)`` calls, and ``patch("dotted.name", ...)``
    patch_calls: list[CallExpr] = field(default_factory=list)
    #: calls of a method (``receiver.name(...)``), for receivers mypy could not resolve
    member_calls: list[CallExpr] = field(default_factory=list)
    #: fully qualified names of the classes the module constructs
    constructed: set[str] = field(default_factory=set)


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


def _nodes_in(value: object, depth: int = 0) -> Iterator[Node]:
    # Containers nest: a dict display's items are (key, value) pairs, a comprehension's
    # conditions a list per `for`, a match statement's guards may be None.
    if isinstance(value, Node):
        if _is_child(value):
            yield value
    elif isinstance(value, (list, tuple)) and depth < 3:
        for item in value:
            yield from _nodes_in(item, depth + 1)
    elif isinstance(value, dict) and depth < 3:
        for item in value.values():
            yield from _nodes_in(item, depth + 1)


#: Values of these types are never children: an attribute that holds one (a line, a name,
#: a flag) holds one on every node of its class, so it is not read again.
_SCALARS = (int, str, float)


def children(node: Node) -> Iterator[Node]:
    """The syntactic children of ``node`` (no symbol references, no analyzed duplicates)."""
    cls = type(node)
    scalars: list[str] = []
    for name in _child_attrs(cls):
        try:
            value = getattr(node, name)
        except Exception:  # noqa: BLE001, S112 - a computed property asserting on this node's state
            continue
        if isinstance(value, _SCALARS):
            scalars.append(name)
            continue
        yield from _nodes_in(value)
    if scalars:
        _CHILD_ATTRS[cls] = tuple(name for name in _CHILD_ATTRS[cls] if name not in scalars)


def walk_nodes(root: Node) -> Iterator[Node]:
    """Every node under ``root`` (``root`` included), depth first."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(children(node))))


def is_mock_factory(call: CallExpr) -> bool:
    """``AsyncMock(...)``, ``mock.AsyncMock(...)``, ``mocker.AsyncMock(...)`` as written (spec not judged)."""
    callee = call.callee
    if isinstance(callee, NameExpr):
        return callee.name == "AsyncMock" or callee.fullname.endswith(".AsyncMock")
    return isinstance(callee, MemberExpr) and callee.name == "AsyncMock"


def _names_patch(expr: Expression) -> bool:
    return (isinstance(expr, NameExpr) and expr.name == "patch") or (
        isinstance(expr, MemberExpr) and expr.name == "patch"
    )


class _Walker:
    def __init__(self) -> None:
        self.facts = ModuleFacts()

    def run(self, tree: MypyFile) -> None:
        facts = self.facts
        stack: list[tuple[Node, Node | None, FuncItem | None]] = [(stmt, None, None) for stmt in reversed(tree.defs)]
        while stack:
            node, parent, function = stack.pop()
            key = id(node)
            if parent is not None:
                facts.parent[key] = parent
            if function is not None:
                facts.function[key] = function
            self._visit(node)
            inner = node if isinstance(node, FuncItem) else function
            kids = list(children(node))
            stack.extend((kid, node, inner) for kid in reversed(kids))

    def _store(self, target: Expression, value: Expression | None = None) -> None:
        self.facts.stores.add(id(target))
        if isinstance(target, (NameExpr, MemberExpr)) and isinstance(target.node, Var):
            self.facts.bindings.setdefault(id(target.node), []).append(value)
        if isinstance(target, (TupleExpr, ListExpr)):
            for item in target.items:
                self._store(item)

    def _visit(self, node: Node) -> None:
        facts = self.facts
        if isinstance(node, NameExpr):
            if isinstance(node.node, Var) and id(node) not in facts.stores:
                facts.reads.setdefault(id(node.node), []).append(node)
        elif isinstance(node, AwaitExpr):
            facts.awaited[id(node.expr)] = node
        elif isinstance(node, AssignmentStmt):
            for lvalue in node.lvalues:
                self._store(lvalue, node.rvalue)
        elif isinstance(node, AssignmentExpr):
            self._store(node.target, node.value)
        elif isinstance(node, ForStmt):
            self._store(node.index)
        elif isinstance(node, WithStmt):
            for target in node.target:
                if target is not None:
                    self._store(target)
        elif isinstance(node, (GeneratorExpr, DictionaryComprehension)):
            for index in node.indices:
                self._store(index)
        elif isinstance(node, IndexExpr):
            store = id(node) in facts.stores
            facts.dict_accesses.append(
                DictAccess(node, node.base, "__setitem__" if store else "__getitem__", node.index)
            )
        elif isinstance(node, CallExpr):
            callee = node.callee
            if isinstance(callee, RefExpr) and isinstance(callee.node, TypeInfo):
                facts.constructed.add(callee.node.fullname)
            if isinstance(callee, MemberExpr):
                facts.member_calls.append(node)
            if isinstance(callee, MemberExpr) and callee.name in DICT_METHODS:
                key = node.args[0] if node.args else None
                facts.dict_accesses.append(DictAccess(node, callee.expr, callee.name, key))
            if is_mock_factory(node):
                facts.mock_calls.append(node)
            elif isinstance(callee, MemberExpr) and callee.name == "object" and _names_patch(callee.expr):
                facts.patch_calls.append(node)
            elif _names_patch(callee) and node.args and isinstance(node.args[0], StrExpr):
                facts.patch_calls.append(node)


def walk(tree: MypyFile) -> ModuleFacts:
    """Index ``tree`` (see the module docstring)."""
    walker = _Walker()
    walker.run(tree)
    return walker.facts
