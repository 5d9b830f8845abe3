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

from cachelint import catalogue

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
    #: Positional parameters a caller can pass after ``self``; None when unknown
    #: or unbounded (``*args``).  A cache is a keyed store: its ``get`` takes a
    #: key and its ``set`` a key and a value (``ContextVar.set(value)`` does not).
    positional: int | None = None


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
    #: Qualified names of the class decorators of the class and of every class
    #: along its MRO (``dataclasses.dataclass``, ``attrs.define``, ...): what makes
    #: a class a dataclass or an attrs class (see :func:`structure_kind`).
    decorators: tuple[str, ...] = ()


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
        "asyncio.wait",
        "asyncio.tasks.wait",
        "asyncio.as_completed",
        "asyncio.tasks.as_completed",
        "asyncio.run",
        "asyncio.runners.run",
    }
)
#: Methods of ``asyncio.TaskGroup`` / event loops that consume an awaitable.
AWAITABLE_CONSUMER_METHODS = frozenset({"create_task", "run_until_complete"})

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


# -- typed sinks (CLT103) --------------------------------------------------------
#
# An unvalidated cached value is a bug only where it meets a *structured*
# declared type: there the code relies on fields nothing checked.  Scalars,
# ``Any``, ``object``, ``str``, ``bytes`` and ``dict[str, Any]`` promise nothing
# a raw value breaks, so handing it to them is no use.

#: What makes a class structured: a Pydantic model, a dataclass, an attrs class,
#: a ``TypedDict``, a ``NamedTuple`` or a msgspec ``Struct``.
StructureKind = Literal["model", "dataclass", "attrs", "typeddict", "namedtuple", "struct"]

#: Bases that make a class structured (the base itself is not).
STRUCTURED_BASES: Mapping[str, StructureKind] = {
    "typing.TypedDict": "typeddict",
    "typing_extensions.TypedDict": "typeddict",
    "typing.NamedTuple": "namedtuple",
    "typing_extensions.NamedTuple": "namedtuple",
    "msgspec.Struct": "struct",
    "msgspec.structs.Struct": "struct",
}
#: Class decorators that make a class a dataclass (pydantic's validates on construction).
DATACLASS_DECORATORS = frozenset({"dataclasses.dataclass", "pydantic.dataclasses.dataclass"})
VALIDATING_DATACLASS_DECORATORS = frozenset({"pydantic.dataclasses.dataclass"})
#: Class decorators that make a class an attrs class.
ATTRS_DECORATORS = frozenset(
    {
        "attr.s",
        "attr.attrs",
        "attr.define",
        "attr.frozen",
        "attr.mutable",
        "attr.dataclass",
        "attrs.define",
        "attrs.frozen",
        "attrs.mutable",
    }
)
#: Classmethods that build an instance without validating (``M.model_construct(**raw)``).
NON_VALIDATING_CONSTRUCTORS = frozenset({"model_construct", "construct", "_make"})

#: Containers whose element type is their (only, or first) type argument.
ELEMENT_CONTAINERS = frozenset(
    {
        "builtins.list",
        "builtins.set",
        "builtins.frozenset",
        "builtins.tuple",
        "collections.deque",
        "collections.abc.Sequence",
        "collections.abc.MutableSequence",
        "collections.abc.Set",
        "collections.abc.MutableSet",
        "collections.abc.Collection",
        "collections.abc.Iterable",
        "collections.abc.Iterator",
        "typing.Sequence",
        "typing.MutableSequence",
        "typing.AbstractSet",
        "typing.MutableSet",
        "typing.Collection",
        "typing.Iterable",
        "typing.Iterator",
        "typing.List",
        "typing.Set",
        "typing.FrozenSet",
        "typing.Tuple",
        "typing.Deque",
    }
)
#: Mappings whose element type is their value type (the second argument).
VALUE_CONTAINERS = frozenset(
    {
        "builtins.dict",
        "collections.OrderedDict",
        "collections.defaultdict",
        "collections.abc.Mapping",
        "collections.abc.MutableMapping",
        "typing.Dict",
        "typing.Mapping",
        "typing.MutableMapping",
        "typing.OrderedDict",
        "typing.DefaultDict",
    }
)
#: Declared returns of generators: what a ``yield`` meets is their first argument.
ITERATOR_RETURNS = frozenset(
    {
        "collections.abc.Iterator",
        "collections.abc.Iterable",
        "collections.abc.Generator",
        "collections.abc.AsyncIterator",
        "collections.abc.AsyncIterable",
        "collections.abc.AsyncGenerator",
        "typing.Iterator",
        "typing.Iterable",
        "typing.Generator",
        "typing.AsyncIterator",
        "typing.AsyncIterable",
        "typing.AsyncGenerator",
    }
)
_LIST_SHAPES = frozenset(
    {
        "builtins.list",
        "collections.abc.Sequence",
        "collections.abc.MutableSequence",
        "collections.abc.Iterable",
        "collections.abc.Collection",
        "typing.List",
        "typing.Sequence",
        "typing.MutableSequence",
        "typing.Iterable",
        "typing.Collection",
    }
)

#: How an engine describes a declared type to :func:`typed_sink`.
TypeShape = Literal["instance", "union", "any", "none", "typevar", "unknown"]


@dataclass(frozen=True)
class TypeFacts:
    """A declared type as an engine sees it, reduced to what the sink judgement needs.

    ``instance``: ``qualname`` with type ``args`` and, when the engine knows the
    class, its :class:`ClassFacts`.  ``union``: the members in ``args``.
    ``typevar``: ``qualname`` is the TypeVar's name, ``bound`` its upper bound.
    ``any`` covers ``Any`` (``object`` is an instance of ``builtins.object``);
    ``unknown`` is anything the engine cannot read, which is never a sink.
    """

    shape: TypeShape
    qualname: str = ""
    args: tuple[TypeFacts, ...] = ()
    cls: ClassFacts | None = None
    bound: TypeFacts | None = None


#: What a typed sink expects: ``model`` (one structured value), ``list``
#: (a list-like of them), ``container`` (another container of them).
SinkShape = Literal["model", "list", "container"]


@dataclass(frozen=True)
class SinkFacts:
    """The structured type an unvalidated value meets: what CLT103 reports and the fix names."""

    #: The structured class's qualified name (a TypeVar's name for a TypeVar sink).
    qualname: str
    kind: StructureKind | Literal["typevar"]
    shape: SinkShape

    @property
    def name(self) -> str:
        return self.qualname.rpartition(".")[2]


def structure_kind(cls: ClassFacts, extra_model_bases: Iterable[str] = ()) -> StructureKind | None:
    """Which structured kind ``cls`` is, or None for a plain class.

    Judged on the MRO's qualified names and the decorators along it, never on
    the class's own name.  The bases themselves (``BaseModel``, ``TypedDict``)
    are not structured: a declared ``BaseModel`` promises no field.
    """
    if is_model(cls, extra_model_bases):
        return "model"
    if cls.qualname in STRUCTURED_BASES:
        return None
    for base in cls.mro[1:]:
        kind = STRUCTURED_BASES.get(base)
        if kind is not None:
            return kind
    decorators = set(cls.decorators)
    if decorators & DATACLASS_DECORATORS:
        return "dataclass"
    if decorators & ATTRS_DECORATORS:
        return "attrs"
    return None


def constructor_validates(cls: ClassFacts, extra_model_bases: Iterable[str] = ()) -> bool:
    """Whether ``cls(**raw)`` validates ``raw``: a Pydantic model or a Pydantic dataclass.

    Every other structured constructor (dataclass, attrs, ``NamedTuple``,
    ``TypedDict``, msgspec ``Struct``) stores what it is given unchecked.
    """
    return is_model(cls, extra_model_bases) or bool(set(cls.decorators) & VALIDATING_DATACLASS_DECORATORS)


def typed_sink(
    declared: TypeFacts | None, *, extra_model_bases: Iterable[str] = (), typevars: bool = False
) -> SinkFacts | None:
    """The structured type a value handed to ``declared`` must be, or None when it is no sink.

    A structured class, a container of one (``list[M]``, ``dict[str, M]``,
    ``tuple[M, ...]``), ``M | None``, and a TypeVar bound to one are sinks.
    A union is a sink only when every member but ``None`` is: ``M | dict[str,
    Any]`` accepts the raw value.  An unbound TypeVar is a sink only with
    ``typevars`` (a cache class's ``get -> T | None`` promises its type
    parameter).  ``Any``, ``object``, scalars, ``str``, ``bytes`` and
    ``dict[str, Any]`` are never sinks.
    """
    extra = tuple(extra_model_bases)
    return _sink(declared, extra, typevars, 0)


def _sink(declared: TypeFacts | None, extra: tuple[str, ...], typevars: bool, depth: int) -> SinkFacts | None:
    if declared is None or depth > 8:
        return None
    if declared.shape == "union":
        members = [arg for arg in declared.args if arg.shape != "none"]
        found = [_sink(member, extra, typevars, depth + 1) for member in members]
        if not found or any(sink is None for sink in found):
            return None
        return found[0]
    if declared.shape == "typevar":
        if declared.bound is not None:
            # ``M = TypeVar("M", bound=BaseModel)``: the bound may be a base itself.
            if _is_structured_base(declared.bound, extra):
                return SinkFacts(declared.qualname, "typevar", "model")
            bound = _sink(declared.bound, extra, typevars, depth + 1)
            if bound is not None:
                return SinkFacts(declared.qualname, "typevar", bound.shape)
            return None
        return SinkFacts(declared.qualname, "typevar", "model") if typevars else None
    if declared.shape != "instance":
        return None
    if declared.cls is not None:
        kind = structure_kind(declared.cls, extra)
        if kind is not None:
            return SinkFacts(declared.cls.qualname, kind, "model")
    element: TypeFacts | None = None
    if declared.qualname in ELEMENT_CONTAINERS and declared.args:
        element = declared.args[0]
    elif declared.qualname in VALUE_CONTAINERS and len(declared.args) == 2:
        element = declared.args[1]
    inner = _sink(element, extra, typevars, depth + 1)
    if inner is None:
        return None
    shape: SinkShape = "list" if declared.qualname in _LIST_SHAPES and inner.shape == "model" else "container"
    return SinkFacts(inner.qualname, inner.kind, shape)


def _is_structured_base(declared: TypeFacts, extra: tuple[str, ...]) -> bool:
    name = declared.qualname
    return declared.shape == "instance" and (
        name in DEFAULT_MODEL_BASES or name in STRUCTURED_BASES or matches_any(extra, name)
    )


def yielded_type(declared: TypeFacts | None) -> TypeFacts | None:
    """What a ``yield`` in a generator declared to return ``declared`` meets."""
    if declared is not None and declared.shape == "instance" and declared.qualname in ITERATOR_RETURNS:
        return declared.args[0] if declared.args else None
    return None


# -- calls an unvalidated value may meet (CLT103) --------------------------------

#: ``int(raw)``, ``str(raw)``: coercions to scalars, no use of the raw value's structure.
COERCIONS = frozenset(
    {
        "builtins.int",
        "builtins.float",
        "builtins.complex",
        "builtins.str",
        "builtins.bytes",
        "builtins.bytearray",
        "builtins.bool",
        "decimal.Decimal",
        "uuid.UUID",
    }
)
#: Calls whose result is as untyped as their argument: copies and plain containers.
PASS_THROUGH_CALLS = frozenset(
    {
        "builtins.list",
        "builtins.dict",
        "builtins.tuple",
        "builtins.set",
        "builtins.frozenset",
        "builtins.sorted",
        "builtins.reversed",
        "copy.copy",
        "copy.deepcopy",
    }
)
#: Methods of an untyped value whose result stays untyped (``raw.decode()``, ``data.get("items")``).
PASS_THROUGH_METHODS = DECODER_METHODS | frozenset({"get", "pop", "copy", "setdefault", "values"})
#: Calls that assert a type without checking it.
CAST_CALLS = frozenset({"typing.cast", "typing_extensions.cast"})
#: Qualified validating functions beyond the ``validate_*`` methods.
VALIDATOR_CALLS = frozenset({"msgspec.convert"})

#: What a call does to an unvalidated value handed to it (see :func:`call_role`).
CallRole = Literal["validate", "decode", "pass", "coerce", "inspect", "cast", "log"]


def call_role(qualname: str | None, method: str | None = None, *, validators: Iterable[str] = ()) -> CallRole | None:
    """What a call does to an unvalidated value among its arguments, or None for an ordinary call.

    ``qualname`` is the callee's qualified name when the engine knows it
    (``json.loads``, ``builtins.int``, ``typing.cast``); ``method`` the
    attribute name of a method call (``raw.decode()``, ``M.model_validate(x)``).
    ``validators`` are the configured ``validators`` entries, matched by name
    or qualified name.

    - ``validate``: the result is checked (``M.model_validate``,
      ``TypeAdapter(...).validate_python``, ``msgspec.convert``, configured).
    - ``decode``: ``json.loads``, ``pickle.loads``, ``.decode()`` -- the result
      is as untyped as the input: decoding is no validation.
    - ``pass``: ``list(raw)``, ``copy.deepcopy(raw)`` -- untyped in, untyped out.
    - ``coerce``: ``int(raw)``, ``str(raw)`` -- a scalar; no use.
    - ``inspect``: ``isinstance``, ``type``, ``repr``, ``inspect.isawaitable`` -- no use.
    - ``cast``: ``typing.cast(T, raw)`` -- a use when ``T`` is structured.
    - ``log``: ``logger.debug(..., raw)`` -- no use.
    """
    entries = tuple(validators)
    if method is not None and method in VALIDATOR_METHODS:
        return "validate"
    if qualname in VALIDATOR_CALLS:
        return "validate"
    if (method is not None and method in entries) or (qualname is not None and matches_any(entries, qualname)):
        return "validate"
    if qualname in CAST_CALLS:
        return "cast"
    if qualname in DECODER_CALLS:
        return "decode"
    if qualname is not None and qualname.startswith("builtins."):
        name = qualname[len("builtins.") :]
        if qualname in COERCIONS:
            return "coerce"
        if qualname in PASS_THROUGH_CALLS:
            return "pass"
        if name in HARMLESS_CALLS:
            return "inspect"
    if qualname in COERCIONS:
        return "coerce"
    if qualname in PASS_THROUGH_CALLS:
        return "pass"
    if qualname in HARMLESS_QUALIFIED_CALLS:
        return "inspect"
    if method is not None:
        if method in DECODER_METHODS:
            return "decode"
        if method in LOG_METHODS:
            return "log"
    return None


def _builtin_value_methods() -> frozenset[str]:
    names: set[str] = set()
    for kind in (dict, list, tuple, set, frozenset, str, bytes, bytearray, int, float, bool):
        names.update(name for name in dir(kind) if not name.startswith("__"))
    return frozenset(names)


#: Method names of the builtin container, string and number types.  Reading any
#: other attribute of an untyped value (``data.latest``) relies on a structure
#: nothing checked: that is a typed sink.
BUILTIN_VALUE_METHODS = _builtin_value_methods()


def attribute_is_sink(name: str) -> bool:
    """Whether reading ``raw.<name>`` of an unvalidated value relies on an unchecked structure."""
    return not name.startswith("__") and name not in BUILTIN_VALUE_METHODS


GENERIC_RETRIEVAL_FIX = "Model.model_validate(...) or TypeAdapter(...).validate_python(...)"


def retrieval_fix(sink: SinkFacts | None, local_name: str | None = None) -> str:
    """The validating call CLT103's message names for a value meeting ``sink``.

    ``local_name`` is how the file spells the structured class (its display
    name when None).  Pydantic models validate with ``M.model_validate``; a
    list of models, dataclasses, TypedDicts and NamedTuples with a
    ``TypeAdapter``; msgspec Structs with ``msgspec.convert``; a TypeVar sink
    with a TypeAdapter of the type the store was made for.
    """
    if sink is None:
        return GENERIC_RETRIEVAL_FIX
    name = local_name or sink.name
    if sink.kind == "typevar":
        return f"TypeAdapter(<the type {sink.name} stands for>).validate_python(...)"
    if sink.kind == "struct":
        target = f"list[{name}]" if sink.shape == "list" else name
        return f"msgspec.convert(..., {target})"
    if sink.shape == "list":
        return f"TypeAdapter(list[{name}]).validate_python(...)"
    if sink.shape == "container":
        return f"TypeAdapter(...[{name}]).validate_python(...)"
    if sink.kind == "model":
        return f"{name}.model_validate(...)"
    return f"TypeAdapter({name}).validate_python(...)"


# -- awaitable consumers (CLT101) -------------------------------------------------

#: Methods (by owner class) that consume an awaitable.
AWAITABLE_CONSUMER_OWNERS = frozenset(
    {
        "asyncio.TaskGroup",
        "asyncio.taskgroups.TaskGroup",
        "asyncio.AbstractEventLoop",
        "asyncio.events.AbstractEventLoop",
        "asyncio.BaseEventLoop",
        "asyncio.base_events.BaseEventLoop",
    }
)


def consumes_awaitable(qualname: str | None, method: str | None = None, owner: str | None = None) -> bool:
    """Whether handing a value to this call crashes unless it is awaitable (CLT101).

    ``qualname``: a function's qualified name (``asyncio.gather``).  ``method``
    and ``owner``: a method call's name and its receiver's class
    (``tg.create_task`` on an ``asyncio.TaskGroup``, ``loop.create_task``).
    """
    if qualname is not None and qualname in AWAITABLE_CONSUMERS:
        return True
    return method in AWAITABLE_CONSUMER_METHODS and owner is not None and owner in AWAITABLE_CONSUMER_OWNERS


#: Calls in a plain ``def``'s ``return`` that hand back an awaitable
#: (``return loop.run_in_executor(...)``): such a method is not judged synchronous.
AWAITABLE_MAKERS = frozenset(
    {
        "run_in_executor",
        "create_task",
        "ensure_future",
        "to_thread",
        "gather",
        "wrap_future",
        "run_coroutine_threadsafe",
        "create_future",
        "shield",
        "wait_for",
    }
)


# -- blocking I/O (CLT104) ----------------------------------------------------------

# CLT104 reports a sync cache call in a coroutine only when the method reaches
# a store, so a key builder is not reported.  A method reaches one when its body
# calls file, network or process I/O, or another method that does.

#: Qualified callees (prefixes end in ".") that do blocking I/O.
IO_CALLS = (
    "builtins.open",
    "io.open",
    "os.",
    "shutil.",
    "socket.",
    "sqlite3.",
    "requests.",
    "urllib.request.",
    "http.client.",
    "subprocess.",
    "time.sleep",
    "pickle.load",
    "pickle.dump",
    "json.load",
    "json.dump",
    "boto3.",
    "psycopg2.",
    "pymysql.",
)
#: Method names that only paths and files have: calling one is file I/O whatever the receiver.
FILE_METHODS = frozenset(
    {"read_text", "read_bytes", "write_text", "write_bytes", "unlink", "mkdir", "iterdir", "rglob"}
)
#: Classes whose :data:`PATH_IO` methods touch the file system.
PATH_CLASSES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"})
#: Methods of ``pathlib.Path`` that touch the file system.
PATH_IO = frozenset(
    {
        "open",
        "read_text",
        "read_bytes",
        "write_text",
        "write_bytes",
        "unlink",
        "exists",
        "mkdir",
        "iterdir",
        "glob",
        "rglob",
        "stat",
        "touch",
        "rename",
        "replace",
    }
)


def is_io_call(qualname: str) -> bool:
    """Whether calling the function (or ``Class.method``) ``qualname`` does blocking I/O."""
    return any(qualname == p or (p.endswith(".") and qualname.startswith(p)) for p in IO_CALLS)


def is_io_method(owner: str, method: str) -> bool:
    """Whether ``method`` called on an instance of the class ``owner`` does blocking I/O
    (``self.session.get(...)`` on a ``requests.Session``, ``self.path.exists()``)."""
    return is_io_call(f"{owner}.{method}") or (owner in PATH_CLASSES and method in PATH_IO)


# -- what a cache is ----------------------------------------------------------------

#: Methods whose result, from a sync cache with an untyped return, is a raw cached
#: value: the sources that CLT103 follows.
CACHE_GETTERS = frozenset({"get"})
#: Methods that read a store: with one of :data:`STORE_METHODS`, a class is a cache by structure.
GET_METHODS = frozenset({"get"})
#: Methods that write or drop an entry.
STORE_METHODS = frozenset(
    {"set", "delete", "put", "add", "setex", "set_many", "delete_many", "invalidate", "evict", "expire"}
)


#: Store methods that write a value under a key: a cache's takes both.
KEYED_WRITE_METHODS = frozenset({"set", "put", "add", "setex"})
#: Methods of an HTTP client: a class with any of them is a session, not a cache,
#: whatever its ``get``/``put``/``delete`` look like (``requests.Session``).
HTTP_METHODS = frozenset({"post", "patch", "head", "options", "request"})


def _takes(method: MethodFacts, count: int) -> bool:
    return method.positional is None or method.positional >= count


def _keyed_store(methods: Mapping[str, MethodFacts]) -> bool:
    """A ``get`` that takes a key beside a write that takes a key and a value (or a
    delete-like method that takes a key): the shape of a cache, not of a context
    variable (``get()``/``set(value)``) or a registry (``add(instance)``)."""
    getters = [methods[name] for name in GET_METHODS if name in methods]
    if not any(_takes(get, 1) for get in getters):
        return False
    return any(
        _takes(method, 2 if name in KEYED_WRITE_METHODS else 1)
        for name, method in methods.items()
        if name in STORE_METHODS
    )


def is_cache_name(qualname: str) -> bool:
    """A class name containing "cache" (any case): one of the two structural marks."""
    return "cache" in qualname.rpartition(".")[2].lower()


def judged_method(name: str, *, named: bool) -> bool:
    """Whether :func:`structural_kind` looks at a method: the data methods, and for a class
    named like a cache (``named``) every public one.  An engine may describe only these."""
    return name in GET_METHODS or name in STORE_METHODS or name in HTTP_METHODS or (named and not name.startswith("_"))


def structural_kind(cls: ClassFacts) -> CacheKind | None:
    """Whether the class is a cache by what its source shows, with no name configured.

    A cache by structure has a ``get`` with a ``set``/``delete``-like method, or
    a class name (its own or a base's) containing "cache".  It is ``"async"``
    when every such data method (for a name match: every public method) is
    ``async def``; ``"sync"`` when at least one is proven synchronous.  Each call
    is still judged per method (:func:`method_is_sync`): a ``def`` returning an
    awaitable, or behind an unknown decorator, is never reported.
    """
    methods = cls.methods
    if any(name in methods for name in HTTP_METHODS):
        return None  # an HTTP client (a session's get/put/delete are requests)
    data = [m for name, m in methods.items() if name in GET_METHODS or name in STORE_METHODS]
    paired = _keyed_store(methods)
    named = any(is_cache_name(name) for name in cls.mro if name != "builtins.object")
    if not (paired or named):
        return None
    considered = data if data else [m for name, m in methods.items() if not name.startswith("_")]
    verdicts = [method_is_sync(m) for m in considered]
    if not verdicts:
        return None
    if all(verdict is False for verdict in verdicts):
        return "async"
    if any(verdict is True for verdict in verdicts):
        return "sync"
    return None


def cache_kind(
    cls: ClassFacts,
    *,
    sync_classes: Iterable[str] = (),
    async_classes: Iterable[str] = (),
    excluded_classes: Iterable[str] = (),
) -> CacheKind | None:
    """``"sync"``, ``"async"`` or None (not a cache) for a class, by one rule for both engines.

    In order: a class (or base) in ``excluded_classes`` is no cache; along the
    MRO, nearest first, a configured async class, a catalogued client
    (:mod:`cachelint.catalogue`) or a configured sync class decides; otherwise
    the class's structure (:func:`structural_kind`).  A configured sync class
    whose own data methods are all ``async def`` is async: the source outranks
    a name (a ``CacheManager`` with ``async def get`` is not a sync cache).
    """
    sync_entries = tuple(sync_classes)
    async_entries = tuple(async_classes)
    if any(matches_any(excluded_classes, name) for name in cls.mro):
        return None
    for name in cls.mro:
        if matches_any(async_entries, name):
            return "async"
        client = catalogue.client(name)
        if client is not None:
            return client.kind
        if matches_any(sync_entries, name):
            return "async" if structural_kind(cls) == "async" else "sync"
    return structural_kind(cls)


def catalogued_method(cls: ClassFacts, method: str) -> catalogue.ClientMethod | None:
    """The catalogue's entry for ``method`` on the nearest catalogued client along the MRO.

    An engine that sees a nearer definition (a project subclass overriding the
    method) judges that definition from its source instead."""
    for name in cls.mro:
        client = catalogue.client(name)
        if client is not None:
            return client.methods.get(method)
    return None


__all__ = [
    "ATTRS_DECORATORS",
    "AWAITABLE_CONSUMER_OWNERS",
    "AWAITABLE_MAKERS",
    "BUILTIN_VALUE_METHODS",
    "CAST_CALLS",
    "COERCIONS",
    "CallRole",
    "DATACLASS_DECORATORS",
    "ELEMENT_CONTAINERS",
    "GENERIC_RETRIEVAL_FIX",
    "ITERATOR_RETURNS",
    "NON_VALIDATING_CONSTRUCTORS",
    "PASS_THROUGH_CALLS",
    "PASS_THROUGH_METHODS",
    "STRUCTURED_BASES",
    "SinkFacts",
    "SinkShape",
    "StructureKind",
    "TypeFacts",
    "TypeShape",
    "VALIDATING_DATACLASS_DECORATORS",
    "VALIDATOR_CALLS",
    "VALUE_CONTAINERS",
    "attribute_is_sink",
    "call_role",
    "constructor_validates",
    "consumes_awaitable",
    "retrieval_fix",
    "structure_kind",
    "typed_sink",
    "yielded_type",
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
    "GET_METHODS",
    "STORE_METHODS",
    "VALIDATOR_METHODS",
    "closest_field",
    "cache_kind",
    "catalogued_method",
    "is_cache_name",
    "is_model",
    "judged_method",
    "matches",
    "matches_any",
    "method_is_sync",
    "model_key_advice",
    "structural_kind",
    "CACHE_GETTERS",
    "FILE_METHODS",
    "IO_CALLS",
    "PATH_CLASSES",
    "PATH_IO",
    "is_io_call",
    "is_io_method",
]
