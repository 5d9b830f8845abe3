"""A hypothesis strategy for small modules that *are* cache-shaped, with the codes each line must and must not get.

hypothesmith's programs almost never reach the engine's deep paths (a known
sync cache class, a typed receiver, an awaited call); these do.  Each module
defines a sync ``CacheManager``, an async ``AsyncCache``, a subclass that
overrides ``get`` as ``async def``, a Pydantic model and a dependencies
dataclass, then functions (sync or async, free or methods) whose statements
call the caches through every receiver spelling the engine resolves —
parameter, dataclass field (``X | None``), alias, ``self`` attribute — each
statement wrapped in a random block.  Every generated line carries what the
rules say about it: e.g. an awaited call of the sync ``get`` must get CLT101,
the same call on ``AsyncCache`` must get nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hypothesis import strategies as st

HEADER = """\
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from unittest.mock import AsyncMock

from pydantic import BaseModel


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any, ttl_override: float | None = None) -> None:
        return None


class AsyncCache:
    async def get(self, key: str) -> Any:
        return None

    async def set(self, key: str, value: Any) -> None:
        return None


class Overridden(CacheManager):
    async def get(self, cache_type: str, content_key: str) -> Any:
        return None


class Pattern(BaseModel):
    name: str


@dataclass
class Deps:
    cache_manager: CacheManager | None = None
    async_cache: AsyncCache | None = None


class Service:
    def __init__(self, cache: CacheManager, acache: AsyncCache) -> None:
        self.cache = cache
        self.acache = acache
"""

PARAMS = (
    "deps: Deps, cache: CacheManager, acache: AsyncCache, over: Overridden, key: str, pattern: Pattern, "
    "data: dict[str, Any]"
)
SYNC_RECEIVERS = ("deps.cache_manager", "cache", "cm", "self.cache")
ASYNC_RECEIVERS = ("deps.async_cache", "acache", "acm", "self.acache")
CALL_CODES = frozenset({"CLT101", "CLT102", "CLT104"})


@dataclass(frozen=True)
class Template:
    """A statement; ``{r}`` is the receiver.  ``kind``: which receivers it takes."""

    text: str
    kind: str  # "sync" | "async" | "over-get" | "over-set" | "plain"
    needs_await: bool
    #: Codes the line must get in an ``async def`` / in a plain ``def``.
    in_async: frozenset[str] = frozenset()
    in_sync: frozenset[str] = frozenset()
    #: Codes the line must never get (checked in both kinds of function).
    never: frozenset[str] = frozenset()


def _t(text: str, kind: str, needs_await: bool, in_async: str = "", in_sync: str = "", never: str = "") -> Template:
    return Template(
        text, kind, needs_await, frozenset(in_async.split()), frozenset(in_sync.split()), frozenset(never.split())
    )


TEMPLATES = (
    _t('value = await {r}.get("t", key)', "sync", True, in_async="CLT101", never="CLT102 CLT104"),
    _t("value = await {r}.get(key)", "sync", True, in_async="CLT101 CLT102", never="CLT104"),
    _t("await {r}.set(key, value)", "sync", True, in_async="CLT101 CLT102", never="CLT104"),
    _t('await {r}.set("t", key, value)', "sync", True, in_async="CLT101", never="CLT102 CLT104"),
    _t('value = {r}.get("t", key)', "sync", False, in_async="CLT104", never="CLT101 CLT102"),
    _t("value = {r}.get(key)", "sync", False, in_async="CLT102 CLT104", in_sync="CLT102", never="CLT101"),
    _t('{r}.set("t", key, value, ttl_override=1.0)', "sync", False, in_async="CLT104", never="CLT101 CLT102"),
    _t("value = await {r}.get(key)", "async", True, never="CLT101 CLT102 CLT104"),
    _t("await {r}.set(key, value)", "async", True, never="CLT101 CLT102 CLT104"),
    _t('value = await {r}.get("t", key)', "over-get", True, never="CLT101 CLT102 CLT104"),
    _t('await {r}.set("t", key, value)', "over-set", True, in_async="CLT101", never="CLT102 CLT104"),
    _t("fake = Deps(cache_manager=AsyncMock())", "plain", False, in_async="CLT105", in_sync="CLT105"),
    _t("fake = Deps(cache_manager=AsyncMock(spec=CacheManager))", "plain", False, never="CLT105"),
    _t("fake = Deps(async_cache=AsyncMock())", "plain", False, never="CLT105"),
    _t('kind = pattern.get("type")', "plain", False, in_async="CLT106", in_sync="CLT106"),
    _t('kind = data.get("type")', "plain", False, never="CLT106"),
    _t("value = None", "plain", False),
    _t("if value:\n    return value", "plain", False),
)

WRAPPERS = (
    "{s}",
    "if key:\n    {s}",
    "for _item in range(2):\n    {s}",
    "try:\n    {s}\nexcept Exception:\n    pass",
    "while key:\n    {s}\n    break",
    "if deps.cache_manager:\n    {s}",
)


@dataclass
class Program:
    source: str
    #: line (1-based) -> codes it must get
    must: dict[int, set[str]] = field(default_factory=dict)
    #: line (1-based) -> codes it must not get
    never: dict[int, set[str]] = field(default_factory=dict)


def _indent(block: str, prefix: str) -> list[str]:
    return [prefix + line for line in block.splitlines()]


@st.composite
def statements(draw: st.DrawFn, is_async: bool, in_class: bool) -> tuple[Template, str, str]:
    usable = [t for t in TEMPLATES if is_async or not t.needs_await]
    template = draw(st.sampled_from(usable))
    receivers = {
        "sync": [r for r in SYNC_RECEIVERS if in_class or not r.startswith("self.")],
        "async": [r for r in ASYNC_RECEIVERS if in_class or not r.startswith("self.")],
        "over-get": ["over"],
        "over-set": ["over"],
        "plain": [""],
    }[template.kind]
    receiver = draw(st.sampled_from(receivers))
    wrapper = draw(st.sampled_from(WRAPPERS))
    return template, receiver, wrapper


@st.composite
def cache_programs(draw: st.DrawFn) -> Program:
    lines = HEADER.splitlines()
    program = Program("")
    for number in range(draw(st.integers(1, 3))):
        is_async = draw(st.booleans())
        in_class = draw(st.booleans())
        body_indent = "        " if in_class else "    "
        head = f"{'async ' if is_async else ''}def op_{number}({'self, ' if in_class else ''}{PARAMS}) -> Any:"
        lines += ["", ""]
        if in_class:
            lines += [f"class Worker{number}(Service):", "    " + head]
        else:
            lines.append(head)
        lines += [
            body_indent + "cm = deps.cache_manager",
            body_indent + "acm = deps.async_cache",
            body_indent + "value = None",
        ]
        for template, receiver, wrapper in draw(st.lists(statements(is_async, in_class), min_size=1, max_size=6)):
            statement = template.text.format(r=receiver)
            rendered = _indent(_reindent(wrapper, statement), body_indent)
            # The codes belong to the statement's first line.
            first = statement.splitlines()[0].strip()
            line_number = len(lines) + 1 + next(i for i, text in enumerate(rendered) if text.strip() == first)
            lines += rendered
            must = set(template.in_async if is_async else template.in_sync)
            never = set(template.never)
            if not is_async:
                never |= {"CLT101", "CLT104"}
            if must:
                program.must.setdefault(line_number, set()).update(must)
            if never:
                program.never.setdefault(line_number, set()).update(never)
        lines.append(body_indent + "return value")
    program.source = "\n".join(lines) + "\n"
    return program


def _reindent(wrapper: str, statement: str) -> str:
    """Put a (possibly multi-line) statement in the wrapper's ``{s}`` slot at that slot's indentation."""
    out: list[str] = []
    for line in wrapper.splitlines():
        if "{s}" in line:
            prefix = line[: line.index("{s}")]
            out += [prefix + part for part in statement.splitlines()]
        else:
            out.append(line)
    return "\n".join(out)
