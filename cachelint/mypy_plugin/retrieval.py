"""CLT103 untyped-cache-retrieval: an unvalidated cached value reaching a typed sink.

The method hook of a sync cache ``get`` whose result is ``Any`` records the
call (:class:`Source`); once mypy has type checked the module, every source
is followed through its function, and every *typed sink* it reaches is
reported -- the same definition as the ``ast`` engine, judged by the same
policy functions (:func:`policy.typed_sink`, :func:`policy.call_role`,
:func:`policy.attribute_is_sink`, :func:`policy.constructor_validates`):

- sinks: returned or yielded under a structured declared type, passed to a
  parameter so declared, assigned to a target so annotated, spread into a
  constructor that does not validate, ``cast`` to a structured type, an
  attribute that is no method of the builtin container and string types;
- the value flows on through names, ``or`` / ``if``-``else``, subscripts,
  decoders (``json.loads``, ``.decode()``) and pass-through calls;
- validation is per path, and mypy's own narrowing says which: a read of a
  name whose type mypy narrowed to something other than ``Any``, ``object``
  or a raw builtin container (``isinstance`` against a model, a rebinding to
  ``Model.model_validate(...)``) no longer holds the raw value.

With ``strict-retrievals`` on, :mod:`.calls` also types the value ``object``,
so mypy itself rejects what this check cannot follow (other functions,
containers).
"""

from __future__ import annotations

from mypy.checker import TypeChecker
from mypy.nodes import (
    ARG_STAR,
    ARG_STAR2,
    FUNC_NO_INFO,
    AssignmentExpr,
    AssignmentStmt,
    CallExpr,
    CastExpr,
    ConditionalExpr,
    Expression,
    FuncDef,
    FuncItem,
    IndexExpr,
    MemberExpr,
    MypyFile,
    NameExpr,
    OpExpr,
    RefExpr,
    ReturnStmt,
    TypeInfo,
    Var,
    YieldExpr,
)
from mypy.types import (
    AnyType,
    CallableType,
    Instance,
    NoneType,
    Type,
    UnionType,
    get_proper_type,
)

from cachelint import policy
from cachelint.mypy_plugin import codes
from cachelint.mypy_plugin.callee import formal_type
from cachelint.mypy_plugin.state import RunState, Source
from cachelint.mypy_plugin.syntax import ModuleFacts
from cachelint.mypy_plugin.unresolved import imported_name
from cachelint.rules import BY_CODE

#: Builtin types a raw cached value may be narrowed to without being validated.
_RAW = frozenset(
    {
        "builtins.object",
        "builtins.dict",
        "builtins.list",
        "builtins.tuple",
        "builtins.set",
        "builtins.str",
        "builtins.bytes",
        "builtins.bytearray",
        "builtins.int",
        "builtins.float",
        "builtins.bool",
    }
)
_GETTERS = frozenset({"get"})


def declared_return(function: FuncItem | None) -> Type | None:
    """What ``function`` declares it returns (a coroutine's result for ``async def``)."""
    if function is None or not isinstance(function.type, CallableType):
        return None
    returned: Type = function.type.ret_type
    proper = get_proper_type(returned)
    if function.is_coroutine and isinstance(proper, Instance) and proper.type.fullname == "typing.Coroutine":
        if len(proper.args) == 3:
            returned = proper.args[2]
    return returned


def _unvalidated(typ: Type | None) -> bool:
    """Whether a read typed ``typ`` may still hold the raw value (see the module docstring)."""
    if typ is None:
        return True
    proper = get_proper_type(typ)
    if isinstance(proper, AnyType):
        return True
    if isinstance(proper, UnionType):
        members = [get_proper_type(item) for item in proper.items]
        return all(isinstance(item, NoneType) or _unvalidated(item) for item in members)
    return isinstance(proper, Instance) and proper.type.fullname in _RAW


def _callee_fullname(callee: Expression) -> str | None:
    if isinstance(callee, RefExpr) and callee.fullname:
        return callee.fullname
    return None


def _written_name(state: RunState, callee: Expression) -> str | None:
    """``module.attr`` as written, when ``module`` names a module (resolved or not): typeshed
    defines ``pickle.loads`` in ``_pickle``, and an unresolved ``orjson`` has no definitions
    (mypy names it by the importing module: the import statement gives the name)."""
    if isinstance(callee, MemberExpr) and isinstance(callee.expr, NameExpr):
        target = callee.expr.node
        if isinstance(target, MypyFile):
            return f"{callee.expr.fullname}.{callee.name}"
        if isinstance(target, Var) and target.is_suppressed_import:
            return f"{imported_name(state, callee.expr.fullname)}.{callee.name}"
    return None


class _Tracker:
    """Follows the sources of one module and reports each sink once."""

    def __init__(self, state: RunState, checker: TypeChecker, tree: MypyFile, own: bool) -> None:
        self.state = state
        self.checker = checker
        self.facts: ModuleFacts = state.facts(tree)
        self.path = tree.path
        self.own = own
        self.reported: set[tuple[int, int]] = set()
        self.followed: set[int] = set()

    def type_of(self, expr: Expression) -> Type | None:
        return self.checker.lookup_type_or_none(expr) if self.own else None

    # -- flow ------------------------------------------------------------------

    def follow(
        self, expr: Expression, source: Source, shown: str, depth: int = 0, at: Expression | None = None
    ) -> None:
        """Report every sink the raw value held by ``expr`` reaches from where it stands
        (at ``at`` when given: the raw operand of a join)."""
        if depth > 12:
            return
        node = at or expr
        facts = self.facts
        parent = facts.parent.get(id(expr))
        function = facts.function.get(id(expr))
        if isinstance(parent, OpExpr) and parent.op in ("or", "and"):
            self.follow_as(parent, expr, source, shown, depth)
        elif isinstance(parent, ConditionalExpr) and expr is not parent.cond:
            self.follow_as(parent, expr, source, shown, depth)
        elif isinstance(parent, IndexExpr) and expr is parent.base and id(parent) not in facts.stores:
            self.follow(parent, source, shown, depth + 1)  # subscripting raw data keeps it raw
        elif isinstance(parent, MemberExpr) and parent.expr is expr and id(parent) not in facts.stores:
            self.member(parent, node, source, shown, depth)
        elif isinstance(parent, CallExpr) and expr is not parent.callee:
            self.argument(parent, expr, node, source, shown, depth)
        elif isinstance(parent, ReturnStmt) and function is not None:
            typevars = function.name in _GETTERS and self.in_cache_class(function)
            sink = self.state.oracle.sink(declared_return(function), typevars=typevars)
            if sink is not None:
                self.report(node, source, shown, "returned", sink)
        elif isinstance(parent, YieldExpr) and function is not None:
            element = policy.yielded_type(self.state.oracle.type_facts(declared_return(function)))
            sink = policy.typed_sink(element, extra_model_bases=self.state.settings.extra_model_bases)
            if sink is not None:
                self.report(node, source, shown, "yielded", sink)
        elif isinstance(parent, AssignmentStmt) and parent.rvalue is expr:
            self.assigned(parent, node, source, shown, depth)
        elif isinstance(parent, AssignmentExpr) and parent.value is expr:
            self.bind(parent.target, source, depth)
            self.follow(parent, source, shown, depth + 1)

    def follow_as(self, join: Expression, operand: Expression, source: Source, shown: str, depth: int) -> None:
        # `raw or default`, `raw if c else other`: the join carries the raw value on; a sink
        # it meets is reported at the raw operand, where the reader sees the value.
        self.follow(join, source, shown, depth + 1, at=operand)

    def in_cache_class(self, function: FuncItem) -> bool:
        """A method of a cache class: its ``get -> T | None`` promises its type parameter."""
        if not isinstance(function, FuncDef) or function.info is FUNC_NO_INFO:
            return False
        return self.state.oracle.cache_kind(function.info) is not None

    def member(self, member: MemberExpr, expr: Expression, source: Source, shown: str, depth: int) -> None:
        call = self.facts.parent.get(id(member))
        is_call = isinstance(call, CallExpr) and call.callee is member
        if is_call and member.name in policy.PASS_THROUGH_METHODS:
            assert isinstance(call, CallExpr)
            self.follow(call, source, shown, depth + 1)  # raw.decode(), raw.get("x"): still raw
            return
        if policy.attribute_is_sink(member.name):
            what = f"attribute-accessed (.{member.name}{'()' if is_call else ''})"
            self.report(expr, source, shown, what, None)

    def argument(
        self, call: CallExpr, expr: Expression, node: Expression, source: Source, shown: str, depth: int
    ) -> None:
        callee = call.callee
        method = callee.name if isinstance(callee, MemberExpr) else None
        validators = self.state.settings.validators
        role = policy.call_role(_callee_fullname(callee), method, validators=validators)
        written = _written_name(self.state, callee) if role is None else None
        if written is not None:
            role = policy.call_role(written, method, validators=validators)
        if role in ("decode", "pass"):
            self.follow(call, source, shown, depth + 1)
            return
        if role == "cast" and isinstance(call.analyzed, CastExpr):
            sink = self.state.oracle.sink(call.analyzed.type)
            if sink is not None:
                self.report(node, source, shown, f"cast to {sink.name}", sink)
            else:
                self.follow(call, source, shown, depth + 1)  # cast(list[Any], raw): still raw
            return
        if role is not None:
            return  # validate, coerce, inspect, log: no use
        index = next(i for i, arg in enumerate(call.args) if arg is expr)
        kind = call.arg_kinds[index]
        constructed = self.constructed(callee)
        validates = constructed is not None and self.validates(callee, constructed)
        if isinstance(callee, MemberExpr) and callee.name in policy.NON_VALIDATING_CONSTRUCTORS:
            kind = ARG_STAR2  # `Pair._make(raw)`, `M.model_construct(**raw)`: stored unchecked
        if kind == ARG_STAR2 or kind == ARG_STAR:
            if constructed is not None and not validates:
                sink = self.state.oracle.sink(Instance(constructed, []))
                if sink is not None:
                    what = f"spread into {self.state.sources.text(self.path, callee)}(), which does not validate"
                    self.report(node, source, shown, what, sink)
            return
        if validates:
            return
        formal = formal_type(self.checker if self.own else None, call, index)
        sink = self.state.oracle.sink(formal)
        if sink is not None:
            callee_text = self.state.sources.text(self.path, callee)
            self.report(node, source, shown, f"passed to {callee_text}()", sink)

    def validates(self, callee: Expression, constructed: TypeInfo) -> bool:
        """Whether building ``constructed`` through ``callee`` validates its arguments."""
        if isinstance(callee, MemberExpr) and callee.name in policy.NON_VALIDATING_CONSTRUCTORS:
            return False
        return policy.constructor_validates(self.state.oracle.facts(constructed), self.state.settings.extra_model_bases)

    def constructed(self, callee: Expression) -> TypeInfo | None:
        """The class a call builds: ``Cls(...)``, ``Cls[T](...)``, ``Cls.model_construct(...)``."""
        if isinstance(callee, IndexExpr):
            callee = callee.base
        if isinstance(callee, RefExpr) and isinstance(callee.node, TypeInfo):
            return callee.node
        if isinstance(callee, MemberExpr) and callee.name in policy.NON_VALIDATING_CONSTRUCTORS:
            owner = callee.expr
            if isinstance(owner, RefExpr) and isinstance(owner.node, TypeInfo):
                return owner.node
        return None

    def assigned(self, stmt: AssignmentStmt, expr: Expression, source: Source, shown: str, depth: int) -> None:
        if stmt.unanalyzed_type is not None and stmt.type is not None and not stmt.is_alias_def:
            sink = self.state.oracle.sink(stmt.type)
            if sink is not None:
                target = self.state.sources.text(self.path, stmt.lvalues[0])
                self.report(expr, source, shown, f"assigned to '{target}' (declared {sink.name})", sink)
                return  # one bug, one error: the name now holds what its annotation says
        for lvalue in stmt.lvalues:
            if isinstance(lvalue, MemberExpr):
                sink = self.state.oracle.sink(self.attribute_type(lvalue))
                if sink is not None:
                    target = self.state.sources.text(self.path, lvalue)
                    self.report(expr, source, shown, f"assigned to '{target}' (declared {sink.name})", sink)
            self.bind(lvalue, source, depth)

    def attribute_type(self, lvalue: MemberExpr) -> Type | None:
        """The declared type of the attribute ``obj.attr`` an assignment stores into."""
        owner = get_proper_type(self.type_of(lvalue.expr)) if self.own else None
        if owner is None and isinstance(lvalue.expr, NameExpr) and isinstance(lvalue.expr.node, Var):
            declared = lvalue.expr.node.type
            owner = get_proper_type(declared) if declared is not None else None
        if not isinstance(owner, Instance):
            return None
        symbol = owner.type.get(lvalue.name)
        if symbol is None or not isinstance(symbol.node, Var) or symbol.node.type is None:
            return None
        from mypy.expandtype import expand_type_by_instance
        from mypy.maptype import map_instance_to_supertype

        info = symbol.node.info
        declared = symbol.node.type
        if info is not None and info.fullname != owner.type.fullname and owner.type.has_base(info.fullname):
            return expand_type_by_instance(declared, map_instance_to_supertype(owner, info))
        return expand_type_by_instance(declared, owner) if info is owner.type else declared

    def bind(self, target: Expression, source: Source, depth: int) -> None:
        if not isinstance(target, NameExpr) or not isinstance(target.node, Var):
            return
        var = target.node
        if id(var) in self.followed:
            return
        self.followed.add(id(var))
        position = (target.line, target.column)
        for read in self.facts.reads.get(id(var), ()):
            if (read.line, read.column) <= position:
                continue
            if not _unvalidated(self.type_of(read)):
                continue  # narrowed or rebound on this path: validated
            self.follow(read, source, var.name, depth + 1)

    # -- report ----------------------------------------------------------------

    def report(self, node: Expression, source: Source, shown: str, use: str, sink: policy.SinkFacts | None) -> None:
        key = (node.line, node.column)
        if key in self.reported:
            return
        self.reported.add(key)
        args = {
            "name": shown,
            "cls": source.cls,
            "method": source.method,
            "use": use,
            "fix": policy.retrieval_fix(sink),
        }
        self.checker.fail(BY_CODE["CLT103"].format(args), node, code=codes.UNTYPED_RETRIEVAL)


_TEST_CASE_BASES = ("unittest.case.TestCase", "unittest.TestCase", "django.test.testcases.TestCase")


def _in_test(tree: MypyFile, function: FuncItem | None) -> bool:
    """A test module (``test_*.py``, ``*_test.py``, ``conftest.py``), test function or test class."""
    name = tree.fullname.rpartition(".")[2]
    if name.startswith("test_") or name.endswith("_test") or name == "conftest":
        return True
    if isinstance(function, FuncDef):
        if function.name.startswith("test"):
            return True
        info = function.info
        if info is not FUNC_NO_INFO and (
            info.name.startswith("Test") or any(base.fullname in _TEST_CASE_BASES for base in info.mro)
        ):
            return True
    return False


def check_module(state: RunState, checker: TypeChecker, tree: MypyFile, sources: list[Source], own: bool) -> None:
    """Report CLT103 for every source of ``tree`` (recorded by the getter hook).

    A cache class's own tests (a test module, function or class that constructs the
    cache class) are not reported: there the raw value is the subject under test."""
    tracker = _Tracker(state, checker, tree, own)
    facts = state.facts(tree)
    for source in sources:
        if source.fullname in facts.constructed and _in_test(tree, facts.function.get(id(source.value))):
            continue
        shown = state.sources.text(tree.path, source.value)
        tracker.follow(source.value, source, shown)
