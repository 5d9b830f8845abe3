"""Fixes planned one finding at a time: CLT106 attribute access and re-wrap, CLT105 autospec, CLT103 validation.

The engine says where each finding is and what it knows (CLT106's
:class:`~cachelint.analysis.diagnostic.ModelKeyHint`, CLT105's declared cache
class, CLT103's fix text naming the sink's type); this module checks that the
edit is certain on the stdlib ``ast`` and describes it by source span as a
:class:`NodeEdit`, which :mod:`cachelint.codemod.rewrite` applies.  Each edit carries
the catalog's fix kind, hence its safety (:mod:`cachelint.rules`).  What
cannot be fixed with certainty is refused with its reason.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from cachelint import rules
from cachelint.analysis import Diagnostic
from cachelint.analysis.diagnostic import ModelKeyHint
from cachelint.analysis.knowledge import Knowledge
from cachelint.analysis.semantic import FileModel, Scope, Visit
from cachelint.analysis.types import ClassRef, Inst, without_none
from cachelint.codemod.spans import Span

NodeKind = Literal["call", "subscript", "for", "listcomp", "expr"]
_CLT103_FIX = re.compile(
    r"(?:(?P<model>[A-Za-z_]\w*)\.model_validate|TypeAdapter\(list\[(?P<item>[A-Za-z_]\w*)\]\)\.validate_python)"
    r"\((?:\.\.\.)?\)"
)
MOCK_MODULE = "unittest.mock"


@dataclass(frozen=True)
class Origin:
    """A finding an edit fixes, as the engine reported it (``col`` in UTF-8 bytes)."""

    line: int
    col: int
    code: str
    text: str


@dataclass(frozen=True)
class NodeEdit:
    """Replace the node of ``node`` kind at ``span``."""

    span: Span
    node: NodeKind
    fix: rules.Fix
    origins: tuple[Origin, ...]
    #: What the listing says about it (the new code, what is dropped).
    note: str
    #: attribute access: the field; autospec: the class as spelled here; validate: the wrapper callee.
    text: str
    #: (module, name) imports the edit needs.
    imports: tuple[tuple[str, str], ...] = ()
    #: (module, name) imports that may become unused.
    drops: tuple[tuple[str, str], ...] = ()

    @property
    def unsafe(self) -> bool:
        return self.fix.safety is rules.Safety.UNSAFE


@dataclass(frozen=True)
class Refusal:
    origin: Origin
    reason: str


class _Refused(Exception):
    pass


def _key(node: ast.AST) -> tuple[int, int, int | None, int | None]:
    return (node.lineno, node.col_offset, node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]


def _origin(d: Diagnostic) -> Origin:
    return Origin(d.line, d.col, d.code, d.text())


def _dict_read(node: ast.AST, name: str) -> str | None:
    """The key of ``name.get("k")``, ``name.get("k", pure)`` or ``name["k"]`` (a load), else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
        receiver, args = node.func.value, node.args
        if node.keywords or not 1 <= len(args) <= 2 or (len(args) == 2 and not _pure(args[1])):
            return None
        key = args[0]
    elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        receiver, key = node.value, node.slice
    else:
        return None
    if isinstance(receiver, ast.Name) and receiver.id == name:
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return None


def _pure(node: ast.expr) -> bool:
    """A default whose evaluation has no effect, so dropping it changes nothing: a literal,
    a name, ``-1``, an empty container display."""
    if isinstance(node, (ast.Constant, ast.Name)):
        return True
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return not node.elts
    if isinstance(node, ast.Dict):
        return not node.keys
    return isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant)


class FindingPlanner:
    """Plans the finding-level fixes of one file; ``span_of`` converts an ``ast`` node to a Span."""

    def __init__(
        self,
        tree: ast.Module,
        model: FileModel,
        knowledge: Knowledge,
        span_of: Callable[[ast.AST], Span],
        rewritten_calls: set[Span],
    ) -> None:
        self.tree = tree
        self.model = model
        self.knowledge = knowledge
        self.span_of = span_of
        self.rewritten_calls = rewritten_calls
        self._parents: dict[int, ast.AST] | None = None
        self._bound_names: set[str] | None = None

    # -- helpers -----------------------------------------------------------------

    def _span(self, node: ast.AST) -> Span:
        return self.span_of(node)

    def _parent(self, node: ast.AST) -> ast.AST | None:
        if self._parents is None:
            self._parents = {
                id(child): parent for parent in ast.walk(self.tree) for child in ast.iter_child_nodes(parent)
            }
        return self._parents.get(id(node))

    def _function(self, node: ast.AST) -> ast.AST:
        current = self._parent(node)
        while current is not None and not isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            current = self._parent(current)
        return current if current is not None else self.tree

    def _module_binds(self, name: str) -> bool:
        """Whether ``name`` is bound anywhere in the module (so adding it as an import could clash)."""
        if self._bound_names is None:
            bound: set[str] = set()
            for node in ast.walk(self.tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    bound.add(node.name)
                elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                    bound.add(node.id)
                elif isinstance(node, ast.arg):
                    bound.add(node.arg)
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    bound.update((a.asname or a.name).partition(".")[0] for a in node.names)
            self._bound_names = bound
        return name in self._bound_names

    def _imported_as(self, module: str, name: str) -> str | None:
        """The local name of ``from module import name`` at module level, if present."""
        for node in self.tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == module and node.level == 0:
                for alias in node.names:
                    if alias.name == name:
                        return alias.asname or alias.name
        return None

    def _need_import(self, module: str, name: str) -> tuple[str, str] | None:
        """``(module, name)`` to import so ``name`` means ``module.name`` here; None when it already does."""
        local = self._imported_as(module, name)
        if local == name:
            return None
        if self._module_binds(name):
            raise _Refused(f"this module already binds {name} to something else than {module}'s")
        return module, name

    # -- entry point ---------------------------------------------------------------

    def plan(self, diagnostics: list[Diagnostic]) -> tuple[list[NodeEdit], list[Refusal]]:
        edits: list[NodeEdit] = []
        refusals: list[Refusal] = []
        by_code: dict[str, list[Diagnostic]] = {}
        for d in diagnostics:
            by_code.setdefault(d.code, []).append(d)
        model_reads = by_code.get("CLT106", [])
        taken: set[tuple[int, int, str]] = set()
        for edit in self._rewraps(model_reads):
            edits.append(edit)
            taken.update((o.line, o.col, o.code) for o in edit.origins)
        for d in model_reads:
            if (d.line, d.col, d.code) not in taken:
                self._one(self._attribute, d, edits, refusals)
        for d in by_code.get("CLT105", []):
            self._one(self._autospec, d, edits, refusals)
        for d in by_code.get("CLT103", []):
            self._one(self._validate, d, edits, refusals)
        return edits, refusals

    def _one(
        self,
        planner: Callable[[Diagnostic], NodeEdit | None],
        d: Diagnostic,
        edits: list[NodeEdit],
        refusals: list[Refusal],
    ) -> None:
        try:
            edit = planner(d)
        except _Refused as refusal:
            refusals.append(Refusal(_origin(d), str(refusal)))
            return
        if edit is not None:
            edits.append(edit)

    # -- CLT106: attribute access ------------------------------------------------------

    def _visit_at(self, d: Diagnostic, visits: list[Visit]) -> Visit:
        want = (d.line, d.col, d.end_line, d.end_col)
        for visit in visits:
            if _key(visit.node) == want:
                return visit
        raise _Refused("the codemod could not locate this access")

    def _attribute(self, d: Diagnostic) -> NodeEdit | None:
        hint = d.fix
        if not isinstance(hint, ModelKeyHint):
            raise _Refused("the engine gave no field list for this model")
        if hint.field is None:
            return None  # no field named (or .items()...): the message says so; the codemod does not guess
        visit = self._visit_at(d, self.model.subscripts if d.message.startswith("dict-style [") else self.model.calls)
        node = visit.node
        if isinstance(node, ast.Subscript):
            if not isinstance(node.ctx, ast.Load):
                raise _Refused("assignment or deletion through a subscript is left for review")
            kind: NodeKind = "subscript"
            receiver = node.value
        else:
            assert isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            if node.func.attr != "get":
                raise _Refused(f".{node.func.attr}() has no attribute equivalent")
            if node.keywords or not 1 <= len(node.args) <= 2:
                raise _Refused("get() with keyword or extra arguments")
            if len(node.args) == 2 and not _pure(node.args[1]):
                raise _Refused("the default is an expression whose evaluation the fix would drop")
            kind, receiver = "call", node.func.value
        fix = rules.BY_CODE["CLT106"].fix("alias-attribute" if hint.via_alias else "attribute-access")
        shown = f"{ast.unparse(receiver)}.{hint.field}"
        note = f"use {shown}" + (f" ('{hint.key}' is the alias of field '{hint.field}')" if hint.via_alias else "")
        return NodeEdit(self._span(node), kind, fix, (_origin(d),), note, hint.field)

    # -- CLT106: the re-wrap -------------------------------------------------------------

    def _rewraps(self, reads: list[Diagnostic]) -> Iterator[NodeEdit]:
        if not reads:
            return
        found = {(d.line, d.col, d.end_line, d.end_col): d for d in reads}
        for node in ast.walk(self.tree):
            if isinstance(node, ast.For):
                shape = self._loop_shape(node)
            elif isinstance(node, ast.ListComp):
                shape = self._comprehension_shape(node)
            else:
                continue
            if shape is None:
                continue
            target, ctor, iterable, out = shape
            origins = self._rewrap_origins(ctor, target, found)
            if origins is None or not self._same_model(ctor, target):
                continue
            if isinstance(node, ast.For):
                if self._used_outside(target.id, node):
                    continue
                if not self._is_list(out, node):
                    continue
                new = f"{ast.unparse(out)}.extend({ast.unparse(iterable)})"
                kind: NodeKind = "for"
            else:
                if self._module_binds("list"):
                    continue
                new = f"list({ast.unparse(iterable)})"
                kind = "listcomp"
            mapping = ", ".join(
                f"{kw.arg}<-'{_dict_read(kw.value, target.id)}'" for kw in ctor.keywords if kw.arg is not None
            )
            note = f"use the elements themselves: {new}; the field mapping {mapping} is dropped"
            yield NodeEdit(self._span(node), kind, rules.BY_CODE["CLT106"].fix("rewrap"), origins, note, new)

    @staticmethod
    def _loop_shape(node: ast.For) -> tuple[ast.Name, ast.Call, ast.expr, ast.expr] | None:
        if node.orelse or not isinstance(node.target, ast.Name) or len(node.body) != 1:
            return None
        stmt = node.body[0]
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
            return None
        append = stmt.value
        if not (
            isinstance(append.func, ast.Attribute)
            and append.func.attr == "append"
            and len(append.args) == 1
            and not append.keywords
            and isinstance(append.args[0], ast.Call)
        ):
            return None
        return node.target, append.args[0], node.iter, append.func.value

    @staticmethod
    def _comprehension_shape(node: ast.ListComp) -> tuple[ast.Name, ast.Call, ast.expr, ast.expr] | None:
        if len(node.generators) != 1 or not isinstance(node.elt, ast.Call):
            return None
        generator = node.generators[0]
        if generator.ifs or generator.is_async or not isinstance(generator.target, ast.Name):
            return None
        return generator.target, node.elt, generator.iter, node

    def _rewrap_origins(
        self, ctor: ast.Call, target: ast.Name, found: dict[tuple[int, int, int | None, int | None], Diagnostic]
    ) -> tuple[Origin, ...] | None:
        """Every argument is ``field=<dict read of the element>`` reported as CLT106, else None."""
        if ctor.args or not ctor.keywords:
            return None
        origins: list[Origin] = []
        for kw in ctor.keywords:
            if kw.arg is None or _dict_read(kw.value, target.id) is None:
                return None
            d = found.get(_key(kw.value))
            if d is None:
                return None
            origins.append(_origin(d))
        return tuple(origins)

    def _visit_of(self, node: ast.AST) -> Visit | None:
        for visit in self.model.calls:
            if visit.node is node:
                return visit
        return None

    def _same_model(self, ctor: ast.Call, target: ast.Name) -> bool:
        """``M(...)`` builds the very model class the element already is."""
        visit = self._visit_of(ctor)
        if visit is None:
            return False
        built = self.model.type_of(ctor.func, visit.scope)
        # The element as the constructor's arguments read it (the target of a comprehension
        # is bound in the comprehension's scope, which is the constructor's).
        element = without_none(self.model.name_type(target.id, visit.scope))
        return (
            isinstance(built, ClassRef)
            and isinstance(element, Inst)
            and element.qualname == built.qualname
            and self.knowledge.is_model(built.qualname)
        )

    def _used_outside(self, name: str, loop: ast.For) -> bool:
        inside = {id(n) for n in ast.walk(loop)}
        function = self._function(loop)
        return any(isinstance(n, ast.Name) and n.id == name and id(n) not in inside for n in ast.walk(function))

    def _is_list(self, out: ast.expr, loop: ast.For) -> bool:
        visit = self._visit_of(loop.body[0].value) if isinstance(loop.body[0], ast.Expr) else None
        if visit is None:
            return False
        ty = without_none(self.model.type_of(out, visit.scope))
        return isinstance(ty, Inst) and ty.qualname == "builtins.list"

    # -- CLT105: autospec ------------------------------------------------------------------

    def _autospec(self, d: Diagnostic) -> NodeEdit:
        visit = self._visit_at(d, self.model.calls)
        qualname = d.args.get("cls_qualname")
        if not qualname:
            raise _Refused("the engine did not say which cache class is expected")
        summary = self.knowledge.index.class_summary(qualname)
        display = self.knowledge.display(qualname)
        imports: list[tuple[str, str]] = []
        local = self._local_class(qualname, visit.scope)
        if local is None:
            if summary is None or f"{summary.module.name}.{summary.name}" != qualname:
                raise _Refused(f"{display} is not importable by name from its module")
            needed = self._need_import(summary.module.name, summary.name)
            if needed is not None:
                imports.append(needed)
            local = summary.name
        autospec = self._imported_as(MOCK_MODULE, "create_autospec") or "create_autospec"
        if autospec == "create_autospec":
            needed = self._need_import(MOCK_MODULE, "create_autospec")
            if needed is not None:
                imports.append(needed)
        new = f"{autospec}({local}, instance=True)"
        tests = self._tests_using(visit.node)
        users = f"; review the tests that use it: {', '.join(tests)}" if tests else ""
        note = f"use {new}: awaits on the mock and assert_awaited* now fail{users}"
        return NodeEdit(
            self._span(visit.node),
            "call",
            rules.BY_CODE["CLT105"].fix("autospec"),
            (_origin(d),),
            note,
            new,
            tuple(imports),
            ((MOCK_MODULE, "AsyncMock"),),
        )

    def _local_class(self, qualname: str, scope: Scope) -> str | None:
        name = qualname.rpartition(".")[2]
        found = self.model.name_type(name, scope)
        return name if isinstance(found, ClassRef) and found.qualname == qualname else None

    def _tests_using(self, node: ast.AST) -> list[str]:
        """The test functions that get this mock: the enclosing ``test_*`` or the tests calling its helper."""
        function = self._function(node)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return []
        if function.name.startswith("test"):
            return [function.name]
        return sorted(
            {
                caller.name
                for caller in ast.walk(self.tree)
                if isinstance(caller, (ast.FunctionDef, ast.AsyncFunctionDef))
                and caller.name.startswith("test")
                and any(
                    isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == function.name
                    for n in ast.walk(caller)
                )
            }
        )

    # -- CLT103: validation ----------------------------------------------------------------

    def _validate(self, d: Diagnostic) -> NodeEdit | None:
        node = self._expression_at(d)
        if self._from_rewritten_call(node):
            return None  # the typed API the call now goes through validates it
        match = _CLT103_FIX.fullmatch(d.args.get("fix", ""))
        if match is None:
            return None  # no one type to validate with: the message says what to do
        name = match["model"] or match["item"]
        found = self.model.name_type(name, self.model.scope_at(node, self._parent))
        if not (isinstance(found, ClassRef) and self.knowledge.is_model(found.qualname)):
            raise _Refused(f"{name} is not the model class under that name here")
        imports: tuple[tuple[str, str], ...] = ()
        if match["model"]:
            wrapper = f"{name}.model_validate"
        else:
            adapter = self._imported_as("pydantic", "TypeAdapter") or "TypeAdapter"
            if adapter == "TypeAdapter":
                needed = self._need_import("pydantic", "TypeAdapter")
                imports = (needed,) if needed is not None else ()
            wrapper = f"{adapter}(list[{name}]).validate_python"
        note = (
            f"validate it: {wrapper}({ast.unparse(node)}) (bad cached data now raises; "
            "AsyncCacheManager.get_model/get_list would make it a miss)"
        )
        return NodeEdit(
            self._span(node), "expr", rules.BY_CODE["CLT103"].fix("validate"), (_origin(d),), note, wrapper, imports
        )

    def _expression_at(self, d: Diagnostic) -> ast.expr:
        """The outermost expression at the finding's span (``ast.walk`` visits parents first)."""
        want = (d.line, d.col, d.end_line, d.end_col)
        for node in ast.walk(self.tree):
            if isinstance(node, ast.expr) and _key(node) == want:
                return node
        raise _Refused("the codemod could not locate this value")

    def _from_rewritten_call(self, node: ast.expr) -> bool:
        """Whether the value is (bound from) a cache call the typed-API rewrite changes."""
        if any(self._span(n) in self.rewritten_calls for n in ast.walk(node) if isinstance(n, ast.Call)):
            return True
        if not isinstance(node, ast.Name):
            return False
        function = self._function(node)
        for n in ast.walk(function):
            if isinstance(n, (ast.Assign, ast.AnnAssign, ast.NamedExpr)):
                targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                if any(isinstance(t, ast.Name) and t.id == node.id for t in targets) and n.value is not None:
                    value = n.value.value if isinstance(n.value, ast.Await) else n.value
                    if isinstance(value, ast.Call) and self._span(value) in self.rewritten_calls:
                        return True
        return False
