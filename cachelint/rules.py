"""The rule catalog: every cachelint rule, defined once.

Each entry carries the code, the kebab-case name, the message template, the
default state, the mypy error code and the documentation sections.  The flake8
adapter, the mypy plugin, the CLI, the codemod and the generated docs all read
this table; ``tests/test_catalog.py`` fails when any of them drifts from it.

Codes are permanent: a retired rule stays here with ``removed=True`` and its
code is never reused.

Message templates are formatted only at a front end's boundary (see
:meth:`Rule.format`), from the named arguments a check attaches to its
diagnostic, so one finding reads the same in flake8, the CLI and mypy.
"""

from __future__ import annotations

import ast
import enum
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

PREFIX = "CLT"
#: Where the rule pages (``docs/rules.md``, one ``<a id="clt101">`` anchor per rule) are published.
#: SARIF ``helpUri`` and the language server's ``codeDescription.href`` point here.
DOCS_URL = "https://github.com/cachelint/cachelint/blob/main/docs/rules.md"
#: The attribute :meth:`Rule.on` and :meth:`Rule.per_file` set on a check function: its
#: :class:`Registration` records, which ``cachelint.analysis.checks.registry`` collects.
CHECK_MARK = "__cachelint_registrations__"

CheckT = TypeVar("CheckT", bound=Callable[..., object])


class Safety(str, enum.Enum):
    """A fix's safety, as in ruff: a safe fix keeps what the code meant and applies by
    default; an unsafe one may change behaviour and applies only with ``--unsafe-fixes``."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Fix:
    """One kind of fix a rule offers.  ``kind`` is the stable name the codemod plans by;
    ``why`` is the reason for its safety, shown on the rule's page."""

    kind: str
    title: str
    safety: Safety
    why: str


@dataclass(frozen=True)
class Registration:
    """One ``@rule.on(...)``/``@rule.per_file`` line on a check: the rule it reports and
    the node types it is called with (none: once per file, after every node was seen)."""

    rule: Rule
    node_types: tuple[type[ast.AST], ...]


def _mark(check: CheckT, registration: Registration) -> CheckT:
    # A mark on the function, not a global table: importing a module registers nothing
    # until the checks package is scanned, and a test can import a check on its own.
    marks: tuple[Registration, ...] = getattr(check, CHECK_MARK, ())
    setattr(check, CHECK_MARK, (*marks, registration))
    return check


@dataclass(frozen=True)
class Rule:
    """One rule of the catalog.

    ``message`` is a ``str.format`` template over the arguments the check
    supplies; ``fix_title`` is the short imperative a front end may show beside
    it.  ``what``/``why``/``example``/``use_instead``/``fix_safety`` are the
    sections of the rule's page (``cachelint explain CODE``); ``options``
    are described once, in :data:`OPTIONS`.  ``mypy`` says what the mypy
    plugin reports under ``mypy_code`` (its row in ``docs/mypy.md``), or is
    None when the plugin does not cover the rule (the differential test then
    expects nothing from mypy).

    A check registers itself through the rules it reports (in a module of
    ``cachelint/analysis/checks/``, found by scanning that package)::

        @CLT107.on(ast.Call)
        def check_key(ctx: Context, visit: Visit) -> Iterator[Diagnostic]:
            ...
            yield ctx.report(node, CLT107, receiver=..., cls=...)
    """

    code: str
    name: str
    summary: str
    message: str
    fix_title: str
    default_enabled: bool
    mypy_code: str
    mypy: str | None
    what: str
    why: str
    example: str
    use_instead: str
    fix_safety: str
    #: The fixes the codemod can apply; a rule without any is reported only.
    fixes: tuple[Fix, ...] = ()
    #: ``[tool.cachelint]`` keys that change what this rule reports (its page's Options section).
    options: tuple[str, ...] = ()
    removed: bool = False

    @property
    def fixable(self) -> bool:
        return bool(self.fixes)

    def fix(self, kind: str) -> Fix:
        """The rule's fix of this ``kind`` (``KeyError`` if it offers none)."""
        for fix in self.fixes:
            if fix.kind == kind:
                return fix
        raise KeyError(f"{self.code} has no {kind!r} fix")

    @property
    def unsafe_fix(self) -> bool:
        """Every fix the rule offers is unsafe (applied only with ``--unsafe-fixes``)."""
        return bool(self.fixes) and all(fix.safety is Safety.UNSAFE for fix in self.fixes)

    @property
    def url(self) -> str:
        """The rule's page: the anchor ``docs/rules.md`` gives it."""
        return f"{DOCS_URL}#{self.code.lower()}"

    def format(self, args: Mapping[str, str]) -> str:
        """Render the message (without the code) from a diagnostic's arguments."""
        return self.message.format_map(args)

    @cached_property
    def fields(self) -> frozenset[str]:
        """The names the message template needs: every diagnostic of the rule carries them."""
        return frozenset(name for _, name, _, _ in string.Formatter().parse(self.message) if name)

    # -- registering checks ---------------------------------------------------------

    def on(self, *node_types: type[ast.AST]) -> Callable[[CheckT], CheckT]:
        """Decorator: the check reports this rule and is called with every node of these
        types (``check(ctx, visit)``).  Stack one line per rule a check reports."""
        if not node_types:
            raise TypeError(f"{self.code}.on() needs at least one node type")
        registration = Registration(self, node_types)
        return lambda check: _mark(check, registration)

    def per_file(self, check: CheckT) -> CheckT:
        """Decorator: the check reports this rule and is called once per file (``check(ctx)``),
        after the file model is built, for a pass that needs the whole file."""
        return _mark(check, Registration(self, ()))


#: What every rule's ``example`` and ``use_instead`` assume: the incident's names.  The rules
#: page shows it once; ``tests/test_catalog.py`` runs each example after it through the
#: engine (the example must report its rule, the code to use instead must not).
EXAMPLE_SETUP = """\
import asyncio
import time
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from unittest.mock import AsyncMock, create_autospec

from pydantic import BaseModel, TypeAdapter
from redis import Redis

from cachelint.runtime import AsyncCacheManager, CacheKey

T = TypeVar("T")


class PatternAnalysis(BaseModel):
    type: str
    confidence: float


class CacheManager:  # a synchronous cache: get(cache_type, content_key)
    def get(self, cache_type: str, content_key: str) -> Any: ...
    def set(self, cache_type: str, content_key: str, value: Any) -> None: ...


@dataclass
class Deps:
    cache_manager: CacheManager


class PatternRecognizer:
    def detect_patterns(self, findings: list[str]) -> list[PatternAnalysis]: ...


cache = CacheManager()
sync_cache = cache
deps = Deps(cache)
recognizer = PatternRecognizer()
"""


# -- the fixes (kinds are what the codemod plans by) ---------------------------

#: The settings that decide whether a call's receiver is a sync cache: what CLT101
#: and CLT104 both depend on, listed once so their rule pages cannot drift apart.
_CALL_SITE_OPTIONS = (
    "sync-cache-classes",
    "async-cache-classes",
    "not-cache-classes",
    "cache-methods",
    "receiver-name-patterns",
    "source-roots",
)

TYPED_API_FIX = Fix(
    "typed-async-api",
    "Rewrite the call to AsyncCacheManager's typed get_list/get_model/set_list/set_model",
    Safety.SAFE,
    "The awaited call could only raise before; the rewrite runs it through the adapter with the arguments "
    "the cache declares, and the value comes back validated as the type the code already declared.",
)
BLOCKING_FIX = Fix(
    "typed-async-api",
    "Await the typed AsyncCacheManager call instead of the blocking one (with --include-blocking)",
    Safety.SAFE,
    "It keeps the value and the code's declared type; it is opt-in (`--include-blocking`) because the call "
    "now yields to the event loop, which can reorder side effects around it.",
)
VALIDATE_FIX = Fix(
    "validate",
    "Wrap the value in M.model_validate(...) / TypeAdapter(list[M]).validate_python(...)",
    Safety.UNSAFE,
    "Bad cached data that used to flow on unchecked now raises a ValidationError at the sink; moving the read "
    "to get_model/get_list turns it into a cache miss instead.",
)
AUTOSPEC_FIX = Fix(
    "autospec",
    "Replace AsyncMock() with create_autospec(CacheClass, instance=True)",
    Safety.UNSAFE,
    "Tests that awaited the mock's methods or asserted on awaits (`assert_awaited_once`) fail afterwards, "
    "which is the point: they certified the bug. The listing names the tests that use the mock.",
)
ATTRIBUTE_FIX = Fix(
    "attribute-access",
    'Replace m.get("field"), m.get("field", default) or m["field"] with m.field',
    Safety.SAFE,
    "The key is a declared field of the model (inherited fields count), and a model instance always has "
    "that attribute, so the default is never needed; the dict-style access could only raise.",
)
ALIAS_FIX = Fix(
    "alias-attribute",
    'Replace m.get("alias") with m.field where "alias" is Field(alias=...) of that field',
    Safety.UNSAFE,
    "The key matches a field's alias, not its name: the attribute is almost certainly what was meant (data "
    "keyed by alias became the model), but that reading is an inference the author should confirm.",
)
REWRAP_FIX = Fix(
    "rewrap",
    "Use the model elements themselves instead of rebuilding M(...) from dict-style reads of them",
    Safety.UNSAFE,
    "The rebuilt model never ran past its AttributeError, but the field mapping written in it (key -> field, "
    "defaults) is dropped: `out.extend(xs)` / `list(xs)` keeps the elements exactly as they are.",
)


CLT101 = Rule(
    code="CLT101",
    name="await-sync-cache-call",
    summary="`await` on a call of a synchronous cache method",
    message=(
        "`await` on synchronous {cls}.{method}() called on '{receiver}'; "
        "wrap the cache in cachelint.runtime.AsyncCacheManager and await its "
        "typed methods, or drop the `await`"
    ),
    fix_title="Use the typed async cache API (AsyncCacheManager)",
    default_enabled=True,
    mypy_code="cachelint-await-sync",
    mypy=(
        "`await` on a call of a sync cache method, once, at the `await`; the call's result handed to "
        "`asyncio.gather`, `wait_for`, `shield`, `create_task`, `ensure_future`, `TaskGroup.create_task` or "
        "`loop.create_task`, at the call"
    ),
    what=(
        "Finds `await` applied to the call of a cache method that is proven "
        "synchronous: a plain `def` (through transparent decorators) that "
        "cannot return an awaitable, on a class the engine knows to be a "
        "synchronous cache -- a catalogued client (redis-py `Redis`, "
        "pymemcache, diskcache, cachetools, Django's cache, Flask-Caching, "
        "cachelib, dogpile), a project class that is a cache by structure, a "
        "class listed in `sync-cache-classes`, or a subclass of these. The "
        "same call's result handed to something that awaits it is reported "
        "too, at the argument: `asyncio.gather`, `wait_for`, `shield`, "
        "`create_task`, `ensure_future`, `wait`, `TaskGroup.create_task` "
        "(`async with asyncio.TaskGroup() as tg`) and `loop.create_task`."
    ),
    why=(
        "A synchronous method returns its value, not an awaitable, so the "
        "`await` raises `TypeError: object ... can't be used in 'await' "
        "expression` at run time, and `asyncio.gather(cache.get(...))` or "
        "`create_task(...)` raises `TypeError` the same way. Code that "
        "swallows cache errors turns this into a cache that never hits; tests "
        "that replace the cache with `AsyncMock()` hide it completely."
    ),
    example=(
        "async def analyze(deps: Deps) -> list[PatternAnalysis]:\n"
        '    cached = await deps.cache_manager.get("patterns", key)\n'
        "    texts, counts = await asyncio.gather(\n"
        '        cache.get("texts", key), cache.get("counts", key)\n'
        "    )"
    ),
    use_instead=(
        "cache = AsyncCacheManager(deps.cache_manager)\n"
        'cached = await cache.get_list(CacheKey("patterns", key), PatternAnalysis)\n'
        "texts, counts = await asyncio.gather(\n"
        '    asyncio.to_thread(sync_cache.get, "texts", key),\n'
        '    asyncio.to_thread(sync_cache.get, "counts", key),\n'
        ")"
    ),
    fix_safety=(
        "The codemod rewrites an awaited call to the typed async API only when "
        "it knows the model class (from the enclosing function's return "
        "annotation or the annotated target); the value then comes back "
        "validated. Where it cannot know the type it reports the site "
        "instead. A result handed to `gather`/`create_task` is reported, "
        "never rewritten: whether to offload or to switch APIs is the author's choice."
    ),
    fixes=(TYPED_API_FIX,),
    options=_CALL_SITE_OPTIONS,
)

CLT102 = Rule(
    code="CLT102",
    name="cache-call-signature",
    summary="cache method called with arguments that do not bind to its signature",
    message=(
        "'{receiver}.{method}({args})' does not match {cls}.{method}{signature}: "
        "{problem}; pass the arguments the method declares"
    ),
    fix_title="Call the cache method with its declared parameters",
    default_enabled=True,
    mypy_code="cachelint-cache-signature",
    mypy="arguments that do not bind to the cache method's signature, naming its parameters",
    what=(
        "Finds calls of a synchronous cache method whose arguments cannot "
        "bind to the method's real signature (read from the class's source, "
        "or from `method-signatures` in the configuration): too many or too "
        "few positional arguments, unknown keywords, a parameter given twice."
    ),
    why=(
        "`get(cache_key)` on a cache whose method is `get(cache_type, "
        "content_key)` raises `TypeError` at run time; when the cache call "
        "sits in a `try/except Exception`, the bug silently disables caching."
    ),
    example=(
        'cache_key = _generate_cache_key("analyze_patterns", findings)\ncached = deps.cache_manager.get(cache_key)'
    ),
    use_instead=(
        'key = CacheKey.for_content("analyze_patterns", findings)\n'
        "cached = await AsyncCacheManager(deps.cache_manager).get_list(key, PatternAnalysis)"
    ),
    fix_safety=(
        "Rewritten together with CLT101 when the call is awaited and the "
        "model class is known: the single string key becomes a `CacheKey`. "
        "A non-awaited call with a wrong signature is reported, not rewritten."
    ),
    fixes=(TYPED_API_FIX,),
    options=(
        "sync-cache-classes",
        "async-cache-classes",
        "not-cache-classes",
        "method-signatures",
        "cache-methods",
        "receiver-name-patterns",
    ),
)

CLT103 = Rule(
    code="CLT103",
    name="untyped-cache-retrieval",
    summary="untyped value read from a cache reaches a typed sink without validation",
    message=(
        "'{name}' comes from {cls}.{method}() (untyped) and is {use} without "
        "validation; validate it with {fix} or use AsyncCacheManager.get_model/get_list"
    ),
    fix_title="Validate the cached value before using it",
    default_enabled=True,
    mypy_code="cachelint-untyped-retrieval",
    mypy=(
        "every *typed sink* an unvalidated `get` result reaches (see below); and (option `strict-retrievals`) "
        "the result is typed `object`"
    ),
    what=(
        "Finds a value read from a synchronous cache whose `get` returns "
        "`Any` or is unannotated (and, inside a cache class, backend data its "
        "own `get` returns) that reaches a *typed sink* before anything "
        "validates it. A sink is a structured declared type: a Pydantic "
        "model, dataclass, attrs class, `TypedDict`, `NamedTuple`, msgspec "
        "`Struct`, a container of them, or a TypeVar bound to one. The value "
        "meets it when it is returned or yielded under such a return "
        "annotation, passed to a parameter so declared, assigned to a target "
        "so annotated (a variable or a typed field), spread into a constructor "
        "that does not validate (dataclass, attrs, `NamedTuple`, "
        "`model_construct`), `cast` to such a type, or read through an "
        "attribute that no builtin container or string has (`data.latest`). "
        "Every sink is reported, not only the first use of a name.\n\n"
        "The value is followed per path through plain assignment, `x or {}`, "
        "conditional expressions, subscripts and decoders: `.decode()`, "
        "`json.loads`, `orjson.loads` and `pickle.loads` keep it unvalidated. "
        "Only a validator (`Model.model_validate`, "
        "`TypeAdapter(...).validate_python`, `Model(**x)` of a Pydantic model, "
        "a configured validator) or an `isinstance` guard against a structured "
        "class clears it, and only on the path it guards: a branch that returns "
        "the raw value while another validates is reported.\n\n"
        "Not uses: scalars, `Any`, `object`, `str`, `bytes` and "
        "`dict[str, Any]` as the declared type (also as the element type), "
        "comparisons and `assert`s, coercions to scalars (`int(x)`, `str(x)`) "
        "and `cast` to a scalar, decoders, subscripting or iterating untyped "
        "data, inspection (`isinstance`, `type`, `callable`, `id`, `repr`, "
        "`inspect.isawaitable`), logging, and handing the value back to the "
        "cache.\n\n"
        "Inside a cache class, a `get` declared to return a model or a "
        "TypeVar (`class Store(Generic[T])`, `def get(...) -> T | None`) that "
        "returns a client's untyped `get`, `json.loads`/`pickle.loads` of it, "
        "or a value from a `dict` of `Any` is reported at that `return`: the "
        "annotation promises what the code never checks. A cache class's own "
        "tests (a test module, test function or `TestCase` that constructs the "
        "cache class) are not reported."
    ),
    why=(
        "Whatever was stored comes back: a dict where a model is expected, a "
        "model from an older schema, or a legacy object. The type checker "
        "cannot help because the value is `Any` (or a `cast`/TypeVar claims "
        "a type nothing checked); the error surfaces later, far from the "
        "cache (`'dict' object has no attribute 'latest'`). Where the value "
        "only meets `Any`, a scalar or a comparison, nothing relies on its "
        "structure, so the rule stays quiet."
    ),
    example=(
        "async def analyze(deps: Deps) -> list[PatternAnalysis]:\n"
        '    cached = deps.cache_manager.get("patterns", key)\n'
        "    if cached:\n"
        "        return cached\n"
        "\n"
        "class Store(Generic[T]):\n"
        "    def get(self, key: str) -> T | None:\n"
        "        raw = self._redis.get(key)\n"
        "        return json.loads(raw) if raw else None"
    ),
    use_instead=(
        "async def analyze(deps: Deps) -> list[PatternAnalysis]:\n"
        "    cache = AsyncCacheManager(deps.cache_manager)\n"
        '    cached = await cache.get_list(CacheKey("patterns", key), PatternAnalysis)\n'
        "    if cached is not None:\n"
        "        return cached\n"
        "\n"
        "class Store(Generic[T]):\n"
        "    def __init__(self, client: Redis, kind: type[T]) -> None:\n"
        "        self._redis, self._adapter = client, TypeAdapter(kind)\n"
        "\n"
        "    def get(self, key: str) -> T | None:\n"
        "        raw = self._redis.get(key)\n"
        "        return self._adapter.validate_json(raw) if raw else None"
    ),
    fix_safety=(
        "Fixed as a side effect of the CLT101/CLT102 rewrite (the typed API "
        "validates). A value that does not come from a rewritten call is "
        "wrapped in validation with the type the sink declares, only with "
        "`--unsafe-fixes`: bad cached data now raises where it used to pass. "
        "The message names the validating call for the sink (`M.model_validate(...)`, "
        "`TypeAdapter(list[M]).validate_python(...)`, `msgspec.convert(...)`)."
    ),
    fixes=(VALIDATE_FIX,),
    options=("validators", "extra-model-bases", "sync-cache-classes", "not-cache-classes", "strict-retrievals"),
)

CLT104 = Rule(
    code="CLT104",
    name="blocking-cache-call-in-async",
    summary="synchronous cache call inside `async def` blocks the event loop",
    message=(
        "synchronous {cls}.{method}() called on '{receiver}' inside async def "
        "{function} blocks the event loop; use AsyncCacheManager (optionally "
        "with offload=True) or asyncio.to_thread"
    ),
    fix_title="Move the cache call off the event loop",
    default_enabled=False,
    mypy_code="cachelint-blocking-call",
    mypy=(
        "an un-awaited sync cache call directly inside `async def`, on methods that reach the store (not key "
        "builders or status getters)"
    ),
    what=(
        "Finds an un-awaited call of a synchronous cache method directly "
        "inside an `async def` body (not inside a nested `def` or `lambda`, "
        "and not handed to `asyncio.to_thread`/`run_in_executor`)."
    ),
    why=(
        "A cache backed by disk or network blocks every other task on the "
        "event loop while it runs. For an in-memory cache this is harmless, "
        "which is why the rule is opt-in."
    ),
    example=('async def handler(cache: CacheManager) -> None:\n    value = cache.get("pages", url)'),
    use_instead=(
        'async def handler(cache: CacheManager) -> None:\n    value = await asyncio.to_thread(cache.get, "pages", url)'
    ),
    fix_safety=(
        "Unsafe: rewritten only with `cachelint check --fix --unsafe-fixes` (the codemod's "
        "`--include-blocking`), and only where the model "
        "class is known; the rewrite changes timing (the call now yields to "
        "the event loop), which is the point but can reorder side effects."
    ),
    fixes=(BLOCKING_FIX,),
    options=_CALL_SITE_OPTIONS,
)

CLT105 = Rule(
    code="CLT105",
    name="async-mock-for-sync-cache",
    summary="`AsyncMock()` stands in for a synchronous cache",
    message=(
        "AsyncMock() without a spec given as '{target}', declared {cls} (a "
        "synchronous cache): every method becomes awaitable and hides "
        "awaited sync calls; use create_autospec({cls_name}, instance=True)"
    ),
    fix_title="Use create_autospec(CacheClass, instance=True)",
    default_enabled=True,
    mypy_code="cachelint-async-mock",
    mypy=(
        "an `AsyncMock()` without a spec (also pytest-mock's `mocker.AsyncMock()`) passed, assigned, returned "
        "or bound to a name where a sync cache is declared; replacing a sync method of a sync cache or of a "
        '`MagicMock(spec=Cache)`; `patch.object(Cache, "get", new_callable=AsyncMock)`'
    ),
    what=(
        "Finds `AsyncMock()` created without `spec`/`spec_set` and given "
        "where a synchronous cache is expected: a constructor or function "
        "argument, a field or an annotated target whose declared type is a "
        "synchronous cache class."
    ),
    why=(
        "An `AsyncMock` makes every method return an awaitable, so "
        "`await cache.get(key)` passes in tests while it raises in "
        "production. The test suite then certifies the bug."
    ),
    example="deps = Deps(cache_manager=AsyncMock())",
    use_instead="deps = Deps(cache_manager=create_autospec(CacheManager, instance=True))",
    fix_safety=(
        "With `--unsafe-fixes` the mock becomes `create_autospec(CacheClass, instance=True)` "
        "(both imports added); the test's assertions were written against the async mock and must be reviewed."
    ),
    fixes=(AUTOSPEC_FIX,),
    options=("sync-cache-classes", "async-cache-classes", "not-cache-classes"),
)

CLT106 = Rule(
    code="CLT106",
    name="dict-access-on-model",
    summary="dict-style access on a Pydantic model",
    message=(
        "dict-style {access} on '{receiver}', declared {cls} (a Pydantic model, not a dict); use attribute access{hint}"
    ),
    fix_title="Use attribute access on the model",
    default_enabled=True,
    mypy_code="cachelint-dict-access-on-model",
    mypy=(
        "`.get()`, `.items()`, `.keys()`, `.values()`, `[key]`... on a Pydantic model (`BaseModel` itself is "
        "not a model), with the attribute to read instead"
    ),
    what=(
        'Finds `.get(...)`, `.items()`, `.keys()`, `.values()` and `["key"]` '
        "on a value whose declared type is a Pydantic model (and whose class "
        "does not define that method itself)."
    ),
    why=(
        "Code that once handled dicts and now receives models fails with "
        "`'PatternAnalysis' object has no attribute 'get'` — often only on "
        "the cache-miss path, so it passes every test that hits the cache."
    ),
    example='for pattern in recognizer.detect_patterns(findings):\n    kind = pattern.get("type")',
    use_instead="for pattern in recognizer.detect_patterns(findings):\n    kind = pattern.type",
    fix_safety=(
        "A key that is a declared field becomes attribute access by default. A key that is only a field's "
        "alias (`Field(alias=...)`) is fixed to that field only with `--unsafe-fixes`; a key that is no "
        "field is never guessed (the message suggests the closest field). A loop or comprehension that "
        "rebuilds `M(...)` from dict reads of elements already typed `M` is replaced by the elements "
        "themselves, only with `--unsafe-fixes`."
    ),
    fixes=(ATTRIBUTE_FIX, ALIAS_FIX, REWRAP_FIX),
    options=("extra-model-bases",),
)

CLT107 = Rule(
    code="CLT107",
    name="unstable-cache-key",
    summary="cache key built from a value that differs between processes or calls",
    message=(
        "cache key `{name}` passed to {cls}{method}() is built from `{source}`, which {why}; "
        "derive the key from the content: CacheKey.for_content(...) or a hashlib digest of "
        "json.dumps(..., sort_keys=True)"
    ),
    fix_title="Derive the key from the content, not from the process or the clock",
    default_enabled=True,
    mypy_code="cachelint-unstable-key",
    mypy=None,
    what=(
        "Finds a key passed to a cache the engine recognises (a key argument of `get`, `set`, "
        "`delete`, `add`, `has`, `incr`... on a sync or async cache, and the arguments of "
        "`CacheKey(...)` / `CacheKey.for_content(...)` of `cachelint.runtime`) that is built from:\n\n"
        "- `hash()` (salted per process by `PYTHONHASHSEED`) or `id()` (a memory address);\n"
        "- `time.time()`, `time.monotonic()`, `time.perf_counter()`, `datetime.now()`/`utcnow()`, "
        "`uuid.uuid1()`/`uuid4()`, `random.*`, `secrets.*`, `os.urandom()` (a new value on every call);\n"
        "- the order of a `set`/`frozenset` of strings: `str()`, `repr()`, `tuple()`, `list()`, "
        "`join`, a comprehension or an f-string over it (string hashes are salted per process).\n\n"
        "The key is followed through f-strings, `%`, `+`, `.format()`, `join`, tuples, `str()`, "
        "`.encode()`, `hashlib` digests and `json.dumps`, and through a local variable assigned once "
        "in the same function. Only the key arguments count (bound by the method's parameter names "
        "when the engine knows its signature, else the first argument): a TTL from `time.time()` is no "
        "key. Not reported: `sorted(...)` of a set, a digest of canonical JSON, `CacheKey(...)` "
        "itself, a project function that shadows `hash`, `id` as a name or attribute (`user.id`, "
        "`id=`), time buckets (`time.time() // 3600`, `date.today()`, `datetime.now().date()`, "
        "`.strftime(...)`), `hash()`/`id()`/a set's order as the key of an in-memory cache of one "
        "process (cachetools, cachelib's `SimpleCache`), and anything passed to a receiver that is not a "
        "known cache (a dict called `cache`). A key assigned more than once, built by a project "
        "function, or read from an attribute is not followed."
    ),
    why=(
        "A shared cache (Redis, memcached, a disk cache) is read by other worker processes and by the "
        "next deployment. `hash('x')` and the order of `{'a', 'b'}` change with each process's hash "
        "seed, and `id()` with each memory layout, so every worker writes its own copy and never hits "
        "another's; a key from the clock or `uuid4()` is never read back at all. The cache fills up, "
        "the hit ratio is zero, and nothing fails."
    ),
    example=(
        "def tagged(deps: Deps, tags: set[str], findings: list[str]) -> Any:\n"
        '    key = f"patterns:{hash(tuple(findings))}"\n'
        '    deps.cache_manager.set("patterns", key, findings)\n'
        '    return deps.cache_manager.get("tagged", ",".join(tags))'
    ),
    use_instead=(
        "def tagged(deps: Deps, tags: set[str], findings: list[str]) -> Any:\n"
        '    key = CacheKey.for_content("patterns", findings)\n'
        "    deps.cache_manager.set(*key, findings)\n"
        '    return deps.cache_manager.get("tagged", ",".join(sorted(tags)))'
    ),
    fix_safety=(
        "Not fixed automatically: a stable key changes which entries exist, so the first run after "
        "the change misses every old entry, and only the author knows which content identifies the value."
    ),
)


#: Every rule, in code order.  A rule defined above but missing here fails ``tests/test_catalog.py``.
CATALOG: tuple[Rule, ...] = (CLT101, CLT102, CLT103, CLT104, CLT105, CLT106, CLT107)

#: What each ``[tool.cachelint]`` key a rule lists in ``options`` does, for its page.
OPTIONS: dict[str, str] = {
    "sync-cache-classes": "classes whose methods are synchronous cache methods (bare or dotted; subclasses too)",
    "async-cache-classes": "classes known to be asynchronous caches: never reported",
    "not-cache-classes": "classes that are never caches, whatever the catalogue or their structure says",
    "cache-methods": "methods assumed synchronous on a configured class whose source the project does not have",
    "method-signatures": 'signatures of such methods, `"Class.method" = "(cache_type, content_key)"`',
    "receiver-name-patterns": "opt-in: receivers of unknown type whose name matches a pattern count as caches",
    "source-roots": "folders whose modules the project index follows imports into",
    "validators": "extra callables that count as validating a cached value",
    "extra-model-bases": "extra base classes that make a class a Pydantic-style model",
    "strict-retrievals": "mypy plugin: untyped sync `get` results are `object`, so every unvalidated use is an error",
}

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in CATALOG}
BY_NAME: dict[str, Rule] = {rule.name: rule for rule in CATALOG}
ACTIVE: tuple[Rule, ...] = tuple(rule for rule in CATALOG if not rule.removed)
DEFAULT_OFF: tuple[str, ...] = tuple(rule.code for rule in ACTIVE if not rule.default_enabled)


def get_rule(code_or_name: str) -> Rule:
    """Look a rule up by code (``CLT103``, case-insensitive) or kebab-case name."""
    key = code_or_name.strip()
    rule = BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
    if rule is None:
        raise KeyError(code_or_name)
    return rule


def expand_selector(selector: str) -> frozenset[str]:
    """Codes matched by a flake8/ruff-style selector (``CLT``, ``CLT1``, ``CLT103``, a name).

    Raises ``KeyError`` when the selector matches no rule, so a typo in
    ``--select`` is an error instead of silently selecting nothing.
    """
    key = selector.strip()
    if not key:
        raise KeyError(selector)
    if key.lower() in BY_NAME:
        return frozenset({BY_NAME[key.lower()].code})
    upper = key.upper()
    if upper == "ALL":
        return frozenset(rule.code for rule in ACTIVE)
    matched = frozenset(rule.code for rule in ACTIVE if rule.code.startswith(upper))
    if not matched or not upper.startswith(PREFIX[: len(upper)]):
        raise KeyError(selector)
    return matched
