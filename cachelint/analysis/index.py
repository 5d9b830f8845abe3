"""The project index: summaries of the project's own modules, reached through imports.

A per-file linter sees one file; the bugs cachelint hunts cross files (the
dependencies class in one module, the cache class in another, the model in a
third).  The index follows imports into the project's source roots and reads
each module once per process into a :class:`ModuleSummary`: imports, classes
(bases, decorators, field annotations, ``self.x`` attributes, methods with
signatures, ``async`` or not, return annotations), functions and module-level
names.  It never infers anything from unannotated code.

Summaries are memoised by file path and modification time, so the file
flake8 is linting and the same file reached through an import share one
summary, and a long-lived process notices edits.

A module the project does not have may be *installed*: the index then reads
it from the interpreter's site-packages (``*-stubs`` packages and ``.pyi``
stubs before ``.py`` sources), lazily, only when a lookup reaches it.  That
reading is bounded per index (:data:`MAX_INSTALLED_FILES` files of at most
:data:`MAX_INSTALLED_BYTES` bytes each; beyond that an installed module is
unknown), and the files read are reported by :meth:`ProjectIndex.installed_sources`
so a result cache can watch them.  Packages whose meaning the engine knows by
table (``typing_extensions``, pydantic, attrs) are never read.
"""

from __future__ import annotations

import ast
import builtins
import enum
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from cachelint.analysis.skeleton import summary_source
from cachelint.signatures import Signature

BUILTIN_NAMES = frozenset(dir(builtins))
_MAX_HOPS = 16
#: At most this many installed files are read per index (per configuration per process).
MAX_INSTALLED_FILES = 64
#: An installed file larger than this is not read (its names stay unknown).
MAX_INSTALLED_BYTES = 512 * 1024
#: Installed packages the engine knows by table and never reads.
_TABLED_PACKAGES = frozenset(
    {"typing_extensions", "mypy_extensions", "pydantic", "pydantic_core", "attr", "attrs", "typing_inspection"}
)
#: Calls whose arguments a summary keeps (the rest keep only the callee): they carry types.
_TYPED_CALLS = frozenset({"TypeVar", "TypeAdapter", "cast"})

_TYPE_CHECKING_NAMES = frozenset({"TYPE_CHECKING", "typing.TYPE_CHECKING"})


class DeclarationKind(str, enum.Enum):
    """How a summarised name (a module variable, a ``self.x`` attribute) got its type."""

    #: ``x: T`` (or ``self.x = param`` with ``param: T``): the expression is the annotation.
    ANNOTATED = "ann"
    #: ``x = value``: the expression is the value, slimmed (see :func:`_slim`).
    VALUE = "value"


class Declaration(NamedTuple):
    """A module variable or instance attribute as a summary keeps it (read by field name)."""

    kind: DeclarationKind
    expr: ast.expr


@dataclass
class FunctionSummary:
    name: str
    qualname: str
    is_async: bool
    args: ast.arguments
    drop_first: bool
    returns: ast.expr | None
    decorators: frozenset[str]
    line: int

    @cached_property
    def signature(self) -> Signature:
        return Signature.from_arguments(self.args, drop_first=self.drop_first)

    @property
    def is_property(self) -> bool:
        return any(d.endswith("property") for d in self.decorators)

    @property
    def is_overload(self) -> bool:
        return "overload" in self.decorators or any(d.endswith(".overload") for d in self.decorators)


@dataclass
class ClassSummary:
    name: str
    qualname: str
    module: ModuleSummary
    bases: list[ast.expr]
    decorators: frozenset[str]
    #: Class-body annotations in order: the fields of dataclasses, attrs and Pydantic models.
    fields: dict[str, ast.expr] = field(default_factory=dict)
    #: Fields excluded from the generated ``__init__`` (``ClassVar``, ``field(init=False)``).
    non_init_fields: set[str] = field(default_factory=set)
    #: ``name: T = Field(alias="key")`` (also validation/serialization aliases): key -> field name.
    field_aliases: dict[str, str] = field(default_factory=dict)
    methods: dict[str, FunctionSummary] = field(default_factory=dict)
    #: ``self.x`` attributes: their annotation, or the value assigned.
    instance_attrs: dict[str, Declaration] = field(default_factory=dict)
    #: PEP 695 type parameters (``class Repo[T]:``), in order.
    type_params: tuple[str, ...] = ()


class Declared(ast.expr):
    """A summary-only operand whose type is the annotation it carries.

    ``self._cache = cache or CacheManager()`` is summarised with the parameter
    ``cache`` replaced by ``Declared(<its annotation>)``, so the value's type
    can be read later without the function's scope.
    """

    _fields = ("annotation",)

    def __init__(self, annotation: ast.expr) -> None:
        super().__init__()
        self.annotation = annotation


@dataclass
class ModuleSummary:
    name: str
    path: Path | None
    is_package: bool
    imports: dict[str, str] = field(default_factory=dict)
    #: Names imported only under ``if TYPE_CHECKING:`` (absent at run time).
    type_checking_names: set[str] = field(default_factory=set)
    classes: dict[str, ClassSummary] = field(default_factory=dict)
    functions: dict[str, FunctionSummary] = field(default_factory=dict)
    #: Module-level names: their annotation, or the value assigned.
    variables: dict[str, Declaration] = field(default_factory=dict)
    #: Read from an installed package (site-packages), not from the project.
    installed: bool = False

    @property
    def package(self) -> str:
        return self.name if self.is_package else self.name.rpartition(".")[0]

    def qualify(self, node: ast.expr) -> str | None:
        """The qualified name a ``Name``/``Attribute`` chain denotes at module level."""
        if isinstance(node, ast.Name):
            return self.qualify_name(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualify(node.value)
            return None if base is None else f"{base}.{node.attr}"
        return None

    def qualify_name(self, name: str) -> str | None:
        if name in self.classes or name in self.functions or name in self.variables:
            return f"{self.name}.{name}"
        if name in self.imports:
            return self.imports[name]
        if name in BUILTIN_NAMES:
            return f"builtins.{name}"
        return None


@dataclass(frozen=True, slots=True)
class ClassSymbol:
    """A name that denotes a class the index has read."""

    summary: ClassSummary
    module: ModuleSummary


@dataclass(frozen=True, slots=True)
class FunctionSymbol:
    """A name that denotes a module-level function the index has read."""

    summary: FunctionSummary
    module: ModuleSummary


@dataclass(frozen=True, slots=True)
class ModuleSymbol:
    """A name that denotes a module (``module`` is that module)."""

    module: ModuleSummary


@dataclass(frozen=True, slots=True)
class VariableSymbol:
    """A module-level name declared with an annotation: ``expr`` is the annotation."""

    expr: ast.expr
    module: ModuleSummary


@dataclass(frozen=True, slots=True)
class AliasSymbol:
    """A module-level name bound by assignment: ``expr`` is the value, as the summary keeps it
    (``CM = CacheManager``, ``T = TypeVar("T")``, ``cache = CacheManager()``)."""

    expr: ast.expr
    module: ModuleSummary


#: What a qualified name denotes in the project (see :meth:`ProjectIndex.lookup`).
Symbol = ClassSymbol | FunctionSymbol | ModuleSymbol | VariableSymbol | AliasSymbol


def resolve_relative(package: str, level: int, module: str | None) -> str | None:
    """``from ..x import y`` inside ``package`` -> the absolute module name."""
    if level == 0:
        return module
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) if base else None


def _decorator_name(node: ast.expr, module: ModuleSummary) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    qualified = module.qualify(target)
    if qualified is not None:
        return qualified
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Name):
        return target.id
    return "?"


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def _function(
    node: ast.FunctionDef | ast.AsyncFunctionDef, owner: str, module: ModuleSummary, *, method: bool
) -> FunctionSummary:
    decorators = frozenset(_decorator_name(d, module) for d in node.decorator_list)
    is_static = any(d.endswith("staticmethod") for d in decorators)
    return FunctionSummary(
        name=node.name,
        qualname=f"{owner}.{node.name}",
        is_async=isinstance(node, ast.AsyncFunctionDef),
        args=node.args,
        drop_first=method and not is_static,
        returns=node.returns,
        decorators=decorators,
        line=node.lineno,
    )


def _is_classvar(annotation: ast.expr) -> bool:
    target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    if isinstance(target, ast.Attribute):
        return target.attr == "ClassVar"
    return isinstance(target, ast.Name) and target.id == "ClassVar"


def _init_false(value: ast.expr | None) -> bool:
    if not isinstance(value, ast.Call):
        return False
    return any(
        kw.arg == "init" and isinstance(kw.value, ast.Constant) and kw.value.value is False for kw in value.keywords
    )


def _record(table: dict[str, Declaration], conflicts: set[str], name: str, entry: Declaration) -> None:
    """Keep one binding per name: an annotation wins; two different values cancel out."""
    if name in conflicts:
        return
    previous = table.get(name)
    if previous is None:
        table[name] = entry
    elif previous.kind is DeclarationKind.ANNOTATED:
        return
    elif entry.kind is DeclarationKind.ANNOTATED:
        table[name] = entry
    elif ast.dump(previous.expr) != ast.dump(entry.expr):
        del table[name]
        conflicts.add(name)


def _summarize_class(node: ast.ClassDef, module: ModuleSummary) -> ClassSummary:
    summary = ClassSummary(
        name=node.name,
        qualname=f"{module.name}.{node.name}",
        module=module,
        bases=list(node.bases),
        decorators=frozenset(_decorator_name(d, module) for d in node.decorator_list),
        type_params=_type_params(node),
    )
    attr_conflicts: set[str] = set()
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            summary.fields[stmt.target.id] = stmt.annotation
            if _is_classvar(stmt.annotation) or _init_false(stmt.value):
                summary.non_init_fields.add(stmt.target.id)
            for alias in _field_aliases(stmt.value):
                summary.field_aliases.setdefault(alias, stmt.target.id)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            func = _function(stmt, summary.qualname, module, method=True)
            existing = summary.methods.get(stmt.name)
            # Keep the implementation over @overload stubs and the getter over property setters.
            if existing is None or (existing.is_overload and not func.is_overload):
                summary.methods[stmt.name] = func
            _collect_self_attrs(stmt, summary.instance_attrs, attr_conflicts)
    return summary


_ALIAS_KEYWORDS = frozenset({"alias", "validation_alias", "serialization_alias"})


def _field_aliases(value: ast.expr | None) -> list[str]:
    """String aliases given to ``Field(...)`` (CLT106 maps a dict key that is an alias to its field)."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, (ast.Name, ast.Attribute))):
        return []
    if (value.func.id if isinstance(value.func, ast.Name) else value.func.attr) != "Field":
        return []
    return [
        kw.value.value
        for kw in value.keywords
        if kw.arg in _ALIAS_KEYWORDS and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str)
    ]


def _type_params(node: ast.ClassDef) -> tuple[str, ...]:
    # ``type_params`` exists from Python 3.12 on.
    names = (getattr(param, "name", None) for param in getattr(node, "type_params", ()))
    return tuple(name for name in names if isinstance(name, str))


def _slim(value: ast.expr, params: dict[str, ast.expr] | None = None, depth: int = 0) -> ast.expr:
    """The part of an assigned value the engine reads: summaries live as long as the
    process, so they must not keep whole expressions (a module-level dict literal,
    a call's arguments) alive.  Only aliases, calls (their callee; the arguments of
    ``TypeVar``/``TypeAdapter``/``cast``), and the operands of ``a or b`` and
    ``a if c else b`` are ever read.  ``params`` maps a method's annotated
    parameters, which an operand may name, to their annotations."""
    if params and isinstance(value, ast.Name) and value.id in params:
        return Declared(annotation=params[value.id])
    if isinstance(value, (ast.Name, ast.Attribute, ast.Subscript, ast.BinOp, ast.Constant)):
        return value
    if isinstance(value, ast.Call):
        func = value.func
        spelled = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if spelled == "TypeVar":
            return value  # its name, constraints and bound: all small
        if spelled in _TYPED_CALLS:
            return ast.Call(func=func, args=value.args[:1], keywords=[])  # the type, not the value
        return ast.Call(func=func, args=[], keywords=[])
    if depth < 4 and isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
        return ast.BoolOp(op=value.op, values=[_slim(v, params, depth + 1) for v in value.values])
    if depth < 4 and isinstance(value, ast.IfExp):
        return ast.IfExp(
            test=ast.Constant(value=None),
            body=_slim(value.body, params, depth + 1),
            orelse=_slim(value.orelse, params, depth + 1),
        )
    return ast.Constant(value=None)


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement in a body, nested blocks included, nested scopes excluded.

    Cheaper than ``ast.walk``: expressions are never entered.
    """
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            block = getattr(stmt, name, None)
            if block:
                stack.extend(reversed(block))


_ANNOTATED, _VALUE = DeclarationKind.ANNOTATED, DeclarationKind.VALUE


def _collect_self_attrs(
    func: ast.FunctionDef | ast.AsyncFunctionDef, attrs: dict[str, Declaration], conflicts: set[str]
) -> None:
    args = [*func.args.posonlyargs, *func.args.args]
    if not args:
        return
    self_name = args[0].arg
    params = {a.arg: a.annotation for a in [*args[1:], *func.args.kwonlyargs] if a.annotation is not None}
    for stmt in _statements(func.body):
        if isinstance(stmt, ast.AnnAssign):
            targets: list[ast.expr] = [stmt.target]
            value = stmt.value
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            targets = stmt.targets
            value = stmt.value
        else:
            continue
        target = targets[0]
        if not (
            isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == self_name
        ):
            continue
        if isinstance(stmt, ast.AnnAssign):
            _record(attrs, conflicts, target.attr, Declaration(_ANNOTATED, stmt.annotation))
        elif isinstance(value, ast.Name) and value.id in params:
            _record(attrs, conflicts, target.attr, Declaration(_ANNOTATED, params[value.id]))
        elif value is not None:
            _record(attrs, conflicts, target.attr, Declaration(_VALUE, _slim(value, params)))


def summarize(tree: ast.Module, name: str, path: Path | None, is_package: bool) -> ModuleSummary:
    """Read one module's top level into a summary (no inference, no imports followed)."""
    module = ModuleSummary(name=name, path=path, is_package=is_package)
    var_conflicts: set[str] = set()

    def visit(body: list[ast.stmt], type_checking: bool) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.asname:
                        module.imports[alias.asname] = alias.name
                        local = alias.asname
                    else:
                        local = alias.name.partition(".")[0]
                        module.imports[local] = local
                    if type_checking:
                        module.type_checking_names.add(local)
            elif isinstance(stmt, ast.ImportFrom):
                source = resolve_relative(module.package, stmt.level, stmt.module)
                if source is None:
                    continue
                for alias in stmt.names:
                    if alias.name == "*":
                        continue
                    local = alias.asname or alias.name
                    module.imports[local] = f"{source}.{alias.name}"
                    if type_checking:
                        module.type_checking_names.add(local)
            elif isinstance(stmt, ast.ClassDef):
                module.classes[stmt.name] = _summarize_class(stmt, module)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                module.functions[stmt.name] = _function(stmt, module.name, module, method=False)
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                _record(module.variables, var_conflicts, stmt.target.id, Declaration(_ANNOTATED, stmt.annotation))
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                _record(module.variables, var_conflicts, stmt.targets[0].id, Declaration(_VALUE, _slim(stmt.value)))
            elif isinstance(stmt, ast.If):
                checking = _is_type_checking(stmt.test)
                visit(stmt.body, type_checking or checking)
                visit(stmt.orelse, type_checking)
            elif isinstance(stmt, ast.Try):
                visit(stmt.body, type_checking)
                for handler in stmt.handlers:
                    visit(handler.body, type_checking)
                visit(stmt.orelse, type_checking)

    visit(tree.body, False)
    # A name both imported and defined: the definition is what the module exports.
    for defined in (*module.classes, *module.functions):
        module.imports.pop(defined, None)
    return module


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _digest(content: str | bytes) -> int:
    return hash(content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content)


def _release(summary: ModuleSummary | None) -> None:
    """Break a dropped summary's class <-> module cycle, so refcounting frees it.

    The engine freezes long-lived objects out of the cyclic collector's sight
    (see ``engine.check_tree``); a frozen cycle would never be collected.
    """
    if summary is not None:
        summary.classes.clear()
        summary.functions.clear()


def _parse_for_summary(source: bytes, filename: str) -> ast.Module:
    """The tree :func:`summarize` reads: of the skeleton (see ``skeleton.py``) when there is one."""
    skeleton = summary_source(source)
    if skeleton is not None:
        try:
            return ast.parse(skeleton, filename=filename)
        except (SyntaxError, ValueError):
            pass  # the full parse decides (and fails on a file that does not parse)
    return ast.parse(source, filename=filename)


class ProjectIndex:
    """Modules of the project under ``roots``, summarised on demand and memoised."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        self.roots = tuple(Path(os.path.abspath(root)) for root in roots)
        self._root_texts = tuple(os.path.join(str(root), "") for root in self.roots)
        self._modules: dict[str, ModuleSummary | None] = {}
        #: Bumped whenever a summary is replaced, so memos built on the index can tell.
        self.generation = 0
        self._paths: dict[str, Path | None] = {}
        # path -> (mtime_ns or -1, hash of the source or None, summary or None if unparsable)
        self._by_path: dict[Path, tuple[int, int | None, ModuleSummary | None]] = {}
        self._lookups: dict[str, Symbol | None] = {}
        # site-packages folders, found on first need; module name -> installed file.
        self._installed_roots: tuple[str, ...] | None = None
        self._installed_paths: dict[str, Path | None] = {}
        self._installed_entries: dict[str, frozenset[str]] = {}
        self._installed_read: list[Path] = []

    def close(self) -> None:
        """Drop every summary, breaking the class <-> module reference cycles."""
        for _, _, summary in self._by_path.values():
            _release(summary)
        self._by_path.clear()
        self._modules.clear()
        self._lookups.clear()
        self._paths.clear()
        self._installed_paths.clear()
        self._installed_entries.clear()

    # -- modules -------------------------------------------------------------

    def module_path(self, name: str) -> Path | None:
        if name in self._paths:
            return self._paths[name]
        found: Path | None = None
        rel = name.replace(".", os.sep)
        isfile = os.path.isfile
        for root in self._root_texts:
            for candidate in (f"{root}{rel}.py", f"{root}{rel}{os.sep}__init__.py", f"{root}{rel}.pyi"):
                if isfile(candidate):
                    found = Path(candidate)
                    break
            if found is not None:
                break
        self._paths[name] = found
        return found

    def module_name_for(self, path: Path) -> tuple[str, bool]:
        """The dotted name a file has under the first source root holding it."""
        path = Path(os.path.abspath(path))
        is_package = path.name == "__init__.py"
        for root in self.roots:
            try:
                rel = path.relative_to(root)
            except ValueError:
                continue
            parts = list(rel.with_suffix("").parts)
            if is_package:
                parts = parts[:-1]
            if parts and all(part.isidentifier() for part in parts):
                return ".".join(parts), is_package
        # Not importable by name (outside the roots, or ``case.in.py``): a name that
        # cannot collide with a real module and has no dots to split on.
        stem = path.parent.name if is_package else path.name.partition(".")[0]
        return "_" + "".join(c if c.isalnum() else "_" for c in stem), is_package

    def module(self, name: str) -> ModuleSummary | None:
        """The project's module ``name``, else the installed one, else None."""
        if name in self._modules:
            return self._modules[name]
        path = self.module_path(name)
        found = None if path is None else self._summary_for_path(path, name)
        if path is None:
            installed = self.installed_path(name)
            if installed is not None:
                found = self._summary_for_path(installed, name)
                if found is not None:
                    found.installed = True
        self._modules[name] = found
        return found

    # -- installed packages ------------------------------------------------

    def installed_path(self, name: str) -> Path | None:
        """The installed file defining module ``name`` (stubs first), within the read budget."""
        if name in self._installed_paths:
            return self._installed_paths[name]
        found = self._locate_installed(name)
        if found is not None:
            try:
                too_big = os.path.getsize(found) > MAX_INSTALLED_BYTES
            except OSError:
                too_big = True
            if too_big or len(self._installed_read) >= MAX_INSTALLED_FILES:
                found = None
            else:
                self._installed_read.append(found)
        self._installed_paths[name] = found
        return found

    def installed_exists(self, name: str) -> bool:
        """Whether :meth:`installed_path` would find ``name`` within budget; nothing is read or counted."""
        return self._locate_installed(name) is not None

    def _locate_installed(self, name: str) -> Path | None:
        """The installed file for ``name``, budget aside; never one of a package the engine knows by table."""
        head, _, rest = name.partition(".")
        if head in _TABLED_PACKAGES or not head.isidentifier():
            return None
        return self._find_installed(head, rest)

    def already_read(self, name: str) -> bool:
        """Whether :meth:`module` answers for ``name`` without reading a project file.

        The relevance pre-filter asks, so that it never parses a module the
        checks themselves might not need.
        """
        if name in self._modules:
            return True
        path = self.module_path(name)
        return path is None or Path(os.path.abspath(path)) in self._by_path

    def _find_installed(self, head: str, rest: str) -> Path | None:
        if self._installed_roots is None:
            self._installed_roots = tuple(
                os.path.abspath(entry)
                for entry in sys.path
                if entry and ("site-packages" in entry or "dist-packages" in entry) and os.path.isdir(entry)
            )
        join, isfile = os.path.join, os.path.isfile
        for root in self._installed_roots:
            entries = self._root_entries(root)
            if head not in entries and f"{head}-stubs" not in entries and f"{head}.py" not in entries:
                if f"{head}.pyi" not in entries:
                    continue  # most names asked about are no installed package: one set lookup, no stat
            if rest:
                tail = rest.replace(".", os.sep)
                stub, source = join(root, f"{head}-stubs", tail), join(root, head, tail)
                candidates: tuple[str, ...] = (
                    f"{stub}.pyi",
                    join(stub, "__init__.pyi"),
                    f"{source}.pyi",
                    join(source, "__init__.pyi"),
                    f"{source}.py",
                    join(source, "__init__.py"),
                )
            else:
                candidates = (
                    join(root, f"{head}-stubs", "__init__.pyi"),
                    join(root, head, "__init__.pyi"),
                    join(root, f"{head}.pyi"),
                    join(root, head, "__init__.py"),
                    join(root, f"{head}.py"),
                )
            for candidate in candidates:
                if isfile(candidate):
                    return Path(candidate)
        return None

    def _root_entries(self, root: str) -> frozenset[str]:
        """The names in a site-packages folder, listed once per index (as its roots are found once)."""
        found = self._installed_entries.get(root)
        if found is None:
            try:
                found = frozenset(os.listdir(root))
            except OSError:
                found = frozenset()
            self._installed_entries[root] = found
        return found

    def installed_sources(self) -> tuple[str, ...]:
        """Installed files this index has read so far (a result cache's validity depends on them)."""
        return tuple(sorted(str(path) for path in self._installed_read))

    def file_module(self, tree: ast.Module, path: Path, content: str | bytes | None = None) -> ModuleSummary:
        """The summary of the file being checked, built from the tree the caller parsed.

        ``content`` (the source the tree came from) tells whether a summary
        already made for this path, from disk through an import or from an
        earlier check, still describes this tree; without it the file's mtime
        does, and a path that does not exist (an unsaved buffer) is always
        summarised afresh.
        """
        abspath = Path(os.path.abspath(path))
        name, is_package = self.module_name_for(abspath)
        # Its own classes must resolve by qualified name even when no root holds it.
        self._paths.setdefault(name, abspath)
        digest = None if content is None else _digest(content)
        mtime = _mtime(abspath)
        cached = self._by_path.get(abspath)
        if cached is not None:
            same = cached[1] == digest if digest is not None else mtime >= 0 and cached[0] == mtime
            if same and cached[2] is not None:
                return cached[2]
            self._forget(cached[2])
        summary = summarize(tree, name, abspath, is_package)
        self._by_path[abspath] = (mtime, digest, summary)
        return summary

    def _forget(self, summary: ModuleSummary | None) -> None:
        """A file's summary is being replaced: earlier answers may be stale."""
        self.generation += 1
        self._lookups.clear()
        self._modules.clear()
        _release(summary)

    def _summary_for_path(self, path: Path, name: str) -> ModuleSummary | None:
        abspath = Path(os.path.abspath(path))
        mtime = _mtime(abspath)
        cached = self._by_path.get(abspath)
        if cached is not None and cached[0] == mtime:
            return cached[2]
        if cached is not None:
            self._forget(cached[2])
        summary: ModuleSummary | None = None
        digest: int | None = None
        try:
            source = abspath.read_bytes()
            digest = _digest(source)
            tree = _parse_for_summary(source, str(abspath))
            summary = summarize(tree, name, abspath, abspath.name in ("__init__.py", "__init__.pyi"))
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            summary = None
        self._by_path[abspath] = (mtime, digest, summary)
        return summary

    # -- symbols -------------------------------------------------------------

    def lookup(self, qualname: str, _hops: int = 0) -> Symbol | None:
        """What a qualified name denotes in the project, following re-exports."""
        if qualname in self._lookups:
            return self._lookups[qualname]
        result = self._lookup(qualname, _hops)
        self._lookups[qualname] = result
        return result

    def _lookup(self, qualname: str, hops: int) -> Symbol | None:
        if hops > _MAX_HOPS or qualname.startswith("builtins."):
            return None
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            module = self.module(".".join(parts[:cut]))
            if module is None:
                continue
            rest = parts[cut:]
            head = rest[0]
            if head in module.classes:
                cls = module.classes[head]
                return ClassSymbol(cls, module) if len(rest) == 1 else None
            if head in module.functions:
                return FunctionSymbol(module.functions[head], module) if len(rest) == 1 else None
            if head in module.variables:
                declared = module.variables[head]
                if len(rest) != 1:
                    return None
                if declared.kind is DeclarationKind.VALUE:
                    return AliasSymbol(declared.expr, module)
                return VariableSymbol(declared.expr, module)
            if head in module.imports:
                target = ".".join([module.imports[head], *rest[1:]])
                if target == qualname:
                    return None
                return self.lookup(target, hops + 1)
            submodule = self.module(".".join(parts[: cut + 1]))
            if submodule is not None and len(rest) == 1:
                return ModuleSymbol(submodule)
            return None
        module = self.module(qualname)
        if module is not None:
            return ModuleSymbol(module)
        return None

    def canonical_name(self, qualname: str) -> str:
        """The defining qualified name of a project class or function reached through re-exports."""
        symbol = self.lookup(qualname)
        # An installed class keeps the name the project spells (``redis.Redis``, not
        # ``redis.client.Redis``): configured and catalogued names are public ones.
        if isinstance(symbol, (ClassSymbol, FunctionSymbol)) and not symbol.module.installed:
            return symbol.summary.qualname
        return qualname

    def class_summary(self, qualname: str) -> ClassSummary | None:
        symbol = self.lookup(qualname)
        return symbol.summary if isinstance(symbol, ClassSymbol) else None

    def function_symbol(self, qualname: str) -> FunctionSymbol | None:
        """The module-level function ``qualname`` denotes, with the module defining it."""
        symbol = self.lookup(qualname)
        return symbol if isinstance(symbol, FunctionSymbol) else None

    def ancestors(self, cls: ClassSummary) -> list[ClassSummary | str]:
        """The class and its bases, depth-first in base order (an approximation of the MRO).

        Bases outside the project appear as their qualified names.
        """
        seen: set[str] = set()
        out: list[ClassSummary | str] = []

        def walk(item: ClassSummary | str, depth: int) -> None:
            key = item.qualname if isinstance(item, ClassSummary) else item
            if key in seen or depth > _MAX_HOPS:
                return
            seen.add(key)
            out.append(item)
            if isinstance(item, str):
                return
            for base in item.bases:
                if isinstance(base, ast.Subscript):  # Generic[T], BaseCache[str]
                    base = base.value
                name = item.module.qualify(base)
                if name is None:
                    continue
                name = self.canonical_name(name)
                summary = self.class_summary(name)
                walk(summary if summary is not None else name, depth + 1)

        walk(cls, 0)
        return out
