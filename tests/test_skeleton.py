"""The summary skeleton (cachelint/analysis/skeleton.py): it summarises exactly like the full source.

Every comparison parses both texts with the real ``ast.parse`` and compares the
two summaries field by field, positions included (:func:`dump_summary`).
"""

from __future__ import annotations

import ast
import os
import sys
import sysconfig
from pathlib import Path
from typing import Any

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings

from cachelint.analysis.index import ClassSummary, FunctionSummary, ModuleSummary, ProjectIndex, summarize
from cachelint.analysis.skeleton import MAX_DEPTH, summary_source

FIXTURES = Path(__file__).parent / "fixtures"
#: Every Nth stdlib file is compared (the whole stdlib takes minutes on a shared machine).
STDLIB_STRIDE = 7

needs_scanner = pytest.mark.skipif(sys.version_info < (3, 11), reason="the scanner needs 3.11 (always None before)")


def _expr(node: ast.AST | None) -> str | None:
    return None if node is None else ast.dump(node, include_attributes=True)


def _function(func: FunctionSummary) -> dict[str, Any]:
    return {
        "name": func.name,
        "qualname": func.qualname,
        "is_async": func.is_async,
        "args": _expr(func.args),
        "drop_first": func.drop_first,
        "returns": _expr(func.returns),
        "decorators": sorted(func.decorators),
        "line": func.line,
    }


def _class(cls: ClassSummary) -> dict[str, Any]:
    return {
        "name": cls.name,
        "qualname": cls.qualname,
        "bases": [_expr(base) for base in cls.bases],
        "decorators": sorted(cls.decorators),
        "fields": [(name, _expr(annotation)) for name, annotation in cls.fields.items()],
        "non_init_fields": sorted(cls.non_init_fields),
        "field_aliases": sorted(cls.field_aliases.items()),
        "methods": [(name, _function(func)) for name, func in cls.methods.items()],
        "instance_attrs": [(name, decl.kind.value, _expr(decl.expr)) for name, decl in cls.instance_attrs.items()],
        "type_params": cls.type_params,
    }


def dump_summary(module: ModuleSummary) -> dict[str, Any]:
    """Every field of a summary, kept expressions dumped with their positions (dict order counts)."""
    return {
        "name": module.name,
        "path": module.path,
        "is_package": module.is_package,
        "imports": list(module.imports.items()),
        "type_checking_names": sorted(module.type_checking_names),
        "classes": [(name, _class(cls)) for name, cls in module.classes.items()],
        "functions": [(name, _function(func)) for name, func in module.functions.items()],
        "variables": [(name, decl.kind.value, _expr(decl.expr)) for name, decl in module.variables.items()],
        "installed": module.installed,
    }


def _summary(text: bytes) -> dict[str, Any]:
    return dump_summary(summarize(ast.parse(text), "pkg.mod", None, False))


def check_equivalent(source: bytes, label: str = "<source>") -> bytes | None:
    """The skeleton of ``source`` (None allowed) summarises exactly like ``source``; returns it."""
    skeleton = summary_source(source)
    if skeleton is None:
        return None
    assert skeleton.count(b"\n") >= source.count(b"\n"), f"{label}: the skeleton lost lines"
    try:
        trimmed = _summary(skeleton)
    except SyntaxError as error:
        raise AssertionError(f"{label}: the skeleton does not parse: {error}") from None
    assert trimmed == _summary(source), f"{label}: the skeleton's summary differs from the full source's"
    return skeleton


def _parsable(path: Path) -> bytes | None:
    try:
        source = path.read_bytes()
        ast.parse(source)
    except (OSError, SyntaxError, ValueError):
        return None
    return source


def _stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)
    return files[::STDLIB_STRIDE]


# -- equivalence on real files ---------------------------------------------------


@needs_scanner
def test_fixtures_summarise_alike() -> None:
    files = sorted(FIXTURES.rglob("*.py"))
    assert files
    trimmed = 0
    for path in files:
        source = _parsable(path)
        if source is not None and check_equivalent(source, str(path)) is not None:
            trimmed += 1
    assert trimmed > len(files) // 2, f"only {trimmed} of {len(files)} fixtures got a skeleton"


@needs_scanner
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")  # old escapes in the stdlib
def test_stdlib_sample_summarises_alike() -> None:
    files = _stdlib_files()
    assert len(files) > 50
    trimmed = 0
    for path in files:
        source = _parsable(path)
        if source is not None and check_equivalent(source, str(path)) is not None:
            trimmed += 1
    assert trimmed > len(files) * 3 // 4, f"only {trimmed} of {len(files)} stdlib files got a skeleton"


@needs_scanner
@pytest.mark.skipif(not os.environ.get("CACHELINT_CORPUS"), reason="set CACHELINT_CORPUS to a source tree")
def test_corpus_summarises_alike() -> None:
    files = sorted(Path(os.environ["CACHELINT_CORPUS"]).rglob("*.py"))
    for path in files:
        source = _parsable(path)
        if source is not None:
            check_equivalent(source, str(path))


# -- the hard constructs, one at a time ---------------------------------------------


def _same(text: str) -> bytes:
    """``text`` gets a skeleton, and it summarises alike; returns the skeleton."""
    skeleton = check_equivalent(text.encode("utf-8"))
    assert skeleton is not None, "expected a skeleton"
    return skeleton


def _unsure(source: bytes) -> None:
    assert summary_source(source) is None


@needs_scanner
def test_module_function_bodies_are_dropped_and_lines_kept() -> None:
    source = "import os\n\ndef f(a: int = 1) -> int:\n    x = os.getcwd()\n    return a\n\nY: int = 2\n"
    skeleton = _same(source)
    assert skeleton == b"import os\n\ndef f(a: int = 1) -> int: ...\n\n\n\nY: int = 2\n"


@needs_scanner
def test_self_assignment_in_nested_blocks_is_kept() -> None:
    source = (
        "class C:\n"
        "    def __init__(self, cache: Cache) -> None:\n"
        "        if cache:\n"
        "            for x in y:\n"
        "                with z:\n"
        "                    try:\n"
        "                        self.cache = cache\n"
        "                    except E:\n"
        "                        self.other: Other = make()\n"
        "        match q:\n"
        "            case 1:\n"
        "                self.m = Model()\n"
        "        while True: self.w = W(); break\n"
    )
    skeleton = _same(source)
    assert b"self.m = Model()" in skeleton and b"self.w = W()" in skeleton
    summary = summarize(ast.parse(skeleton), "m", None, False)
    assert set(summary.classes["C"].instance_attrs) == {"cache", "other", "m", "w"}


@needs_scanner
def test_a_nested_def_assigning_self_is_not_recorded() -> None:
    source = (
        "class C:\n"
        "    def run(self):\n"
        "        self.kept = K()\n"
        "        def inner():\n"
        "            self.hidden = H()\n"
        "        class Local:\n"
        "            def m(self):\n"
        "                self.local = L()\n"
    )
    summary = summarize(ast.parse(_same(source)), "m", None, False)
    assert set(summary.classes["C"].instance_attrs) == {"kept"}


@needs_scanner
def test_method_without_attribute_assignment_is_trimmed() -> None:
    source = "class C:\n    x: int = 1\n    def get(self, key):\n        return self.data[key] == 2\n"
    assert b"return" not in _same(source)


@needs_scanner
@pytest.mark.parametrize(
    "target",
    [
        "self.a = 1",
        "self.a: int",
        "(self).a = 1",
        "(self.a) = 1",
        "self . a = 1",
        "self.\\\n    a = 1",
        "(self  # why\n    ).a = 1",
        "x = 1; self.a = 2",
        "if c: self.a = 1",
        "ｓｅｌｆ.a = 1",  # NFKC: the parser reads the name ``self``
        "self.é = 1",
    ],
)
def test_every_spelling_of_a_self_assignment_is_seen(target: str) -> None:
    body = target.replace("\n", "\n        ")
    source = f"class C:\n    def __init__(self, v: int):\n        {body}\n"
    skeleton = _same(source)
    assert summarize(ast.parse(skeleton), "m", None, False).classes["C"].instance_attrs


@needs_scanner
@pytest.mark.parametrize(
    "text",
    [
        # strings of every kind, with what looks like code inside
        'def f():\n    s = """\ndef g():\nclass X:\n    pass\n"""\n    return s\nZ = 1\n',
        "def f():\n    s = '''\n)\n'''\n    t = r'\\''\n    u = b\"\\\"\"\nZ = 1\n",
        'def f():\n    return rb"x" + Rb"y" + BR"z" + U"u" + F"{1}" + fr"{2}"\nZ = 1\n',
        "def f():\n    s = 'a\\\nb'\n    return s\nclass C:\n    pass\n",
        # comments that look like code, at column 0 inside a body
        "def f():\n    x = 1\n# def g():\nclass C:\n    pass\n",
        # a closing bracket at column 0 inside a body
        "def f():\n    x = g(\n1,\n)\n    return x\ndef h(): pass\n",
        "def f(\n    a,\n    b=(1, 2),\n) -> dict[str, int]:\n    return {}\n",
        # one-line bodies and ; joins
        "def f(): return 1\ndef g(): x = 1; y = 2\nclass C: x: int = 1\n",
        "class C:\n    def m(self): self.x = 1; return 2\n    def n(self): return 3\n",
        # decorators, async, PEP 604 annotations
        "@dec(1)\n@other.thing\nasync def f(x: int | None = None) -> str:\n    await g()\n",
        "class C:\n    @property\n    def p(self) -> int:\n        return 1\n    @p.setter\n    def p(self, v):\n"
        "        self._p = v\n",
        # backslash continuations at module level and in a header
        "X = 1 + \\\n    2\ndef f(a, \\\n      b):\n    pass\n",
        # top-level if/try bodies, TYPE_CHECKING
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from x import Y\n    def f() -> Y:\n"
        "        return g()\nelse:\n    Y = None\ntry:\n    import a\nexcept ImportError:\n    a = None\n"
        "finally:\n    def z():\n        pass\n",
        # a lambda in a return annotation: its colon is not the header's
        "def f() -> (lambda: int): return 1\ndef g() -> lambda: int: return 2\n",
        # a form feed and a comment between statements
        "import os\n\x0c\ndef f():\n    return 1\n",
        # nested classes are kept as statements, their bodies not read
        "class A:\n    class B:\n        def m(self):\n            self.x = 1\n    y: int\n",
        # a deeply nested display inside a body
        "def f():\n    return [[[[[[(1, {2: [3]})]]]]]]\n",
    ],
)
def test_hard_constructs(text: str) -> None:
    _same(text)


@needs_scanner
def test_crlf_line_endings() -> None:
    source = (
        b"import os\r\n\r\ndef f():\r\n    return (\r\n1)\r\n"
        b"class C:\r\n    def __init__(self):\r\n        self.x = 1\r\n"
    )
    skeleton = check_equivalent(source)
    assert skeleton is not None and b"return" not in skeleton


@needs_scanner
def test_bom_and_utf8_cookie() -> None:
    source = "\ufeff# -*- coding: utf-8 -*-\ndef f():\n    return 'é'\nX = 'ü'\n".encode()
    skeleton = check_equivalent(source)
    assert skeleton is not None and skeleton.startswith(b"\xef\xbb\xbf")


@needs_scanner
def test_no_final_newline() -> None:
    _same("def f():\n    return 1")


@needs_scanner
@pytest.mark.parametrize(
    "source",
    [
        b"# coding: latin-1\ndef f():\n    return '\xe9'\n",
        b"def f():\n\treturn 1\n",  # a tab in an indentation
        b"def f():\n    \x0creturn 1\n",  # a form feed in an indentation
        b"def f():\r    return 1\r",  # lone carriage returns
        b"def f():\n    return 1\x00\n",
        b"def f():\n    return " + b"(" * (MAX_DEPTH + 1) + b"1" + b")" * (MAX_DEPTH + 1) + b"\n",
        b"def f():\n    s = 'unterminated\n",
        b'def f():\n    s = """never closed\n',
        b"def f():\n    return (1\n",
        b"def f():\nx = 1\n",  # expected an indented block
        b"def f(): return 1\n    x = 2\n",  # unexpected indent
        b"  x = 1\n",
        b"class C:\n    x = 1\n  y = 2\n",  # unindent to no level
    ],
)
def test_unsure_sources_get_none(source: bytes) -> None:
    _unsure(source)


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 701 f-strings exist from 3.12")
@pytest.mark.parametrize(
    "source",
    [
        'def f(d):\n    return f"{d["k"]}"\nX = 1\n',
        "def f(d):\n    return f'{d['k'] + \"}\"}'\n",
        'def f(x):\n    return f"""{x # }"""\n}"""\n',
        "def f(d):\n    return f\"{d['}']}\"\n",  # a brace in a nested string: not followed
    ],
)
def test_pep701_fstrings_with_nested_quotes_get_none(source: str) -> None:
    _unsure(source.encode())


@needs_scanner
def test_simple_fstrings_are_scanned() -> None:
    _same('def f(x, w):\n    return f"{x!r:>{w}} {{literal}}" + F"{x}"\nY = f"{1}"\n')
    _same("def f(d):\n    return f\"{d['key']} x\" + f'{d[\"k\"]:>{3}}'\nY = 1\n")


def test_a_file_that_does_not_parse_still_has_no_summary(tmp_path: Path) -> None:
    # A tokenizer error in a body: the skeleton is refused, so the full parse decides (it fails).
    (tmp_path / "broken.py").write_text("class C:\n    pass\ndef f():\n    return (1\n", encoding="utf-8")
    (tmp_path / "good.py").write_text("class C:\n    def __init__(self):\n        self.x = 1\n", encoding="utf-8")
    index = ProjectIndex((tmp_path,))
    assert index.module("broken") is None
    good = index.module("good")
    assert good is not None and set(good.classes["C"].instance_attrs) == {"x"}


# -- generated programs -----------------------------------------------------------


@needs_scanner
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_generated_programs_summarise_alike_or_get_none(program: str) -> None:
    source = program.encode("utf-8", "surrogatepass")
    try:
        ast.parse(source)
    except (SyntaxError, ValueError):
        return
    check_equivalent(source, repr(program))
