"""CLT103 untyped-cache-retrieval: an unvalidated cached value meeting a typed sink.

*Sources* are calls of a synchronous cache ``get`` whose return is ``Any`` or
undeclared (typed :class:`~cachelint.analysis.types.Untyped` by the engine),
and, inside a cache class's own ``get`` that promises a structured type or a
TypeVar, reads of a ``dict`` of ``Any`` held on ``self``.

The value is followed through each function, statement by statement and per
path: plain assignment, ``x or {}``, conditional expressions, subscripts,
decoders (``json.loads``, ``.decode()``: decoding is no validation) and
pass-through copies keep it unvalidated; a validator (``M.model_validate``,
``TypeAdapter(...).validate_python``, ``M(**x)`` of a validating model, a
configured validator) produces a checked value, and an ``isinstance`` guard
against a structured class clears the name on the path it guards.  Branches
merge by union: a branch that returns the raw value while another validates
is still reported.

It is reported at every *typed sink* it reaches (the policy decides what is
structured, :func:`cachelint.policy.typed_sink`): returned or yielded under a
structured declared type, passed to a parameter so declared, assigned to a
target so annotated, spread into a constructor that does not validate,
``cast`` to a structured type, or read through an attribute that no builtin
container or string has.  Comparisons, coercions to scalars, inspection,
logging, decoding and handing the value back to the cache are no uses.

A cache class's own tests (a test function, ``Test*`` class or test module
that constructs the cache class) are not reported: there the raw value is
the subject under test.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator

from cachelint import policy
from cachelint.analysis.checks.sinks import Declared, SinkTypes
from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic
from cachelint.analysis.semantic import Scope
from cachelint.analysis.types import ANY, ClassRef, Inst, Untyped, without_none
from cachelint.policy import CACHE_GETTERS, SinkFacts
from cachelint.rules import CLT103

Env = dict[str, Untyped]
#: Statements and expressions nested deeper than this are not followed (never a crash).
_MAX_DEPTH = 60
_TEST_CASE_BASES = ("TestCase", "IsolatedAsyncioTestCase")


def _merge(*envs: Env | None) -> Env | None:
    """Join of the paths that reach a point: a name unvalidated on any of them stays so."""
    live = [env for env in envs if env is not None]
    if not live:
        return None
    out = dict(live[0])
    for env in live[1:]:
        for name, source in env.items():
            out.setdefault(name, source)
    return out


def _target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for elt in target.elts:
            yield from _target_names(elt.value if isinstance(elt, ast.Starred) else elt)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _pattern_names(pattern: ast.AST) -> Iterator[str]:
    for node in ast.walk(pattern):
        for attr in ("name", "rest"):
            value = getattr(node, attr, None)
            if isinstance(value, str):
                yield value


def _is_generator(function: ast.AST) -> bool:
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


class _Flow:
    """One function (or the module body): the unvalidated names along each path, and the sinks they meet."""

    def __init__(self, check: _FileCheck, scope: Scope) -> None:
        self.check = check
        self.ctx = check.ctx
        self.sinks = check.sinks
        self.scope = scope
        self.taint: dict[int, Untyped | None] = {}
        self._declared: tuple[Declared | None, Declared | None] | None = None
        node = scope.node
        self.cache_get = isinstance(node, ast.FunctionDef) and node.returns is not None and self._is_cache_get(node)

    @property
    def returns(self) -> Declared | None:
        """What a ``return`` meets: the declared return type (None in a generator)."""
        return self._declarations()[0]

    @property
    def yields(self) -> Declared | None:
        """What a ``yield`` meets: the item type of the declared iterator."""
        return self._declarations()[1]

    def _declarations(self) -> tuple[Declared | None, Declared | None]:
        # Computed on the first return or yield that carries an unvalidated value:
        # most functions never need it.
        if self._declared is None:
            self._declared = (None, None)
            node = self.scope.node
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
                ty = self.ctx.knowledge.resolver.resolve(node.returns, self.scope.parent or self.scope)
                element = policy.yielded_type(self.sinks.facts(ty))
                # Only a function declared to return an iterator may be a generator whose
                # ``return`` is no sink; walking the body is needed only then.
                if element is not None and _is_generator(node):
                    sink = policy.typed_sink(element, extra_model_bases=self.ctx.settings.extra_model_bases)
                    self._declared = (None, Declared(sink, self.ctx.source(node.returns)))
                else:
                    returns = Declared(self.sinks.sink(ty, typevars=self.cache_get), self.ctx.source(node.returns))
                    self._declared = (returns, None)
        return self._declared

    def _is_cache_get(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """A cache class's own ``get``: its declared return is a promise its body must keep."""
        owner = self.scope.cls
        return (
            node.name in CACHE_GETTERS
            and isinstance(node, ast.FunctionDef)
            and owner is not None
            and self.ctx.knowledge.cache_kind(owner) == "sync"
        )

    # -- statements ---------------------------------------------------------------

    def run(self, body: list[ast.stmt], env: Env | None, depth: int = 0) -> Env | None:
        for stmt in body:
            if env is None:
                return None
            env = self.stmt(stmt, env, depth)
        return env

    def stmt(self, stmt: ast.stmt, env: Env, depth: int) -> Env | None:
        if depth > _MAX_DEPTH:
            return env
        if isinstance(stmt, ast.Expr):
            self.ev(stmt.value, env)
            return env
        if isinstance(stmt, ast.Assign):
            return self._assign(stmt, env)
        if isinstance(stmt, ast.AnnAssign):
            return self._annassign(stmt, env)
        if isinstance(stmt, ast.AugAssign):
            self.ev(stmt.value, env)
            if not isinstance(stmt.target, ast.Name):
                self.ev(stmt.target, env)
            return env
        if isinstance(stmt, ast.Return):
            if stmt.value is not None and self._carries(stmt.value, env):
                returns = self.returns
                if returns is not None and returns.sink is not None:
                    self._report_flow(stmt.value, f"returned as {returns.text}", returns.sink)
            return None
        if isinstance(stmt, ast.If):
            return self._if(stmt.test, stmt.body, stmt.orelse, env, depth)
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            return self._for(stmt, env, depth)
        if isinstance(stmt, ast.While):
            self.ev(stmt.test, env)
            first = self.run(stmt.body, dict(env), depth + 1)
            merged = _merge(env, first) or env
            second = self.run(stmt.body, dict(merged), depth + 1)
            return self.run(stmt.orelse, _merge(merged, second), depth + 1)
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            env = dict(env)
            for item in stmt.items:
                self.ev(item.context_expr, env)
                if item.optional_vars is not None:
                    for name in _target_names(item.optional_vars):
                        env.pop(name, None)
            return self.run(stmt.body, env, depth + 1)
        if isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            return self._try(stmt, env, depth)
        if isinstance(stmt, ast.Raise):
            if stmt.exc is not None:
                self.ev(stmt.exc, env)
            return None
        if isinstance(stmt, (ast.Break, ast.Continue)):
            return None
        if isinstance(stmt, ast.Assert):
            self.ev(stmt.test, env)
            cleared, _ = self._guards(stmt.test)
            return {name: source for name, source in env.items() if name not in cleared}
        if isinstance(stmt, ast.Delete):
            env = dict(env)
            for target in stmt.targets:
                for name in _target_names(target):
                    env.pop(name, None)
            return env
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return {name: source for name, source in env.items() if name != stmt.name}
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            bound = {(alias.asname or alias.name).partition(".")[0] for alias in stmt.names}
            return {name: source for name, source in env.items() if name not in bound}
        if type(stmt).__name__ == "Match":
            return self._match(stmt, env, depth)
        return env

    def _bind(self, target: ast.expr, source: Untyped | None, env: Env) -> None:
        if isinstance(target, ast.Name):
            if source is None:
                env.pop(target.id, None)
            else:
                env[target.id] = source
        elif isinstance(target, (ast.Tuple, ast.List, ast.Starred)):
            # Unpacking untyped data gives untyped parts.
            for name in _target_names(target):
                if source is None:
                    env.pop(name, None)
                else:
                    env[name] = source
        else:
            self.ev(target, env, store=True)

    def _assign(self, stmt: ast.Assign, env: Env) -> Env:
        source = self.ev(stmt.value, env)
        env = dict(env)
        for target in stmt.targets:
            if isinstance(target, ast.Attribute) and source is not None:
                declared = without_none(self.ctx.model.type_of(target, self.scope))
                sink = self.sinks.sink(declared)
                if sink is not None:
                    self._report_flow(
                        stmt.value, f"assigned to '{self.ctx.source(target)}' (declared {sink.name})", sink
                    )
            self._bind(target, source, env)
        return env

    def _annassign(self, stmt: ast.AnnAssign, env: Env) -> Env:
        env = dict(env)
        source = self.ev(stmt.value, env) if stmt.value is not None else None
        if stmt.value is None:
            return env
        declared = self.sinks.annotation(stmt.annotation, self.scope)
        if source is not None and declared.sink is not None:
            self._report_flow(
                stmt.value, f"assigned to '{self.ctx.source(stmt.target)}: {declared.text}'", declared.sink
            )
        if isinstance(stmt.target, ast.Name):
            # The name now has a declared type: one bug, one report.  Only a
            # declaration that promises nothing (``Any``, ``dict[str, Any]``) keeps it untyped.
            ty = self.ctx.knowledge.resolver.resolve(stmt.annotation, self.scope)
            self._bind(stmt.target, source if self.sinks.untyped_like(ty) else None, env)
        else:
            self.ev(stmt.target, env, store=True)
        return env

    def _if(self, test: ast.expr, body: list[ast.stmt], orelse: list[ast.stmt], env: Env, depth: int) -> Env | None:
        self.ev(test, env)
        when_true, when_false = self._guards(test)
        body_env = {name: source for name, source in env.items() if name not in when_true}
        else_env = {name: source for name, source in env.items() if name not in when_false}
        return _merge(self.run(body, body_env, depth + 1), self.run(orelse, else_env, depth + 1))

    def _for(self, stmt: ast.For | ast.AsyncFor, env: Env, depth: int) -> Env | None:
        source = self.ev(stmt.iter, env)
        first_env = dict(env)
        self._bind(stmt.target, source, first_env)
        first = self.run(stmt.body, first_env, depth + 1)
        merged = _merge(env, first) or env
        second_env = dict(merged)
        self._bind(stmt.target, source, second_env)
        second = self.run(stmt.body, second_env, depth + 1)
        return self.run(stmt.orelse, _merge(merged, second), depth + 1)

    def _try(self, stmt: ast.stmt, env: Env, depth: int) -> Env | None:
        body_out = self.run(getattr(stmt, "body", []), dict(env), depth + 1)
        handler_in = _merge(env, body_out) or env
        outs: list[Env | None] = [self.run(getattr(stmt, "orelse", []), body_out, depth + 1)]
        for handler in getattr(stmt, "handlers", []):
            start = dict(handler_in)
            if handler.name:
                start.pop(handler.name, None)
            outs.append(self.run(handler.body, start, depth + 1))
        after = _merge(*outs)
        final: list[ast.stmt] = getattr(stmt, "finalbody", [])
        if final:
            finished = self.run(final, dict(after if after is not None else handler_in), depth + 1)
            return finished if after is not None else None
        return after

    def _match(self, stmt: ast.stmt, env: Env, depth: int) -> Env | None:
        self.ev(getattr(stmt, "subject"), env)
        outs: list[Env | None] = [env]
        for case in getattr(stmt, "cases", []):
            start = dict(env)
            for name in _pattern_names(case.pattern):
                start.pop(name, None)
            if case.guard is not None:
                self.ev(case.guard, start)
            outs.append(self.run(case.body, start, depth + 1))
        return _merge(*outs)

    # -- guards ----------------------------------------------------------------------

    def _guards(self, test: ast.expr) -> tuple[set[str], set[str]]:
        """Names validated when ``test`` is true, and when it is false."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            when_true, when_false = self._guards(test.operand)
            return when_false, when_true
        if isinstance(test, ast.BoolOp):
            parts = [self._guards(value) for value in test.values]
            if isinstance(test.op, ast.And):
                return set().union(*(p[0] for p in parts)), set()
            return set(), set().union(*(p[1] for p in parts))
        if (
            isinstance(test, ast.Call)
            and isinstance(test.func, ast.Name)
            and test.func.id == "isinstance"
            and len(test.args) == 2
            and isinstance(test.args[0], ast.Name)
            and self._structured_classinfo(test.args[1])
        ):
            return {test.args[0].id}, set()
        return set(), set()

    def _structured_classinfo(self, node: ast.expr) -> bool:
        """An ``isinstance`` check against structured classes only: ``bytes`` or ``dict`` validate nothing."""
        items = node.elts if isinstance(node, ast.Tuple) else [node]
        if not items:
            return False
        for item in items:
            ty = self.ctx.model.type_of(item, self.scope)
            if not isinstance(ty, ClassRef) or self.sinks.structure(ty.qualname) is None:
                return False
        return True

    # -- expressions -----------------------------------------------------------------

    def ev(self, node: ast.expr, env: Env, store: bool = False, depth: int = 0) -> Untyped | None:
        """The unvalidated source ``node``'s value carries (None: checked or unrelated).

        Reports the sinks met inside ``node`` on the way.
        """
        if depth > _MAX_DEPTH:
            return None
        result = self._ev(node, env, store, depth + 1)
        self.taint[id(node)] = result
        return result

    def _ev(self, node: ast.expr, env: Env, store: bool, depth: int) -> Untyped | None:
        if isinstance(node, ast.Name):
            return env.get(node.id) if not store else None
        if isinstance(node, ast.Constant):
            return None
        if isinstance(node, ast.Call):
            return self._call(node, env, depth)
        if isinstance(node, ast.Await):
            return self.ev(node.value, env, depth=depth)
        if isinstance(node, ast.Attribute):
            receiver = self.ev(node.value, env, depth=depth)
            if receiver is not None and not store and policy.attribute_is_sink(node.attr):
                self._report(node.value, receiver, f"attribute-accessed (.{node.attr})", None)
            return None
        if isinstance(node, ast.Subscript):
            receiver = self.ev(node.value, env, depth=depth)
            self.ev(node.slice, env, depth=depth)
            # Subscripting untyped data is no use; what it gives is as untyped.
            return receiver if not store else None
        if isinstance(node, ast.BoolOp):
            found = [self.ev(value, env, depth=depth) for value in node.values]
            if isinstance(node.op, ast.And):
                return found[-1]
            return next((source for source in found if source is not None), None)
        if isinstance(node, ast.IfExp):
            self.ev(node.test, env, depth=depth)
            when_true, when_false = self._guards(node.test)
            body = self.ev(node.body, {k: v for k, v in env.items() if k not in when_true}, depth=depth)
            orelse = self.ev(node.orelse, {k: v for k, v in env.items() if k not in when_false}, depth=depth)
            return body or orelse
        if isinstance(node, ast.NamedExpr):
            source = self.ev(node.value, env, depth=depth)
            if source is None:
                env.pop(node.target.id, None)
            else:
                env[node.target.id] = source
            return source
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return self._comprehension(node, env, depth)
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            if node.value is not None and self._carries(node.value, env, depth) and isinstance(node, ast.Yield):
                yields = self.yields
                if yields is not None and yields.sink is not None:
                    self._report_flow(node.value, f"yielded as an item of {yields.text}", yields.sink)
            return None
        if isinstance(node, ast.Starred):
            return self.ev(node.value, env, depth=depth)
        if isinstance(node, ast.Lambda):
            return None
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.ev(child, env, depth=depth)
            elif isinstance(child, ast.keyword):
                self.ev(child.value, env, depth=depth)
        return None

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, env: Env, depth: int
    ) -> Untyped | None:
        inner = dict(env)
        for generator in node.generators:
            source = self.ev(generator.iter, inner, depth=depth)
            self._bind(generator.target, source, inner)
            for condition in generator.ifs:
                self.ev(condition, inner, depth=depth)
                when_true, _ = self._guards(condition)
                for name in when_true:
                    inner.pop(name, None)
        if isinstance(node, ast.DictComp):
            self.ev(node.key, inner, depth=depth)
            return self.ev(node.value, inner, depth=depth)
        return self.ev(node.elt, inner, depth=depth)

    def _call(self, node: ast.Call, env: Env, depth: int) -> Untyped | None:
        func = node.func
        scope = self.check.scope_of(node, self.scope)
        receiver: Untyped | None = None
        if isinstance(func, ast.Attribute):
            receiver = self.ev(func.value, env, depth=depth)
        elif not isinstance(func, ast.Name):
            self.ev(func, env, depth=depth)
        args = [(arg, self.ev(arg, env, depth=depth)) for arg in node.args]
        keywords = [(kw, self.ev(kw.value, env, depth=depth)) for kw in node.keywords]
        source = self.check.source_of(node) or self._backend_read(node, scope)
        if source is not None:
            return source
        if receiver is not None and isinstance(func, ast.Attribute):
            # A method of the untyped value itself: ``raw.decode()``, ``data.get("items")``.
            if func.attr in policy.PASS_THROUGH_METHODS:
                return receiver
            if policy.attribute_is_sink(func.attr):
                self._report(func.value, receiver, f"attribute-accessed (.{func.attr}())", None)
            return None
        tainted = [(arg, found) for arg, found in args if found is not None]
        tainted_kw = [(kw, found) for kw, found in keywords if found is not None]
        if not tainted and not tainted_kw:
            return None
        method = func.attr if isinstance(func, ast.Attribute) else None
        qualname = scope.qualify(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if qualname is not None:
            qualname = self.ctx.knowledge.index.canonical_name(qualname)
        role = policy.call_role(qualname, method, validators=self.ctx.settings.validators)
        if role in ("validate", "coerce", "inspect", "log"):
            return None
        if role in ("decode", "pass"):
            return (tainted or tainted_kw)[0][1]
        if role == "cast":
            return self._cast(node, scope)
        if isinstance(func, ast.Attribute) and self.ctx.model.receiver_cache(func.value, scope) is not None:
            return None  # handed back to the cache (``set``)
        callee = self.ctx.model.type_of(func, scope)
        constructed = callee.qualname if isinstance(callee, ClassRef) else None
        if method in policy.NON_VALIDATING_CONSTRUCTORS and isinstance(func, ast.Attribute):
            owner = self.ctx.model.type_of(func.value, scope)
            if isinstance(owner, ClassRef) and self.sinks.structure(owner.qualname) is not None:
                self._spread(node, owner.qualname, f"{self.ctx.source(func)}()", tainted, tainted_kw)
                return None
        if constructed is not None and self.sinks.structure(constructed) is not None:
            if self.sinks.constructor_validates(constructed):
                return None  # ``M(**raw)`` of a Pydantic model validates
            self._spread(node, constructed, f"{self.ctx.source(func)}()", [], tainted_kw)
        self._parameters(node, scope, tainted, tainted_kw)
        return None

    def _cast(self, node: ast.Call, scope: Scope) -> Untyped | None:
        if len(node.args) != 2:
            return None
        declared = self.sinks.annotation(node.args[0], scope)
        if declared.sink is not None:
            self._report_flow(node.args[1], f"cast to {declared.text}", declared.sink)
            return None
        ty = self.ctx.knowledge.resolver.resolve(node.args[0], scope)
        return self.taint.get(id(node.args[1])) if self.sinks.untyped_like(ty) else None

    def _spread(
        self,
        node: ast.Call,
        cls: str,
        callee: str,
        tainted: list[tuple[ast.expr, Untyped]],
        tainted_kw: list[tuple[ast.keyword, Untyped]],
    ) -> None:
        sink = SinkFacts(cls, self.sinks.structure(cls) or "dataclass", "model")
        for arg, source in tainted:
            self._report(arg, source, f"passed to {callee}, which does not validate", sink)
        for kw, source in tainted_kw:
            if kw.arg is None:
                self._report(kw.value, source, f"spread into {callee}, which does not validate", sink)

    def _parameters(
        self,
        node: ast.Call,
        scope: Scope,
        tainted: list[tuple[ast.expr, Untyped]],
        tainted_kw: list[tuple[ast.keyword, Untyped]],
    ) -> None:
        sites: list[tuple[ast.expr, Untyped, int | None, str | None]] = []
        for arg, source in tainted:
            if isinstance(arg, ast.Starred):
                continue
            if any(isinstance(earlier, ast.Starred) for earlier in node.args[: node.args.index(arg)]):
                continue
            sites.append((arg, source, node.args.index(arg), None))
        for kw, source in tainted_kw:
            if kw.arg is not None:
                sites.append((kw.value, source, None, kw.arg))
        if not sites:
            return
        params = self.sinks.parameters(node, scope)
        if params is None:
            return
        callee = self.ctx.source(node.func)
        for value, _, position, keyword in sites:
            param = self.sinks.parameter(params, position, keyword)
            if param is None or param.annotation is None:
                continue
            declared = self.sinks.annotation(param.annotation, param.module)
            if declared.sink is not None:
                self._report_flow(value, f"passed to {callee}() as '{param.name}: {declared.text}'", declared.sink)

    def _backend_read(self, node: ast.Call, scope: Scope) -> Untyped | None:
        """Inside a cache class's own ``get``: ``self._data.get(key)`` on a dict of ``Any``."""
        if not self.cache_get or not isinstance(node.func, ast.Attribute) or node.func.attr not in ("get", "pop"):
            return None
        return self._dict_of_any(node.func.value, scope, node.func.attr, node)

    def _dict_of_any(self, holder: ast.expr, scope: Scope, method: str, node: ast.expr) -> Untyped | None:
        if not (isinstance(holder, ast.Attribute) and isinstance(holder.value, ast.Name)):
            return None
        ty = without_none(self.ctx.model.type_of(holder, scope))
        if not isinstance(ty, Inst) or ty.qualname not in ("builtins.dict", "collections.abc.Mapping"):
            return None
        value = ty.args[1] if len(ty.args) == 2 else ANY
        if value not in (ANY, Inst("builtins.object")):
            return None
        shown = "dict[str, Any]" if ty.args else "dict"
        return Untyped(shown, method, getattr(node, "lineno", 0), getattr(node, "col_offset", 0))

    # -- reporting -------------------------------------------------------------------

    def _carries(self, value: ast.expr, env: Env, depth: int = 0) -> bool:
        """Evaluate ``value``; whether any part of it hands on an unvalidated source."""
        self.ev(value, env, depth=depth)
        return next(self._leaves(value), None) is not None

    def _report_flow(self, value: ast.expr, use: str, sink: SinkFacts) -> None:
        """Report each part of ``value`` through which an unvalidated source flows into the sink."""
        for leaf, source in self._leaves(value):
            self._report(leaf, source, use, sink)

    def _leaves(self, node: ast.expr) -> Iterator[tuple[ast.expr, Untyped]]:
        if isinstance(node, ast.BoolOp):
            values = node.values if isinstance(node.op, ast.Or) else node.values[-1:]
            for value in values:
                yield from self._leaves(value)
            return
        if isinstance(node, ast.IfExp):
            yield from self._leaves(node.body)
            yield from self._leaves(node.orelse)
            return
        if isinstance(node, ast.NamedExpr):
            yield from self._leaves(node.value)
            return
        source = self.taint.get(id(node))
        if source is not None:
            yield node, source

    def _report(self, node: ast.expr, source: Untyped, use: str, sink: SinkFacts | None) -> None:
        self.check.report(node, source, use, sink, self.scope)


class _FileCheck:
    """CLT103 over one file: which functions read untyped cache values, and their flows."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.sinks = SinkTypes(ctx)
        self.sources: dict[int, tuple[Untyped, str | None]] = {}
        self._scopes: dict[int, Scope] | None = None
        self._constructed: set[str] | None = None
        self.found: dict[tuple[int, int], Diagnostic] = {}

    def scope_of(self, node: ast.AST, default: Scope) -> Scope:
        if self._scopes is None:
            self._scopes = {id(visit.node): visit.scope for visit in self.ctx.model.calls}
        return self._scopes.get(id(node), default)

    def source_of(self, node: ast.Call) -> Untyped | None:
        found = self.sources.get(id(node))
        return found[0] if found is not None else None

    def run(self) -> Iterator[Diagnostic]:
        model = self.ctx.model
        flows: dict[int, Scope] = {}
        with_sources: set[int] = set()
        for visit in model.calls:
            node = visit.node
            assert isinstance(node, ast.Call)
            if not (isinstance(node.func, ast.Attribute) and node.func.attr in CACHE_GETTERS):
                continue
            source = model.type_of(node, visit.scope)
            if not isinstance(source, Untyped):
                continue
            owner = without_none(model.type_of(node.func.value, visit.scope))
            cache = owner.qualname if isinstance(owner, Inst) else None
            if self._in_cache_test(visit.scope, cache):
                continue
            self.sources[id(node)] = (source, cache)
            scope = self._flow_scope(visit.scope)
            if scope is not None:
                flows[id(scope)] = scope
                with_sources.add(id(scope))
        for scope in model.scopes:
            # A cache class's own ``get`` that promises a type reads its backend: follow it too.
            node = scope.node
            if (
                scope.kind == "function"
                and scope.cls is not None
                and isinstance(node, ast.FunctionDef)
                and node.name in CACHE_GETTERS
                and node.returns is not None
            ):
                flows.setdefault(id(scope), scope)
        for scope in flows.values():
            body = (
                scope.node.body if isinstance(scope.node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)) else []
            )
            flow = _Flow(self, scope)
            if id(scope) not in with_sources and not flow.cache_get:
                continue
            flow.run(body, {})
        yield from self.found.values()

    @staticmethod
    def _flow_scope(scope: Scope) -> Scope | None:
        """The function (or module) whose statements evaluate code in ``scope``."""
        current: Scope | None = scope
        while current is not None and current.kind == "comprehension":
            current = current.parent
        if current is None or current.kind not in ("function", "module"):
            return None
        return current

    # -- a cache's own tests ---------------------------------------------------------

    def _in_cache_test(self, scope: Scope, cache: str | None) -> bool:
        if cache is None or not self._in_test(scope):
            return False
        if self._constructed is None:
            constructed: set[str] = set()
            for visit in self.ctx.model.calls:
                node = visit.node
                assert isinstance(node, ast.Call)
                if isinstance(node.func, (ast.Name, ast.Attribute)):
                    callee = self.ctx.model.type_of(node.func, visit.scope)
                    if isinstance(callee, ClassRef):
                        constructed.add(callee.qualname)
            self._constructed = constructed
        return cache in self._constructed

    def _in_test(self, scope: Scope) -> bool:
        path = self.ctx.model.module.path
        name = os.path.basename(str(path)) if path is not None else ""
        if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
            return True
        current: Scope | None = scope
        while current is not None:
            node = current.node
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                return True
            if isinstance(node, ast.ClassDef) and (
                node.name.startswith("Test") or any(ast.unparse(base).endswith(_TEST_CASE_BASES) for base in node.bases)
            ):
                return True
            current = current.parent
        return False

    # -- reporting -------------------------------------------------------------------

    def report(self, node: ast.expr, source: Untyped, use: str, sink: SinkFacts | None, scope: Scope) -> None:
        key = (getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
        if key in self.found:
            return
        local = self.ctx.local_name(sink.qualname)[0] if sink is not None and sink.kind != "typevar" else None
        self.found[key] = self.ctx.report(
            node,
            CLT103,
            name=self.ctx.source(node),
            cls=source.cls,
            method=source.method,
            use=use,
            fix=policy.retrieval_fix(sink, local),
        )


@CLT103.per_file
def check_file(ctx: Context) -> Iterator[Diagnostic]:
    yield from _FileCheck(ctx).run()
