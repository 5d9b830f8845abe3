"""The typed-sink judgement of ``cachelint.policy`` that both engines ask (CLT103, CLT101 consumers)."""

from __future__ import annotations

import pytest

from cachelint import policy
from cachelint.policy import ClassFacts, TypeFacts

MODEL = ClassFacts("app.Report", ("app.Report", "pydantic.main.BaseModel", "builtins.object"))
DATACLASS = ClassFacts("app.Point", ("app.Point", "builtins.object"), decorators=("dataclasses.dataclass",))
PYDANTIC_DATACLASS = ClassFacts("app.P", ("app.P",), decorators=("pydantic.dataclasses.dataclass",))
ATTRS = ClassFacts("app.Span", ("app.Span",), decorators=("attrs.define",))
TYPED_DICT = ClassFacts("app.Row", ("app.Row", "typing.TypedDict"))
NAMED_TUPLE = ClassFacts("app.Pair", ("app.Pair", "typing.NamedTuple"))
STRUCT = ClassFacts("app.Event", ("app.Event", "msgspec.Struct"))
PLAIN = ClassFacts("app.Plain", ("app.Plain", "builtins.object"))


def inst(cls: ClassFacts) -> TypeFacts:
    return TypeFacts("instance", cls.qualname, cls=cls)


def generic(name: str, *args: TypeFacts) -> TypeFacts:
    return TypeFacts("instance", name, args)


ANY = TypeFacts("any")
STR = generic("builtins.str")
NONE = TypeFacts("none")


@pytest.mark.parametrize(
    ("cls", "kind"),
    [
        (MODEL, "model"),
        (DATACLASS, "dataclass"),
        (PYDANTIC_DATACLASS, "dataclass"),
        (ATTRS, "attrs"),
        (TYPED_DICT, "typeddict"),
        (NAMED_TUPLE, "namedtuple"),
        (STRUCT, "struct"),
        (PLAIN, None),
        (ClassFacts("pydantic.BaseModel", ("pydantic.BaseModel",)), None),
        (ClassFacts("typing.TypedDict", ("typing.TypedDict",)), None),
    ],
)
def test_structure_kind(cls: ClassFacts, kind: str | None) -> None:
    assert policy.structure_kind(cls) == kind


def test_only_pydantic_constructors_validate() -> None:
    assert policy.constructor_validates(MODEL)
    assert policy.constructor_validates(PYDANTIC_DATACLASS)
    assert not any(policy.constructor_validates(c) for c in (DATACLASS, ATTRS, TYPED_DICT, NAMED_TUPLE, STRUCT))


@pytest.mark.parametrize(
    ("declared", "shape"),
    [
        (inst(MODEL), "model"),
        (TypeFacts("union", args=(inst(MODEL), NONE)), "model"),
        (generic("builtins.list", inst(DATACLASS)), "list"),
        (generic("builtins.dict", STR, inst(ATTRS)), "container"),
        (generic("builtins.tuple", inst(NAMED_TUPLE), generic("builtins.Ellipsis")), "container"),
        (TypeFacts("typevar", "app.M", bound=generic("pydantic.BaseModel")), "model"),
        (TypeFacts("typevar", "app.M", bound=inst(MODEL)), "model"),
    ],
)
def test_typed_sinks(declared: TypeFacts, shape: str) -> None:
    sink = policy.typed_sink(declared)
    assert sink is not None and sink.shape == shape


@pytest.mark.parametrize(
    "declared",
    [
        ANY,
        generic("builtins.object"),
        STR,
        generic("builtins.bytes"),
        generic("builtins.int"),
        generic("builtins.dict", STR, ANY),
        generic("builtins.list", generic("builtins.dict", STR, ANY)),
        TypeFacts("union", args=(inst(MODEL), generic("builtins.dict", STR, ANY))),
        inst(PLAIN),
        TypeFacts("typevar", "app.T"),
        TypeFacts("unknown"),
        None,
    ],
)
def test_not_sinks(declared: TypeFacts | None) -> None:
    assert policy.typed_sink(declared) is None


def test_unbound_typevar_is_a_sink_only_for_a_cache_get() -> None:
    assert policy.typed_sink(TypeFacts("typevar", "app.T"), typevars=True) is not None


def test_yielded_type() -> None:
    assert policy.yielded_type(generic("collections.abc.Iterator", inst(MODEL))) == inst(MODEL)
    assert policy.yielded_type(inst(MODEL)) is None


@pytest.mark.parametrize(
    ("qualname", "method", "role"),
    [
        ("json.loads", None, "decode"),
        ("pickle.loads", None, "decode"),
        ("orjson.loads", None, "decode"),
        (None, "decode", "decode"),
        ("app.Report.model_validate", "model_validate", "validate"),
        (None, "validate_python", "validate"),
        ("builtins.int", None, "coerce"),
        ("builtins.str", None, "coerce"),
        ("typing.cast", None, "cast"),
        ("builtins.isinstance", None, "inspect"),
        ("builtins.repr", None, "inspect"),
        ("inspect.isawaitable", None, "inspect"),
        ("builtins.list", None, "pass"),
        ("copy.deepcopy", None, "pass"),
        (None, "debug", "log"),
        ("app.render", None, None),
    ],
)
def test_call_roles(qualname: str | None, method: str | None, role: str | None) -> None:
    assert policy.call_role(qualname, method) == role


def test_configured_validator_by_bare_or_dotted_name() -> None:
    assert policy.call_role("app.checks.validate_cached", validators=["validate_cached"]) == "validate"
    assert policy.call_role("app.checks.validate_cached", validators=["checks.validate_cached"]) == "validate"
    assert policy.call_role("app.checks.other", validators=["validate_cached"]) is None


def test_attribute_sinks() -> None:
    assert policy.attribute_is_sink("latest")
    assert not policy.attribute_is_sink("get")
    assert not policy.attribute_is_sink("decode")
    assert not policy.attribute_is_sink("__class__")


def test_fix_texts() -> None:
    report = policy.typed_sink(inst(MODEL))
    points = policy.typed_sink(generic("builtins.list", inst(DATACLASS)))
    assert policy.retrieval_fix(report) == "Report.model_validate(...)"
    assert policy.retrieval_fix(points) == "TypeAdapter(list[Point]).validate_python(...)"
    assert policy.retrieval_fix(policy.typed_sink(inst(STRUCT))) == "msgspec.convert(..., Event)"
    assert policy.retrieval_fix(None) == policy.GENERIC_RETRIEVAL_FIX


def test_awaitable_consumers() -> None:
    assert policy.consumes_awaitable("asyncio.gather")
    assert policy.consumes_awaitable(None, "create_task", "asyncio.TaskGroup")
    assert policy.consumes_awaitable(None, "create_task", "asyncio.AbstractEventLoop")
    assert not policy.consumes_awaitable(None, "create_task", "app.Scheduler")
    assert not policy.consumes_awaitable("app.gather")
