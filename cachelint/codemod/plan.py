"""Which cache call sites to rewrite and how, decided on the stdlib ``ast`` from the engine's findings.

The engine (:func:`cachelint.analysis.analyse`) says *where* the sites are
and which model they hold (:class:`~cachelint.analysis.FixHint`), and hands
over the file model it built (``EngineResult.model``), which the planner
reads instead of building a second one; this module
only decides whether a certain hint can be turned into an edit without
guessing, and describes the edit by source span so :mod:`cachelint.codemod.rewrite`
can apply it to the LibCST tree.  Everything refused carries its reason.
"""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from cachelint.analysis import Diagnostic, FixHint, knowledge_for
from cachelint.analysis.semantic import SCOPE_NODES, FileModel, Scope, Visit
from cachelint.codemod.codes import BLOCKING_CODE, MANUAL_CODES, SITE_CODES
from cachelint.codemod.findings import FindingPlanner, NodeEdit
from cachelint.codemod.spans import Columns, Span
from cachelint.config import Settings

RUNTIME_MODULE = "cachelint.runtime"
RUNTIME_NAMES = frozenset({"CacheKey", "as_async", "AsyncCacheManager"})
#: Calls through which a key may still flow once it is a ``CacheKey`` (it prints fine).
_HARMLESS_CALLS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print", "repr", "str"}
)


@dataclass(frozen=True)
class KeyPlan:
    #: keep: the argument already is a CacheKey (its binding is rewritten);
    #: wrap: ``CacheKey("<operation>", arg)``; pair: ``CacheKey(arg0, arg1)``.
    kind: Literal["keep", "wrap", "pair"]
    operation: str | None = None


@dataclass(frozen=True)
class CallEdit:
    span: Span
    method: str  # get_list | get_model | set_list | set_model
    model_source: str | None  # the model class spelled for this module (get only)
    key: KeyPlan
    value_index: int | None  # set: which argument is the value
    add_await: bool  # a blocking (CLT104) call gains an ``await``
    parenthesize: bool  # the new ``await`` needs parentheses where it stands
    codes: tuple[str, ...]
    #: (line, col, code) of the findings this edit fixes, as the engine reported them.
    origins: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Manual:
    """A finding left untouched, with why; ``col`` is the engine's (UTF-8 byte) column.

    ``unsafe``: a fix exists but is unsafe and ``--unsafe-fixes`` was not given.
    """

    line: int
    col: int
    code: str
    reason: str
    unsafe: bool = False

    def text(self, path: str) -> str:
        label = "unsafe fix available" if self.unsafe else "needs manual fix"
        return f"{path}:{self.line}:{self.col + 1}: {self.code} {label}: {self.reason}"


@dataclass
class Plan:
    calls: list[CallEdit] = field(default_factory=list)
    #: Spans of ``helper("operation", ...)`` calls that become ``CacheKey.for_content(...)``.
    bindings: list[Span] = field(default_factory=list)
    #: ``from module import name [as asname]`` to drop if the rewrite left it unused.
    unused_imports: list[tuple[str, str, str | None]] = field(default_factory=list)
    manual: list[Manual] = field(default_factory=list)
    #: Finding-level fixes to apply (CLT106, CLT105, CLT103), safe ones and, with --unsafe-fixes, unsafe ones.
    edits: list[NodeEdit] = field(default_factory=list)
    #: Unsafe fixes withheld (no --unsafe-fixes): listed, not applied.
    withheld: list[NodeEdit] = field(default_factory=list)
    #: ``code text`` of every finding the edits remove (checked after the rewrite).
    removed: Counter[str] = field(default_factory=Counter)

    @property
    def empty(self) -> bool:
        return not self.calls and not self.edits


def _node_key(node: ast.AST) -> tuple[int, int, int | None, int | None]:
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


class _Refused(Exception):
    """A site that cannot be rewritten with certainty; the message is the reason."""


@dataclass
class _Site:
    visit: Visit
    diagnostics: list[Diagnostic]
    hint: FixHint | None


class Planner:
    """Plans one file; construct, then call :meth:`plan`."""

    def __init__(
        self,
        tree: ast.Module,
        text: str,
        settings: Settings,
        diagnostics: list[Diagnostic],
        model: FileModel | None,
        *,
        include_blocking: bool,
        unsafe_fixes: bool = False,
    ) -> None:
        self.tree = tree
        self.text = text
        self.settings = settings
        self.diagnostics = diagnostics
        self.include_blocking = include_blocking
        self.unsafe_fixes = unsafe_fixes
        self.columns = Columns(text)
        self.knowledge = knowledge_for(settings)
        #: The engine's model of this very tree (``EngineResult.model``); None when it built none.
        self.model = model
        self._all_parents: dict[int, ast.AST] | None = None

    def _codes(self) -> frozenset[str]:
        return SITE_CODES | {BLOCKING_CODE} if self.include_blocking else SITE_CODES

    def plan(self) -> Plan:
        plan = Plan()
        codes = self._codes()
        wanted = [d for d in self.diagnostics if d.code in codes]
        findings = [d for d in self.diagnostics if d.code in MANUAL_CODES]
        if not wanted and not findings:
            return plan
        if self.model is None:  # never with findings; if it happens, nothing is planned blind
            reason = "the engine gave no file model"
            plan.manual.extend(Manual(d.line, d.col, d.code, reason) for d in wanted + findings)
            return plan
        self._plan_sites(wanted, plan)
        self._plan_findings(findings, plan)
        return plan

    def _plan_findings(self, findings: list[Diagnostic], plan: Plan) -> None:
        """Finding-level fixes; unsafe ones are withheld (and listed) without --unsafe-fixes."""
        if not findings:
            return
        assert self.model is not None
        rewritten = {edit.span for edit in plan.calls}
        edits, refusals = FindingPlanner(self.tree, self.model, self.knowledge, self.columns.span, rewritten).plan(
            findings
        )
        for refusal in refusals:
            origin = refusal.origin
            plan.manual.append(Manual(origin.line, origin.col, origin.code, refusal.reason))
        for edit in edits:
            if edit.unsafe and not self.unsafe_fixes:
                plan.withheld.append(edit)
                continue
            plan.edits.append(edit)
            for origin in edit.origins:
                plan.removed[origin.text] += 1

    def _plan_sites(self, wanted: list[Diagnostic], plan: Plan) -> None:
        if not wanted:
            return
        sites = self._group(wanted, plan)
        conflict = self._name_conflict()
        accepted: list[tuple[_Site, CallEdit, ast.Assign | None]] = []
        for site in sites:
            try:
                if conflict is not None:
                    raise _Refused(conflict)
                edit, binding = self._edit(site)
            except _Refused as refusal:
                for d in site.diagnostics:
                    plan.manual.append(Manual(d.line, d.col, d.code, str(refusal)))
                continue
            accepted.append((site, edit, binding))
        self._settle_bindings(accepted, plan)

    # -- grouping ------------------------------------------------------------

    def _group(self, wanted: list[Diagnostic], plan: Plan) -> list[_Site]:
        assert self.model is not None
        by_call: dict[tuple[int, int, int | None, int | None], Visit] = {}
        by_await: dict[tuple[int, int, int | None, int | None], Visit] = {}
        for visit in self.model.calls:
            by_call[_node_key(visit.node)] = visit
            parent = visit.parent
            if isinstance(parent, ast.Await) and parent.value is visit.node:
                by_await[_node_key(parent)] = visit
        sites: dict[int, _Site] = {}
        for d in wanted:
            key = (d.line, d.col, d.end_line, d.end_col)
            found = by_await.get(key) if d.code == "CLT101" else by_call.get(key)
            if found is None:
                plan.manual.append(Manual(d.line, d.col, d.code, "the codemod could not locate this call"))
                continue
            site = sites.setdefault(id(found.node), _Site(found, [], None))
            site.diagnostics.append(d)
            if site.hint is None and isinstance(d.fix, FixHint):
                site.hint = d.fix
        return list(sites.values())

    def _name_conflict(self) -> str | None:
        """Why the runtime names cannot be imported here, if this module binds them otherwise."""
        for node in ast.walk(self.tree):
            names: list[str] = []
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                names = [node.id]
            elif isinstance(node, ast.arg):
                names = [node.arg]
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                if isinstance(node, ast.ImportFrom) and node.module == RUNTIME_MODULE and node.level == 0:
                    names = [a.asname for a in node.names if a.asname and a.asname != a.name]
                else:
                    names = [(a.asname or a.name).partition(".")[0] for a in node.names]
            clash = RUNTIME_NAMES.intersection(names)
            if clash:
                return f"this module already binds {min(clash)} to something else than {RUNTIME_MODULE}'s"
        return None

    # -- one site ------------------------------------------------------------

    def _edit(self, site: _Site) -> tuple[CallEdit, ast.Assign | None]:
        assert self.model is not None
        hint = site.hint
        codes = tuple(sorted({d.code for d in site.diagnostics}))
        call = site.visit.node
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        if hint is None:
            raise _Refused("the engine gave no fix hint for this call")
        if hint.reason is not None:
            raise _Refused(hint.reason)
        if not hint.certain or hint.method not in ("get", "set"):
            raise _Refused("the model class of the cached value is not known")
        add_await = False
        if not hint.awaited:
            if BLOCKING_CODE not in codes:
                raise _Refused(
                    "the call is not awaited and not in an async def: only awaited calls "
                    "(and, with --include-blocking, blocking calls in async def) move to the async API"
                )
            if self._in_generator_expression(site.visit.scope):
                raise _Refused("an await inside a generator expression would make it an async generator")
            add_await = True
        if call.keywords or any(isinstance(a, ast.Starred) for a in call.args):
            raise _Refused("keyword or unpacked arguments cannot be mapped to a CacheKey")
        self._require_two_part_cache(site, len(call.args), hint.method)
        n_args = len(call.args)
        value_index: int | None = None
        if hint.method == "get" and n_args in (1, 2):
            single = n_args == 1
        elif hint.method == "set" and n_args in (2, 3):
            single = n_args == 2
            value_index = n_args - 1
        else:
            raise _Refused(
                f"{hint.method}() with {n_args} argument(s): only get(key), get(cache_type, content_key), "
                "set(key, value) and set(cache_type, content_key, value) are rewritten"
            )
        binding: ast.Assign | None = None
        if not single:
            key = KeyPlan("pair")
        else:
            if not hint.operation:
                raise _Refused("no enclosing function names the cache type for a CacheKey")
            binding = self._key_binding(call.args[0], site.visit.scope)
            key = KeyPlan("keep" if binding is not None else "wrap", hint.operation)
        parent = site.visit.parent
        parenthesize = add_await and (
            (isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is call)
            or (isinstance(parent, ast.Call) and parent.func is call)
        )
        edit = CallEdit(
            span=self.columns.span(call),
            method=f"{hint.method}_{hint.shape}",
            model_source=hint.model_source if hint.method == "get" else None,
            key=key,
            value_index=value_index,
            add_await=add_await,
            parenthesize=parenthesize,
            codes=codes,
            origins=tuple((d.line, d.col, d.code) for d in site.diagnostics),
        )
        return edit, binding

    @staticmethod
    def _in_generator_expression(scope: Scope) -> bool:
        current: Scope | None = scope
        while current is not None and current.kind == "comprehension":
            if isinstance(current.node, ast.GeneratorExp):
                return True
            current = current.parent
        return False

    def _require_two_part_cache(self, site: _Site, n_args: int, method: str) -> None:
        """AsyncCacheManager calls ``get(cache_type, content_key)`` and ``set(cache_type, content_key, value)``."""
        assert self.model is not None
        call = site.visit.node
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
        cls = self.model.receiver_cache(call.func.value, site.visit.scope)
        if cls is None:
            raise _Refused("the receiver's cache class is not known")
        display = self.knowledge.display(cls)
        get = self.knowledge.cache_method(cls, "get")
        put = self.knowledge.cache_method(cls, "set")
        if get is None or put is None or get.signature is None or put.signature is None:
            raise _Refused(f"the signatures of {display}.get/set are not known (configure method-signatures)")
        if get.signature.bind_problem(2, []) is not None or put.signature.bind_problem(3, []) is not None:
            raise _Refused(
                f"{display}.get/set do not take (cache_type, content_key[, value]): AsyncCacheManager cannot wrap it"
            )
        single_ok = get.signature.bind_problem(1, []) if method == "get" else put.signature.bind_problem(2, [])
        if ((method == "get" and n_args == 1) or (method == "set" and n_args == 2)) and single_ok is None:
            raise _Refused(f"{display}.{method}() accepts this call as written; which part is the key is unclear")

    # -- the key -------------------------------------------------------------

    def _function_of(self, scope: Scope) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        current: Scope | None = scope
        while current is not None and current.kind == "comprehension":
            current = current.parent
        if current is not None and isinstance(current.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return current.node
        return None

    def _key_binding(self, arg: ast.expr, scope: Scope) -> ast.Assign | None:
        """``name = helper("literal", ...)``, the only binding of the key name in its function."""
        if not isinstance(arg, ast.Name):
            return None
        function = self._function_of(scope)
        if function is None:
            return None
        bindings = list(_bindings_of(function, arg.id))
        if len(bindings) != 1:
            return None
        node, parent = bindings[0]
        if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and parent.targets[0] is node):
            return None
        value = parent.value
        if not (
            isinstance(value, ast.Call)
            and isinstance(value.func, (ast.Name, ast.Attribute))
            and value.args
            and isinstance(value.args[0], ast.Constant)
            and isinstance(value.args[0].value, str)
        ):
            return None
        return parent

    def _settle_bindings(self, accepted: list[tuple[_Site, CallEdit, ast.Assign | None]], plan: Plan) -> None:
        """A binding is rewritten only when every use of its name survives the key becoming a CacheKey."""
        assert self.model is not None
        keyed: dict[int, ast.Assign] = {}
        key_args: dict[int, set[int]] = {}
        for site, _, binding in accepted:
            if binding is not None:
                keyed[id(binding)] = binding
                call = site.visit.node
                assert isinstance(call, ast.Call)
                key_args.setdefault(id(binding), set()).add(id(call.args[0]))
        safe: set[int] = set()
        for ident, binding in keyed.items():
            target = binding.targets[0]
            assert isinstance(target, ast.Name)
            function = self._enclosing_def(binding)
            if function is not None and self._uses_are_safe(function, target.id, key_args[ident]):
                safe.add(ident)
        for site, edit, binding in accepted:
            if binding is not None and id(binding) not in safe:
                edit = CallEdit(**{**edit.__dict__, "key": KeyPlan("wrap", edit.key.operation)})
            plan.calls.append(edit)
            for d in site.diagnostics:
                if d.code in SITE_CODES:
                    plan.removed[d.text()] += 1
        for ident in safe:
            value = keyed[ident].value
            assert isinstance(value, ast.Call)
            plan.bindings.append(self.columns.span(value))
            if isinstance(value.func, ast.Name):
                found = self._import_of(value.func.id)
                if found is not None:
                    plan.unused_imports.append(found)

    def _enclosing_def(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        # The engine records parents only for the node kinds its checks ask about;
        # statements need a full map, built here for the few files that get rewritten.
        if self._all_parents is None:
            self._all_parents = {
                id(child): parent for parent in ast.walk(self.tree) for child in ast.iter_child_nodes(parent)
            }
        current: ast.AST | None = self._all_parents.get(id(node))
        while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            current = self._all_parents.get(id(current))
        return current

    def _uses_are_safe(self, function: ast.AST, name: str, rewritten: set[int]) -> bool:
        assert self.model is not None
        for node in ast.walk(function):  # nested scopes too: a closure may use the key
            if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
                continue
            if id(node) in rewritten:
                continue
            parent = self.model.parent(node)
            if isinstance(parent, ast.FormattedValue):
                continue
            if isinstance(parent, ast.Call) and node in parent.args:
                func = parent.func
                called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if called in _HARMLESS_CALLS:
                    continue
            return False
        return True

    def _import_of(self, name: str) -> tuple[str, str, str | None] | None:
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        return node.module, alias.name, alias.asname
        return None


def _walk_scope(function: ast.AST) -> list[ast.AST]:
    """Nodes of ``function``'s own scope (nested functions, classes and comprehensions excluded)."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, SCOPE_NODES):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                stack.extend(node.args.defaults)
                stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return out


def _bindings_of(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> list[tuple[ast.AST, ast.AST | None]]:
    """Every binding of ``name`` in the function's own scope, with its parent; disqualifiers count too."""
    found: list[tuple[ast.AST, ast.AST | None]] = []
    args = function.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if arg is not None and arg.arg == name:
            found.append((arg, None))
    parents: dict[int, ast.AST] = {}
    for node in _walk_scope(function):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    for child in function.body:
        parents[id(child)] = function
    for node in _walk_scope(function):
        hit = (
            (isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load))
            or (isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names)
            or (isinstance(node, ast.ExceptHandler) and node.name == name)
            or (isinstance(node, ast.alias) and (node.asname or node.name).partition(".")[0] == name)
            or (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name)
            or (isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name == name)
            or (isinstance(node, ast.MatchMapping) and node.rest == name)
        )
        if hit:
            found.append((node, parents.get(id(node))))
    return found
