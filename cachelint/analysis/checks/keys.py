"""CLT107 unstable-cache-key: a cache key built from something that differs between processes or calls.

The key arguments of a call on a cache the engine recognises (sync or async),
and the arguments of ``cachelint.runtime.CacheKey(...)``/``CacheKey.for_content``,
are followed back through the ways a key is assembled (f-strings, ``%``, ``+``,
``.format``, ``join``, tuples, ``str()``, ``.encode()``, ``hashlib`` digests,
``json.dumps``, a local variable assigned once in the same function) to a
source whose value is not the same in every worker: ``hash()``/``id()``, the
clock, a random or unique value, or the iteration order of a set of strings.

Anything else stops the search with no finding: a call of an unknown function,
an attribute, a parameter, a value assigned twice.  Time divided into buckets
(``time.time() // 3600``, ``.date()``, ``.strftime(...)``) is deliberate and
is not followed; neither is ``sorted(...)``, which fixes a set's order.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from cachelint import policy
from cachelint.analysis.context import Context
from cachelint.analysis.diagnostic import Diagnostic
from cachelint.analysis.semantic import BindingKind, Scope, Visit
from cachelint.analysis.types import Inst, without_none
from cachelint.rules import CLT107
from cachelint.signatures import Signature, parse_signature_text

#: Methods whose key argument names one entry.  Bulk methods (``get_many``) take
#: containers of keys and are not followed.
KEYED_METHODS = frozenset(
    {
        "get",
        "set",
        "add",
        "put",
        "delete",
        "setex",
        "has",
        "exists",
        "touch",
        "incr",
        "decr",
        "expire",
        "get_or_set",
        "invalidate",
        "evict",
    }
)
#: Parameter names that hold (part of) a key when a method's signature is known.
_KEY_PARAMS = frozenset({"name", "cache_type", "namespace", "prefix"})
#: A first parameter with one of these names is no key, whatever the method is called
#: (diskcache's ``expire(now=None)`` takes a time).
_NOT_KEY_PARAMS = frozenset(
    {"now", "time", "timeout", "ttl", "expire", "value", "default", "retry", "version", "delta"}
)
CACHE_KEY_CLASSES = frozenset({"cachelint.runtime.CacheKey", "cachelint.runtime.keys.CacheKey"})

#: Per-process values: the same code gives another key in another worker or after a restart.
PER_PROCESS_CALLS = {
    "builtins.hash": "is salted per process (PYTHONHASHSEED), so other workers and restarts never read the entry",
    "builtins.id": "is a memory address, so other workers and the next restart never read the entry",
}
_WHY_CALL = "changes on every call, so the entry is never read back"
_WHY_ORDER = (
    "iterates a set of strings, whose order follows the per-process string hash, "
    "so other workers and the next restart build a different key"
)
PER_CALL_CALLS = frozenset(
    {
        "time.time",
        "time.time_ns",
        "time.monotonic",
        "time.monotonic_ns",
        "time.perf_counter",
        "time.perf_counter_ns",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "uuid.uuid1",
        "uuid.uuid4",
        "os.urandom",
    }
)
#: Every function of these modules draws a fresh value (``random.Random(seed)`` bound to a
#: name is an instance, whose methods are not followed).
PER_CALL_MODULES = ("random.", "secrets.")
#: Calls whose result varies with any argument: conversions, serialisers, digests.
_PASS_CALLS = frozenset(
    {
        "builtins.str",
        "builtins.repr",
        "builtins.format",
        "builtins.bytes",
        "builtins.int",
        "builtins.float",
        "builtins.tuple",
        "builtins.list",
        "json.dumps",
        "pickle.dumps",
        "base64.b64encode",
        "base64.urlsafe_b64encode",
    }
)
#: Calls that iterate their first argument in order: a set of strings there is unstable.
_ORDERING_CALLS = frozenset(
    {"builtins.str", "builtins.repr", "builtins.format", "builtins.tuple", "builtins.list", "pickle.dumps"}
)
#: Methods whose result varies with their receiver (``x.encode()``, ``digest.hexdigest()``).
_RECEIVER_METHODS = frozenset(
    {
        "encode",
        "decode",
        "lower",
        "upper",
        "casefold",
        "strip",
        "lstrip",
        "rstrip",
        "isoformat",
        "timestamp",
        "hex",
        "hexdigest",
        "digest",
    }
)
#: Attributes whose value varies with their object (``uuid.uuid4().hex``).
_RECEIVER_ATTRIBUTES = frozenset({"hex", "int", "urn", "bytes"})
_SETS = frozenset({"builtins.set", "builtins.frozenset"})
_STR = Inst("builtins.str")
_MAX_DEPTH = 12


#: Caches that live in one process's memory: one hash seed, one address space, so keys from
#: ``hash()``, ``id()`` or a set's order are stable for as long as the entries live.
IN_PROCESS_CACHES = ("cachetools.", "cachelib.SimpleCache", "cachelib.simple.SimpleCache")


@dataclass(frozen=True)
class Unstable:
    """Where a key stops being stable: the expression as written and why it varies."""

    source: str
    why: str
    #: Stable within one process (``hash()``, ``id()``, a set's order), unlike the clock.
    per_process: bool = True


class _KeyFlow:
    """Follows one key expression back to an unstable source, inside one function."""

    def __init__(self, ctx: Context, scope: Scope) -> None:
        self.ctx = ctx
        self.home = _home(scope)
        # What each followed assignment gave: a name used many times is followed once, so a
        # file of names built from names cannot make the search exponential.
        self.values: dict[int, Unstable | None] = {}
        self.sets: dict[int, bool] = {}

    def unstable(self, node: ast.expr, scope: Scope, depth: int = 0) -> Unstable | None:
        """Why the value of ``node`` is not the same in every process and call, or None."""
        if depth > _MAX_DEPTH:
            return None
        depth += 1
        if isinstance(node, ast.JoinedStr):
            return self._first(
                (value.value for value in node.values if isinstance(value, ast.FormattedValue)), scope, depth
            )
        if isinstance(node, (ast.Tuple, ast.List)):
            return self._first((_unstarred(elt) for elt in node.elts), scope, depth)
        if isinstance(node, ast.Dict):
            return self._first((item for item in (*node.keys, *node.values) if item is not None), scope, depth)
        if isinstance(node, ast.BinOp):
            return self._binop(node, scope, depth)
        if isinstance(node, ast.IfExp):
            return self.unstable(node.body, scope, depth) or self.unstable(node.orelse, scope, depth)
        if isinstance(node, ast.Name):
            value, owner = self._assigned(node, scope)
            if value is None or owner is None:
                return None
            if id(value) not in self.values:
                self.values[id(value)] = None  # reached again while followed: no source
                self.values[id(value)] = self.unstable(value, owner, depth)
            return self.values[id(value)]
        if isinstance(node, ast.Attribute):
            if node.attr in _RECEIVER_ATTRIBUTES and isinstance(node.value, ast.Call):
                return self.unstable(node.value, scope, depth)
            return None
        if isinstance(node, ast.Call):
            return self._call(node, scope, depth)
        return None

    def ordered(self, node: ast.expr, scope: Scope, depth: int) -> Unstable | None:
        """``node`` is iterated in order (joined, converted, formatted): a set of strings is unstable."""
        if self._string_set(node, scope, depth):
            return Unstable(self.ctx.source(node), _WHY_ORDER)
        return self.unstable(node, scope, depth)

    # -- the ways a key is assembled ------------------------------------------------

    def _first(self, nodes: Iterator[ast.expr], scope: Scope, depth: int) -> Unstable | None:
        for node in nodes:
            found = self.ordered(node, scope, depth)
            if found is not None:
                return found
        return None

    def _binop(self, node: ast.BinOp, scope: Scope, depth: int) -> Unstable | None:
        if isinstance(node.op, ast.Mod) and _is_text_literal(node.left):
            parts = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
            return self._first(iter(parts), scope, depth)
        if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult)):
            return self.unstable(node.left, scope, depth) or self.unstable(node.right, scope, depth)
        # ``//``, ``/``, ``%`` on a number: a bucket, chosen to be the same for a while.
        return None

    def _call(self, node: ast.Call, scope: Scope, depth: int) -> Unstable | None:
        func = node.func
        qualname = _qualname(self.ctx, func, scope)
        if qualname is not None:
            if qualname in CACHE_KEY_CLASSES or qualname.rpartition(".")[0] in CACHE_KEY_CLASSES:
                return None  # checked where it is written
            if qualname in PER_PROCESS_CALLS:
                return Unstable(self.ctx.source(node), PER_PROCESS_CALLS[qualname])
            if qualname in PER_CALL_CALLS or qualname.startswith(PER_CALL_MODULES):
                return Unstable(self.ctx.source(node), _WHY_CALL, per_process=False)
            arguments = [_unstarred(arg) for arg in node.args] + [kw.value for kw in node.keywords]
            if qualname in _ORDERING_CALLS and node.args:
                return self.ordered(arguments[0], scope, depth)
            if qualname in _PASS_CALLS or qualname.startswith("hashlib."):
                return self._first(iter(arguments), scope, depth)
            return None  # a function the engine does not follow
        if not isinstance(func, ast.Attribute):
            return None
        if func.attr == "join" and len(node.args) == 1 and not node.keywords:
            return self._joined(node.args[0], scope, depth)
        if func.attr == "format":
            arguments = [_unstarred(arg) for arg in node.args] + [kw.value for kw in node.keywords]
            return self._first(iter(arguments), scope, depth)
        if func.attr in _RECEIVER_METHODS:
            return self.unstable(func.value, scope, depth)
        return None

    def _joined(self, items: ast.expr, scope: Scope, depth: int) -> Unstable | None:
        if isinstance(items, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            for generator in items.generators:
                if self._string_set(generator.iter, scope, depth):
                    return Unstable(self.ctx.source(generator.iter), _WHY_ORDER)
            return None
        return self.ordered(items, scope, depth)

    # -- names and sets ---------------------------------------------------------------

    def _assigned(self, name: ast.Name, scope: Scope) -> tuple[ast.expr | None, Scope | None]:
        """The one value a local of the key's own function was assigned, with its scope."""
        owner = self.ctx.model.lookup_scope(name.id, scope)
        if owner is None or owner is not self.home:
            return None, None
        bindings = owner.bindings.get(name.id, ())
        if len(bindings) != 1:
            return None, None
        payload = bindings[0].expr if bindings[0].kind is BindingKind.VALUE else None
        # A name is followed as often as it is used; the depth bound ends ``x = x + "a"``.
        return (payload, owner) if payload is not None else (None, None)

    def _string_set(self, node: ast.expr, scope: Scope, depth: int) -> bool:
        """Whether ``node`` is a ``set``/``frozenset`` whose elements are known to be strings."""
        if depth > _MAX_DEPTH:
            return False
        depth += 1
        ty = without_none(self.ctx.model.type_of(node, scope))
        if isinstance(ty, Inst) and ty.qualname in _SETS:
            return ty.args[:1] == (_STR,) or self._structural_set(node, scope, depth)
        return self._structural_set(node, scope, depth)

    def _structural_set(self, node: ast.expr, scope: Scope, depth: int) -> bool:
        if isinstance(node, ast.Set):
            return all(self._text(elt, scope) for elt in node.elts)
        if isinstance(node, ast.SetComp):
            return self._text(node.elt, scope)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.BitAnd, ast.Sub, ast.BitXor)):
            return self._string_set(node.left, scope, depth) or self._string_set(node.right, scope, depth)
        if isinstance(node, ast.Name):
            value, owner = self._assigned(node, scope)
            if value is None or owner is None:
                return False
            if id(value) not in self.sets:
                self.sets[id(value)] = False
                self.sets[id(value)] = self._string_set(value, owner, depth)
            return self.sets[id(value)]
        if not isinstance(node, ast.Call):
            return False
        func = node.func
        if _qualname(self.ctx, func, scope) in _SETS:
            return len(node.args) == 1 and not node.keywords and self._texts(node.args[0], scope)
        if isinstance(func, ast.Attribute) and func.attr in ("union", "intersection", "difference", "copy"):
            return self._string_set(func.value, scope, depth)
        return False

    def _text(self, node: ast.expr, scope: Scope) -> bool:
        if _is_text_literal(node):
            return True
        return without_none(self.ctx.model.type_of(node, scope)) == _STR

    def _texts(self, node: ast.expr, scope: Scope) -> bool:
        """An iterable of strings: a literal of them, ``s.split(...)``, a string, a typed container."""
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            return bool(node.elts) and all(self._text(elt, scope) for elt in node.elts)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("split", "rsplit")
        ):
            return self._text(node.func.value, scope)
        ty = without_none(self.ctx.model.type_of(node, scope))
        if ty == _STR:
            return True
        return isinstance(ty, Inst) and ty.qualname in policy.ELEMENT_CONTAINERS and ty.args[:1] == (_STR,)


def _home(scope: Scope) -> Scope:
    """The function (or module) whose locals a key may be followed through."""
    current = scope
    while current.kind not in ("function", "module") and current.parent is not None:
        current = current.parent
    return current


def _unstarred(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Starred) else node


def _is_text_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _qualname(ctx: Context, func: ast.expr, scope: Scope) -> str | None:
    if not isinstance(func, (ast.Name, ast.Attribute)):
        return None
    qualname = scope.qualify(func)
    return None if qualname is None else ctx.knowledge.index.canonical_name(qualname)


# -- which arguments are keys --------------------------------------------------------


def _key_like(name: str) -> bool:
    return "key" in name.lower() or name in _KEY_PARAMS


def _signature(ctx: Context, cls: str, method: str, kind: str) -> tuple[bool, Signature | None]:
    """Whether ``cls`` has ``method`` as the engine knows it, and its signature when known."""
    knowledge = ctx.knowledge
    if kind == "sync":
        info = knowledge.cache_method(cls, method)
        return info is not None and not info.is_async, info.signature if info is not None else None
    entry = policy.catalogued_method(knowledge.cache_facts(cls), method)
    if entry is not None:
        return True, parse_signature_text(entry.signature)
    found = knowledge.method_summary(cls, method)
    return found is not None, found[0].signature if found is not None else None


def _key_arguments(node: ast.Call, signature: Signature | None) -> list[ast.expr]:
    """The arguments that name the entry: those bound to key-like parameters, else the first."""
    keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg is not None}
    if signature is None:
        found = [node.args[0]] if node.args and not isinstance(node.args[0], ast.Starred) else []
        return found + [value for name, value in keywords.items() if name == "key" or name.endswith("_key")]
    positional = signature.positional_params()
    names = {param.name for param in positional if _key_like(param.name)} or {
        param.name for param in positional[:1] if param.name not in _NOT_KEY_PARAMS
    }
    found = []
    for index, arg in enumerate(node.args):
        if isinstance(arg, ast.Starred):
            break
        param = signature.param_for(index, None)
        if param is not None and param.name in names:
            found.append(arg)
    return found + [value for name, value in keywords.items() if name in names]


def _cache_of(ctx: Context, receiver: ast.expr, scope: Scope) -> tuple[str, str] | None:
    """The cache class of ``receiver`` and whether it is sync or async, when the engine knows it."""
    cls = ctx.model.receiver_cache(receiver, scope)
    if cls is not None:
        return cls, "sync"
    ty = without_none(ctx.model.type_of(receiver, scope))
    if isinstance(ty, Inst) and ctx.knowledge.cache_kind(ty.qualname) == "async":
        return ty.qualname, "async"
    return None


@dataclass(frozen=True)
class _Target:
    """A call that takes keys: what the message calls it, and its key arguments."""

    display: str
    method: str
    keys: list[ast.expr]
    #: The cache class, for a cache method; None for the ``CacheKey`` API.
    cache: str | None = None


def _cache_call(ctx: Context, node: ast.Call, func: ast.Attribute, scope: Scope) -> _Target | None:
    found = _cache_of(ctx, func.value, scope)
    if found is None:
        return None
    cls, kind = found
    known, signature = _signature(ctx, cls, func.attr, kind)
    if not known:
        return None
    return _Target(ctx.knowledge.display(cls), f".{func.attr}", _key_arguments(node, signature), cls)


def _key_api_call(ctx: Context, node: ast.Call, scope: Scope) -> _Target | None:
    func = node.func
    # Cheap spelling tests first: this runs on every call of every file.
    if isinstance(func, ast.Name):
        # The module's own imports (a dict lookup); a CacheKey imported inside a function is not seen.
        if ctx.model.module.imports.get(func.id) not in CACHE_KEY_CLASSES:
            return None
    elif not (isinstance(func, ast.Attribute) and func.attr in ("CacheKey", "for_content")):
        return None
    qualname = _qualname(ctx, func, scope)
    if qualname in CACHE_KEY_CLASSES:
        method = ""
    elif qualname is not None and qualname.rpartition(".")[0] in CACHE_KEY_CLASSES:
        method = f".{qualname.rpartition('.')[2]}"
    else:
        return None
    return _Target("CacheKey", method, [_unstarred(arg) for arg in node.args] + [kw.value for kw in node.keywords])


def _in_process(ctx: Context, cls: str) -> bool:
    return any(name.startswith(IN_PROCESS_CACHES) for name in ctx.knowledge.cache_facts(cls).mro)


@CLT107.on(ast.Call)
def check_key(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
    node = visit.node
    assert isinstance(node, ast.Call)
    func = node.func
    scope = visit.scope
    if isinstance(func, ast.Attribute) and func.attr in KEYED_METHODS:
        target = _cache_call(ctx, node, func, scope)
    else:
        target = _key_api_call(ctx, node, scope)
    if target is None:
        return
    flow = _KeyFlow(ctx, scope)
    for key in target.keys:
        # for_content encodes sets canonically: only what varies by itself counts there.
        unstable = flow.unstable(key, scope) if target.method == ".for_content" else flow.ordered(key, scope, 0)
        if unstable is None:
            continue
        if unstable.per_process and target.cache is not None and _in_process(ctx, target.cache):
            continue
        yield ctx.report(
            key,
            CLT107,
            name=ctx.source(key),
            cls=target.display,
            method=target.method,
            source=unstable.source,
            why=unstable.why,
        )
