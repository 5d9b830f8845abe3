"""The relevance pre-filter: whether the semantic pass can find anything in a file at all.

Every rule needs one of three things in the file (see the rule modules):

- a value whose type is a cache class (CLT101, CLT102, CLT104, CLT107 and
  CLT103's sources: a receiver the engine *knows* is a cache) or a model
  (CLT106), or a cache class defined in the file (CLT103 on a cache's own
  ``get``);
- the text ``AsyncMock`` (CLT105 reports only an ``AsyncMock`` it sees spelled,
  imported or as ``mocker.AsyncMock``);
- a receiver named like ``receiver-name-patterns`` (opt-in): then every file
  is relevant.

A type reaches a file only through a name the file binds: an import (at any
level), a module-level class (its ``self``), or a builtin (a display ``{}`` is a
``builtins.dict``).  So the file is relevant when one of its imports or classes
*leads to* a cache or a model: it is one (:meth:`Knowledge.cache_kind`, sync or
async, and :meth:`Knowledge.is_model`, the engine's own judgements), or a name in
its bases, fields, ``self.x`` attributes, method or function return annotation,
or module variable leads to one (``from .deps import get_store`` with ``def
get_store() -> Cache``; ``deps: Deps`` whose field is a cache).  A module
imported as a whole leads when one of its members the file names does.  Names
outside the project lead when the catalogue or a model base lies under them
(``redis``, ``django.core.cache``, ``pydantic``); an installed package the
engine could read is taken to lead (the pre-filter reads none, so the engine's
bounded budget of installed files is spent as it would be without it).  A
configured class name seen in the text, or one that names a builtin, makes the
file (or every file) relevant.  When unsure, relevant: a chain deeper than
:data:`MAX_DEPTH` leads.

The pre-filter reads no project module either: it judges through the modules
the engine has already summarised (checked files, and modules earlier checks
reached), and a judgement that needs one not yet read makes the file relevant.
Reading it would cost about what checking the file costs, and measured on the
real-package corpus, judging through unread modules made the pre-filter cost
more than it saved (240 more modules parsed than the checks ever read).

The answers for names are memoised per configuration (one :class:`Relevance` per
:class:`Knowledge`) and dropped when the index replaces a summary.  Set
``CACHELINT_NO_PREFILTER=1`` to check every file (the soundness test compares).
"""

from __future__ import annotations

import ast
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from weakref import WeakKeyDictionary

from cachelint import catalogue, policy
from cachelint.analysis.checks.keys import CACHE_KEY_CLASSES
from cachelint.analysis.index import (
    BUILTIN_NAMES,
    ClassSummary,
    FunctionSummary,
    ModuleSummary,
    ProjectIndex,
    resolve_relative,
)
from cachelint.analysis.knowledge import TYPE_ADAPTERS, Knowledge
from cachelint.analysis.types import CANONICAL

#: Environment variable that turns the pre-filter off (every file gets the semantic pass).
DISABLE_ENV = "CACHELINT_NO_PREFILTER"
#: A chain of names followed further than this is taken to lead (sound, never a guess).
MAX_DEPTH = 24

#: Qualified names outside the project under which a cache or a model lies.
_LEADING = frozenset(
    {
        *(name for client in catalogue.CLIENTS for name in client.names),
        *catalogue.INSTANCES,
        *catalogue.INSTANCES.values(),
        *catalogue.FACTORIES,
        *catalogue.FACTORIES.values(),
        *catalogue.REGISTRIES,
        *catalogue.REGISTRIES.values(),
        *policy.DEFAULT_MODEL_BASES,
        *TYPE_ADAPTERS,
        *CACHE_KEY_CLASSES,
    }
)
_LEADING_PREFIXES = frozenset(name.rsplit(".", cut)[0] for name in _LEADING for cut in range(name.count(".") + 1))
#: Classes the engine gives a value without any name in the file: displays, builtin calls,
#: container methods, annotations it canonicalises.  A configured class matching one of
#: these could make a ``{}`` a cache, so the pre-filter steps aside.
_SYNTHESISED = frozenset(
    {
        *(f"builtins.{name}" for name in BUILTIN_NAMES),
        *CANONICAL.values(),
        "builtins.Ellipsis",
        "collections.abc.Iterator",
        "collections.abc.ValuesView",
        "collections.abc.KeysView",
        "collections.abc.ItemsView",
        "collections.abc.Coroutine",
    }
)
#: What :func:`_names` yields for an annotation nested too deeply to read: it leads.
TOO_DEEP = "<too deep>"
_IDENTIFIER = re.compile(rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*")
_IDENTIFIER_TEXT = re.compile(r"[^\W\d]\w*")
_CHAIN = re.compile(r"[^\W\d]\w*(?:\.[^\W\d]\w*)*")
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)


def disabled() -> bool:
    return os.environ.get(DISABLE_ENV, "") not in ("", "0")


def relevant(tree: ast.Module, module: ModuleSummary, knowledge: Knowledge, source: str | bytes | None) -> bool:
    """Whether ``tree`` (summarised as ``module``) can hold any finding under ``knowledge``'s settings.

    False only when no rule can report anything in the file; see the module docstring.
    """
    if disabled():
        return True
    return _relevance(knowledge).relevant(tree, module, source)


_RELEVANCE: WeakKeyDictionary[Knowledge, Relevance] = WeakKeyDictionary()


def _relevance(knowledge: Knowledge) -> Relevance:
    found = _RELEVANCE.get(knowledge)
    if found is None:
        found = _RELEVANCE[knowledge] = Relevance(knowledge)
    return found


class _Installed:
    """Marks a name the engine would read from an installed package."""


class _Unread(Exception):
    """A judgement needs a project module no check has read yet: the file is taken to be relevant."""


_INSTALLED = _Installed()
_Resolved = tuple[str, object, ModuleSummary] | _Installed | None


class Relevance:
    """The pre-filter for one configuration: memoised answers about names."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.index: ProjectIndex = knowledge.index
        settings = knowledge.settings
        configured = (*settings.sync_cache_classes, *settings.async_cache_classes, *settings.extra_model_bases)
        #: Every file is relevant: receivers are matched by name, or a configured class is a builtin.
        self.always = bool(settings.receiver_name_patterns and settings.sync_cache_classes) or any(
            policy.matches_any(configured, name) for name in _SYNTHESISED
        )
        #: A configured class spelled in the file may type anything the file reaches by attribute.
        self.words = tuple(sorted({entry.rpartition(".")[2].encode() for entry in configured if entry}))
        self._generation = self.index.generation
        self._memo: dict[str, bool] = {}
        self._active: set[str] = set()
        self._cycle = False
        self._installed: dict[str, bool] = {}
        self._submodules: dict[str, frozenset[str]] = {}

    # -- the file ----------------------------------------------------------------

    def relevant(self, tree: ast.Module, module: ModuleSummary, source: str | bytes | None) -> bool:
        if self.always:
            return True
        if self._generation != self.index.generation:
            self._generation = self.index.generation
            self._memo.clear()
        text = _as_bytes(source)
        words = self.words
        if text is not None:
            if b"AsyncMock" in text or any(word in text for word in words):
                return True
        identifiers = _Identifiers(tree, text)
        if text is None:
            found = identifiers.get()
            if "AsyncMock" in found or any(word.decode() in found for word in words):
                return True
        try:
            return self._judge_file(tree, module, text, identifiers)
        except _Unread:
            # Reading the module would cost what checking the file costs: check it instead.
            self._cycle = False
            return True

    def _judge_file(
        self, tree: ast.Module, module: ModuleSummary, text: bytes | None, identifiers: _Identifiers
    ) -> bool:
        # Imports first: most relevant files import their cache or model, and a class's
        # bases are imports too.  Nested imports only when an indented one is spelled.
        # Every import statement spells ``import``: more of them than top-level import
        # statements means a nested one (or the word in a string: a walk too many).
        top = _top_imports(tree)
        nested = text is None or text.count(b"import") > len(top)
        for qualname in _imports(tree.body if nested else top, module):
            if self._root_leads(qualname, identifiers, 0):
                return True
        for cls in module.classes.values():
            if self._class_leads(cls):
                return True
        # The file is itself (part of) a catalogued module (``redis/client.py``): its own names
        # qualify to catalogued ones (a factory, a client class, even one in a ``with`` block).
        own = module.name
        return own in _LEADING_PREFIXES and any(f"{own}.{name}" in _LEADING for name in _defined(tree, module))

    def _root_leads(self, qualname: str, identifiers: _Identifiers, depth: int) -> bool:
        """An imported name: a whole module leads through the members the file names."""
        if depth > MAX_DEPTH:
            return True
        resolved = self._resolve(qualname, 0)
        if not (isinstance(resolved, tuple) and resolved[0] == "module"):
            return self._leads(qualname)
        target = resolved[1]
        assert isinstance(target, ModuleSummary)
        names = identifiers.get()
        members = set(target.classes) | set(target.functions) | set(target.variables) | set(target.imports)
        for name in names & members:
            if self._leads(f"{target.name}.{name}"):
                return True
        if target.is_package:
            for name in names & self._package_contents(target.name):
                if self._root_leads(f"{target.name}.{name}", identifiers, depth + 1):
                    return True
        return False

    # -- names -------------------------------------------------------------------

    def _leads(self, qualname: str) -> bool:
        """Whether the object ``qualname`` denotes can give a value of a cache or model type."""
        return self._memoised(qualname, lambda: self._symbol_leads(qualname))

    def _memoised(self, key: str, compute: Callable[[], bool]) -> bool:
        # A name reached again while it is being judged answers False for now; an answer
        # that relied on such a provisional False is kept only once the outermost judgement
        # (which saw the whole cycle) is done.
        found = self._memo.get(key)
        if found is not None:
            return found
        if key in self._active:
            self._cycle = True
            return False
        if len(self._active) > MAX_DEPTH:
            return True
        self._active.add(key)
        outer, self._cycle = self._cycle, False
        try:
            result = compute()
        finally:
            self._active.discard(key)
        hit = self._cycle
        self._cycle = outer or hit
        if result or not hit or not self._active:
            self._memo[key] = result
        return result

    def _symbol_leads(self, qualname: str) -> bool:
        if qualname in _LEADING:
            return True  # catalogued, or CLT107's key API (no cache in sight): whatever the project's source says
        resolved = self._resolve(qualname, 0)
        if resolved is _INSTALLED:
            return True
        if resolved is None:
            return self._outside_leads(qualname)
        assert isinstance(resolved, tuple)
        kind, payload, owner = resolved
        if kind == "outside" and isinstance(payload, str):
            return self._outside_leads(qualname) or self._outside_leads(payload)
        if kind == "class" and isinstance(payload, ClassSummary):
            return self._class_leads(payload)
        if kind == "function" and isinstance(payload, FunctionSummary):
            return self._expr_leads(payload.returns, owner)
        if kind in ("var", "alias") and isinstance(payload, ast.expr):
            return self._expr_leads(payload, owner)
        return True  # a module reached other than by the file's own import: anything under it

    def _outside_leads(self, qualname: str) -> bool:
        """A name the index cannot see: the engine treats it as a class of that name, and
        reaches names under it by attribute (``redis`` -> ``redis.Redis``)."""
        if qualname in _LEADING_PREFIXES:
            return True
        parts = qualname.split(".")
        return any(".".join(parts[:cut]) in _LEADING for cut in range(1, len(parts)))

    def _class_leads(self, cls: ClassSummary) -> bool:
        return self._memoised(f"class {cls.qualname}", lambda: self._judge_class(cls))

    def _judge_class(self, cls: ClassSummary) -> bool:
        module = cls.module
        # Names first: a base the engine would read from an installed package leads before
        # the judgements below could read it.
        if any(self._expr_leads(base, module) for base in cls.bases):
            return True
        if any(self._expr_leads(annotation, module) for annotation in cls.fields.values()):
            return True
        if any(self._expr_leads(expr, module) for _, expr in cls.instance_attrs.values()):
            return True
        if any(self._expr_leads(method.returns, module) for method in cls.methods.values()):
            return True
        knowledge = self.knowledge
        return knowledge.cache_kind(cls.qualname) is not None or knowledge.is_model(cls.qualname)

    def _expr_leads(self, expr: ast.expr | None, module: ModuleSummary) -> bool:
        if expr is None:
            return False
        for qualname in _names(expr, module, 0):
            if qualname == TOO_DEEP:
                return True
            if not qualname.startswith("builtins.") and self._leads(qualname):
                return True
        return False

    # -- the index, without reading installed packages ------------------------------

    def _resolve(self, qualname: str, hops: int) -> _Resolved:
        """``ProjectIndex.lookup`` over the project's modules only; :data:`_INSTALLED` where
        the lookup would read an installed package."""
        if hops > MAX_DEPTH:
            return _INSTALLED  # too long a chain of re-exports: take it to lead
        if qualname.startswith("builtins."):
            return None
        index = self.index
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:cut])
            if index.module_path(prefix) is None:
                if self._is_installed(prefix):
                    return _INSTALLED
                continue
            module = self._module(prefix)
            if module is None:
                continue
            rest = parts[cut:]
            head = rest[0]
            if head in module.classes:
                return ("class", module.classes[head], module) if len(rest) == 1 else None
            if head in module.functions:
                return ("function", module.functions[head], module) if len(rest) == 1 else None
            if head in module.variables:
                kind, expr = module.variables[head]
                if len(rest) == 1:
                    return ("alias" if kind == "value" else "var", expr, module)
                return None
            if head in module.imports:
                target = ".".join([module.imports[head], *rest[1:]])
                if target == qualname:
                    return None
                # Unresolved at the end of the re-exports: the engine keeps one of the names.
                return self._resolve(target, hops + 1) or ("outside", target, module)
            submodule = f"{prefix}.{head}"
            if index.module_path(submodule) is not None:
                found = self._module(submodule)
                if found is not None and len(rest) == 1:
                    return ("module", found, found)
            elif self._is_installed(submodule):
                return _INSTALLED
            return None
        if index.module_path(qualname) is not None:
            found = self._module(qualname)
            if found is not None:
                return ("module", found, found)
        elif self._is_installed(qualname):
            return _INSTALLED
        return None

    def _is_installed(self, name: str) -> bool:
        """Whether ``ProjectIndex.installed_path`` could find ``name`` (never counted as read)."""
        found = self._installed.get(name)
        if found is None:
            found = self._installed[name] = self.index.installed_exists(name)
        return found

    def _module(self, name: str) -> ModuleSummary | None:
        """``ProjectIndex.module`` for a module the engine has already read; else :class:`_Unread`."""
        if not self.index.already_read(name):
            raise _Unread(name)
        return self.index.module(name)

    def _package_contents(self, package: str) -> frozenset[str]:
        """Names of the submodules a project package may have, under every source root."""
        found = self._submodules.get(package)
        if found is None:
            names: set[str] = set()
            rel = package.replace(".", os.sep)
            for root in self.index.roots:
                try:
                    entries = os.listdir(root / rel)
                except OSError:
                    continue
                for entry in entries:
                    stem = entry.partition(".")[0]
                    if stem.isidentifier():
                        names.add(stem)
            found = self._submodules[package] = frozenset(names)
        return found


def _as_bytes(source: str | bytes | None) -> bytes | None:
    if source is None or isinstance(source, bytes):
        return source
    return source.encode("utf-8", "surrogatepass")


class _Identifiers:
    """The identifiers a file spells (in code, strings or comments), computed on first need."""

    def __init__(self, tree: ast.Module, text: bytes | None) -> None:
        self._tree = tree
        self._text = text
        self._found: frozenset[str] | None = None

    def get(self) -> frozenset[str]:
        if self._found is None:
            self._found = self._compute()
        return self._found

    def _compute(self) -> frozenset[str]:
        text = self._text
        if text is not None:
            coding = _CODING.search(text, 0, _second_line_end(text))
            plain = coding is None or coding.group(1).lower().replace(b"_", b"-") in (b"utf-8", b"utf8", b"ascii")
            if plain:
                words = set(_IDENTIFIER.findall(text))
                ascii_words = {w.decode("ascii") for w in words if w.isascii()}
                others = [w for w in words if not w.isascii()]
                try:
                    decoded = {unicodedata.normalize("NFKC", w.decode("utf-8")) for w in others}
                except UnicodeDecodeError:
                    pass
                else:
                    return frozenset(ascii_words | decoded)
        return frozenset(_tree_identifiers(self._tree))


def _second_line_end(text: bytes) -> int:
    first = text.find(b"\n")
    if first < 0:
        return len(text)
    second = text.find(b"\n", first + 1)
    return len(text) if second < 0 else second


def _tree_identifiers(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.alias):
            yield from node.name.split(".")
            if node.asname:
                yield node.asname
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield from _IDENTIFIER_TEXT.findall(node.value)


def _top_imports(tree: ast.Module) -> list[ast.stmt]:
    return [stmt for stmt in tree.body if isinstance(stmt, (ast.Import, ast.ImportFrom))]


def _imports(body: list[ast.stmt], module: ModuleSummary) -> Iterator[str]:
    """What the import statements in ``body`` bind, nested ones included, as the engine's
    scopes qualify them (``import a.b`` binds ``a``)."""
    for stmt in _all_statements(body):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                yield alias.name if alias.asname else alias.name.partition(".")[0]
        elif isinstance(stmt, ast.ImportFrom):
            source = resolve_relative(module.package, stmt.level, stmt.module)
            if source is None:
                continue
            for alias in stmt.names:
                if alias.name != "*":
                    yield f"{source}.{alias.name}"


def _defined(tree: ast.Module, module: ModuleSummary) -> Iterator[str]:
    """Names the file defines: module-level variables, and classes and functions anywhere."""
    yield from module.variables
    for stmt in _all_statements(tree.body):
        if isinstance(stmt, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            yield stmt.name


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _all_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement, nested functions and classes included; expressions are never entered."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ast.stmt):
            yield stmt
        for name in _BLOCKS:
            block = getattr(stmt, name, None)
            if block:
                stack.extend(reversed(block))


def _names(expr: ast.expr, module: ModuleSummary, depth: int) -> Iterator[str]:
    """Qualified names an annotation or summarised value refers to (string annotations parsed)."""
    if depth > MAX_DEPTH:
        yield TOO_DEEP
        return
    stack: list[ast.AST] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualname = module.qualify(node)
            if qualname is not None:
                yield qualname
                continue
            if isinstance(node, ast.Attribute):
                stack.append(node.value)
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            # A string annotation: every dotted name in it, instead of parsing it (most
            # strings a summary keeps are no annotations).  A superset of what the
            # resolver reads: it resolves only names, attributes and subscripts.
            for chain in _CHAIN.findall(node.value):
                head, _, rest = chain.partition(".")
                qualname = module.qualify_name(head)
                if qualname is not None:
                    yield f"{qualname}.{rest}" if rest else qualname
            continue
        stack.extend(ast.iter_child_nodes(node))
