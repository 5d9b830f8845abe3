"""The one policy both engines judge by: what is a sync cache, a model, a typed sink.

The ``ast`` engine (``cachelint.analysis``) and the mypy plugin
(``cachelint.mypy_plugin``) each describe a class in the engine-neutral
:class:`ClassFacts` (its MRO's qualified names, its methods as
:class:`MethodFacts`) and ask this module.  Neither decides on its own whether
a class is a cache or a model, which calls validate, inspect, decode or
consume an awaitable, or which declared types are *structured* (the sinks of
CLT103).  The fix texts that messages show live here too, so both engines
name the same fix.

Standard library only: the mypy plugin imports it on mypy's start-up path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

CacheKind = Literal["sync", "async"]

# -- names and matching -------------------------------------------------------


def matches(entry: str, qualname: str) -> bool:
    """Whether a configured class name names ``qualname``.

    A bare name (``CacheManager``) matches a class of that name in any module;
    a dotted name matches the fully qualified name or a dotted suffix of it.
    Both engines, and every setting that lists classes, match this way.
    """
    if "." in entry:
        return qualname == entry or qualname.endswith("." + entry)
    return qualname.rpartition(".")[2] == entry


def matches_any(entries: Iterable[str], qualname: str) -> bool:
    return any(matches(entry, qualname) for entry in entries)


# -- facts an engine supplies -------------------------------------------------

#: How a method's decorators leave it: ``"none"`` (undecorated or only
#: transparent decorators), ``"sync"`` (a plain-``def`` wrapper such as the
#: ``functools.wraps`` pattern), ``"async"`` (an ``async def`` wrapper),
#: ``"unknown"`` (a decorator whose source the engine cannot read).
DecoratorEffect = Literal["none", "sync", "async", "unknown"]


@dataclass(frozen=True)
class MethodFacts:
    """One method as an engine sees it, before any judgement."""

    name: str
    #: ``async def`` as written.
    is_async: bool
    decorators: DecoratorEffect = "none"
    #: A plain ``def`` whose declared return is an awaitable (``Awaitable``,
    #: ``Coroutine``, ``Future``, a TypeVar bound to one, a union holding one).
    returns_awaitable: bool = False


@dataclass(frozen=True)
class ClassFacts:
    """A class as an engine sees it: its MRO nearest first, and its methods.

    ``mro`` holds qualified names, the class itself first.  ``methods`` maps
    each method name to the nearest definition along the MRO; a method whose
    defining class's source is unknown is absent.
    """

    qualname: str
    mro: tuple[str, ...]
    methods: Mapping[str, MethodFacts] = field(default_factory=dict)


# -- vocabulary ---------------------------------------------------------------

#: ``Model.model_validate(x)``, ``TypeAdapter(T).validate_python(x)``, ... validate ``x``.
VALIDATOR_METHODS = frozenset(
    {
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_obj",
        "parse_raw",
        "validate_python",
        "validate_json",
        "validate_strings",
    }
)
#: Builtins that only look at a value: passing a cached value to them is not a use.
HARMLESS_CALLS = frozenset(
    {
        "print",
        "len",
        "bool",
        "str",
        "repr",
        "type",
        "id",
        "hash",
        "isinstance",
        "issubclass",
        "hasattr",
        "callable",
        "format",
    }
)
#: Qualified inspection calls that are harmless too.
HARMLESS_QUALIFIED_CALLS = frozenset({"inspect.isawaitable", "inspect.iscoroutine", "asyncio.iscoroutine"})
#: ``logger.debug(..., value)`` and friends: logging a cached value is not a use.
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
#: Dict-style methods a Pydantic model does not have (CLT106).
DICT_METHODS = frozenset({"get", "items", "keys", "values", "setdefault", "pop", "update"})
#: Decoders: their result is as untyped as their input (decoding is no validation).
DECODER_CALLS = frozenset(
    {
        "json.loads",
        "orjson.loads",
        "ujson.loads",
        "simplejson.loads",
        "pickle.loads",
        "msgpack.unpackb",
        "msgpack.loads",
        "marshal.loads",
        "zlib.decompress",
        "gzip.decompress",
    }
)
#: Methods whose result on untyped data stays untyped (``raw.decode()``).
DECODER_METHODS = frozenset({"decode"})
#: Calls that consume an awaitable: handing them a sync cache call's result
#: crashes just like ``await`` does (CLT101).
AWAITABLE_CONSUMERS = frozenset(
    {
        "asyncio.gather",
        "asyncio.wait_for",
        "asyncio.shield",
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.tasks.gather",
        "asyncio.tasks.wait_for",
        "asyncio.tasks.shield",
        "asyncio.tasks.create_task",
        "asyncio.tasks.ensure_future",
    }
)
#: Methods of ``asyncio.TaskGroup`` / event loops that consume an awaitable.
AWAITABLE_CONSUMER_METHODS = frozenset({"create_task"})

#: The default bases that make a class a Pydantic model (the base itself is
#: not a model: ``x: BaseModel`` promises nothing about fields).
DEFAULT_MODEL_BASES = (
    "pydantic.BaseModel",
    "pydantic.main.BaseModel",
    "pydantic.RootModel",
    "pydantic.root_model.RootModel",
    "pydantic.v1.BaseModel",
    "pydantic.v1.main.BaseModel",
)


# -- judgements ----------------------------------------------------------------


def is_model(cls: ClassFacts, extra_model_bases: Iterable[str] = ()) -> bool:
    """A Pydantic model: a strict subclass of a default or configured model base.

    Configured bases match as any class setting does (:func:`matches`), so a
    bare name works in both engines.  A base itself is not a model.
    """
    extra = tuple(extra_model_bases)
    if cls.qualname in DEFAULT_MODEL_BASES or matches_any(extra, cls.qualname):
        return False
    return any(base in DEFAULT_MODEL_BASES or matches_any(extra, base) for base in cls.mro[1:])


def closest_field(key: str, fields: Iterable[str]) -> str | None:
    """The declared field a mistyped dict key most likely meant, or None when none is close.

    A field one of whose ``_``-separated words is the key (``type`` ->
    ``pattern_type``) or spelled alike (``confidance`` -> ``confidence``).
    Only ever one of ``fields``: a suggestion must exist on the model.
    """
    import difflib

    names = [name for name in fields if name != key]
    lowered = key.lower()

    def score(name: str) -> float:
        return difflib.SequenceMatcher(None, lowered, name.lower()).ratio()

    by_word = [name for name in names if lowered in name.lower().split("_")]
    if by_word:
        return max(sorted(by_word), key=score)
    close = [name for name in names if score(name) >= 0.75]
    return max(sorted(close), key=score) if close else None


def model_key_advice(receiver: str, key: str | None, model: str, fields: Iterable[str], field: str | None) -> str:
    """The end of CLT106's "use attribute access..." for a dict read of ``key``.

    ``field`` is the field the key names (itself or as an alias); otherwise the
    message says the key is not a field and names the closest one, if any.
    """
    if key is None or not key.isidentifier() and field is None:
        return ""
    if field is not None:
        alias = "" if field == key else f"; '{key}' is the alias of field '{field}'"
        return f" ('{receiver}.{field}'){alias}"
    close = closest_field(key, fields)
    advice = f"; '{key}' is not a field of {model}"
    return advice + (f"; did you mean '{close}'?" if close else "")


def method_is_sync(method: MethodFacts) -> bool | None:
    """True when ``method`` is proven synchronous and cannot hand back an awaitable,
    False when it is asynchronous, None when the engine cannot know."""
    if method.decorators == "unknown":
        return None
    if method.decorators == "async" or method.is_async:
        return False
    if method.returns_awaitable:
        return None
    return True


__all__ = [
    "AWAITABLE_CONSUMERS",
    "AWAITABLE_CONSUMER_METHODS",
    "CacheKind",
    "ClassFacts",
    "DECODER_CALLS",
    "DECODER_METHODS",
    "DEFAULT_MODEL_BASES",
    "DICT_METHODS",
    "DecoratorEffect",
    "HARMLESS_CALLS",
    "HARMLESS_QUALIFIED_CALLS",
    "LOG_METHODS",
    "MethodFacts",
    "VALIDATOR_METHODS",
    "closest_field",
    "is_model",
    "matches",
    "matches_any",
    "method_is_sync",
    "model_key_advice",
]
