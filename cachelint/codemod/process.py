"""One file through the codemod: decode, engine, plan, LibCST rewrite, proof.

Runs in worker processes, so it takes and returns plain picklable data and
never writes: the parent decides (``--check``/``--diff``) and writes.  The
cheap steps come first: ``ast.parse`` and the engine run on every candidate,
LibCST only on files with a certain fixable site.
"""

from __future__ import annotations

import ast
import difflib
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from cachelint.analysis import Diagnostic, analyse
from cachelint.codemod.codes import MANUAL_CODES, SITE_CODES, needs_engine
from cachelint.codemod.io import Snapshot, decode, keep_final_newline
from cachelint.codemod.plan import Manual, Plan
from cachelint.codemod.planning import Failed, plan_source
from cachelint.config import ConfigError, Settings, load_settings
from cachelint.noqa import filter_noqa

__all__ = ["FileResult", "Options", "needs_engine", "process"]

#: Codes whose findings the proof accounts for after a rewrite.
_PROVEN = SITE_CODES | MANUAL_CODES


@dataclass(frozen=True)
class Options:
    include_blocking: bool = False
    want_diff: bool = False
    unsafe_fixes: bool = False


@dataclass
class FileResult:
    path: str
    new: bytes | None = None  # set when the file would change
    snapshot: Snapshot | None = None
    diff: str = ""
    rewritten: Counter[str] = field(default_factory=Counter)  # code -> sites
    #: "needs manual fix" lines for the file as it is now, and as it would be after the write.
    manual_before: list[str] = field(default_factory=list)
    manual_after: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def process(path: Path, raw: bytes, stat: object, options: Options, settings: Settings | None = None) -> FileResult:
    """Never raises for a bad file: problems become ``errors`` lines naming the file.

    ``settings``: the file's, as discovery found them; loaded here when not given.
    """
    shown = str(path)
    result = FileResult(shown)
    try:
        return _process(path, raw, stat, options, settings, result)
    except RecursionError:
        result.errors.append(f"{shown}: too deeply nested to rewrite safely; left unchanged")
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the run
        result.errors.append(f"{shown}: internal error: {type(error).__name__}: {error}; left unchanged")
    result.new = None
    return result


def _process(
    path: Path, raw: bytes, stat: object, options: Options, settings: Settings | None, result: FileResult
) -> FileResult:
    shown = result.path
    try:
        source = decode(path, raw, stat)  # type: ignore[arg-type]
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        result.errors.append(f"{shown}: cannot decode: {error}")
        return result
    if settings is None:
        try:
            settings = load_settings(path)
        except ConfigError as error:
            result.errors.append(f"{shown}: {error}")
            return result
    planned = plan_source(
        path,
        source.text,
        settings,
        include_blocking=options.include_blocking,
        unsafe_fixes=options.unsafe_fixes,
        shown=shown,
    )
    if isinstance(planned, Failed):
        result.errors.extend(planned.lines)
        return result
    before, plan = planned.findings, planned.plan
    if plan.empty:
        lines = _manual(shown, plan, before, before, plan.manual + _withheld(plan))
        result.manual_before = result.manual_after = lines
        return result
    new_text, after, problem = rewrite_text(path, source.text, settings, before, plan)
    if new_text is None:
        if problem is not None and "LibCST cannot parse" in problem:
            result.errors.append(f"{shown}:{problem}; left unchanged")
            return result
        return _refuse(result, plan, before, problem or "the rewrite changed nothing")
    result.new = source.encode(new_text)
    result.snapshot = source.snapshot
    for edit in plan.calls:
        for code in edit.codes:
            result.rewritten[code] += 1
    for node_edit in plan.edits:
        for origin in node_edit.origins:
            result.rewritten[origin.code] += 1
    listed = plan.manual + _withheld(plan)
    result.manual_before = _manual(shown, plan, before, after, listed, positions="before")
    result.manual_after = _manual(shown, plan, before, after, listed, positions="after")
    if options.want_diff:
        result.diff = "".join(
            difflib.unified_diff(
                source.text.splitlines(keepends=True),
                new_text.splitlines(keepends=True),
                fromfile=f"a/{shown}",
                tofile=f"b/{shown}",
            )
        )
    return result


def rewrite_text(
    path: Path, text: str, settings: Settings, before: list[Diagnostic], plan: Plan
) -> tuple[str | None, list[Diagnostic], str | None]:
    """Apply ``plan`` to ``text`` with LibCST and prove it: ``(new text, findings after, None)``,
    or ``(None, [], why)`` when the rewrite cannot be located or proven.

    The one rewrite step for files on disk (:func:`process`) and for texts in
    memory (:mod:`cachelint.codemod.text`: standard input, the language server).
    """
    import libcst as cst  # only files with a certain site pay for LibCST's import and parse

    from cachelint.codemod.imports import first_party_in
    from cachelint.codemod.rewrite import apply

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        return None, [], f"{error.raw_line}: LibCST cannot parse: {error.message}"
    new_module, applied = apply(module, plan, first_party_in(settings.effective_source_roots()))
    planned = {edit.span for edit in plan.calls} | set(plan.bindings) | {edit.span for edit in plan.edits}
    if applied != planned:
        return None, [], "the codemod could not locate this call in the LibCST tree"
    new_text = keep_final_newline(text, new_module.code)
    if _comments(new_text) != _comments(text):
        return None, [], "the rewrite would drop or repeat a comment inside the call"
    problem, after = _prove(new_text, path, settings, before, plan)
    if problem is not None:
        return None, [], problem
    return new_text, after, None


def _comments(text: str) -> Counter[str] | None:
    """Every comment of ``text`` (None if it cannot be tokenized): a rewrite moves none in or out."""
    import io
    import tokenize

    try:
        return Counter(
            token.string
            for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline)
            if token.type == tokenize.COMMENT
        )
    except (tokenize.TokenError, SyntaxError):
        return None


def _prove(
    new_text: str, path: Path, settings: object, before: list[Diagnostic], plan: Plan
) -> tuple[str | None, list[Diagnostic]]:
    """The rewrite compiles and the engine finds exactly the CLT101/102 it did not touch."""
    try:
        with warnings.catch_warnings():  # the user's own warnings are not ours to print
            warnings.simplefilter("ignore")
            compile(new_text, str(path), "exec", dont_inherit=True)
            tree = ast.parse(new_text, filename=str(path))
    except (SyntaxError, ValueError) as error:
        return f"the rewritten file does not compile ({error}); left unchanged", []
    analysed = analyse(tree, path, settings, source=new_text)  # type: ignore[arg-type]
    if analysed.errors:
        first = analysed.errors[0]
        return f"the re-check after rewriting failed in {first.check} ({first.error}); left unchanged", []
    # Silenced sites were left alone, so they are silenced in the proof too (the comment moved with its line).
    after = filter_noqa(new_text, analysed.diagnostics, ((d.line, d.code) for d in analysed.diagnostics))
    # Exactly the findings no edit fixed remain, and nothing new appears; a CLT103 may
    # also go as a side effect (its value now comes from the typed API, which validates).
    expected = Counter(d.text() for d in before if d.code in _PROVEN) - plan.removed
    found = Counter(d.text() for d in after if d.code in _PROVEN)
    side_effects = Counter({text: n for text, n in (expected - found).items() if text.startswith("CLT103 ")})
    if found != expected - side_effects:
        extra = next(iter(found - expected), None) or next(iter(expected - found), "")
        return f"the re-check after rewriting disagrees ({extra}); left unchanged", after
    return None, after


def _withheld(plan: Plan) -> list[Manual]:
    """Unsafe fixes not applied (no --unsafe-fixes): listed with what they would do."""
    return [
        Manual(origin.line, origin.col, origin.code, edit.note, unsafe=True)
        for edit in plan.withheld
        for origin in edit.origins
    ]


def _refuse(result: FileResult, plan: Plan, before: list[Diagnostic], reason: str) -> FileResult:
    manual = [*plan.manual, *_withheld(plan)]
    for edit in plan.calls:
        manual.extend(Manual(line, col, code, reason) for line, col, code in edit.origins)
    for node_edit in plan.edits:
        manual.extend(Manual(o.line, o.col, o.code, reason) for o in node_edit.origins)
    result.manual_before = result.manual_after = _manual(result.path, plan, before, before, manual)
    result.new = None
    return result


def _manual(
    shown: str,
    plan: Plan,
    before: list[Diagnostic],
    after: list[Diagnostic],
    refused: list[Manual],
    *,
    positions: str = "before",
) -> list[str]:
    """Refused sites plus the findings no rewrite can fix (CLT103 left over, CLT105, CLT106).

    A CLT103 at a value that now comes from ``get_list``/``get_model`` is gone
    from ``after``; findings are paired across the rewrite by their text.
    """
    remaining: dict[str, list[Diagnostic]] = {}
    for d in after:
        if d.code in MANUAL_CODES or d.code in SITE_CODES or d.code == "CLT104":
            remaining.setdefault(d.text(), []).append(d)
    entries: list[Manual] = []
    by_position = {(m.line, m.col, m.code): m for m in refused}
    for d in before:
        refusal = by_position.pop((d.line, d.col, d.code), None)
        if refusal is None and d.code not in MANUAL_CODES:
            continue
        twins = remaining.get(d.text())
        if not twins:
            continue
        twin = twins.pop(0)
        where = twin if positions == "after" else d
        if refusal is not None:
            entries.append(Manual(where.line, where.col, d.code, refusal.reason, unsafe=refusal.unsafe))
        else:
            entries.append(Manual(where.line, where.col, d.code, d.message))
    entries.extend(by_position.values())  # refusals without a finding of their own (could not locate)
    entries.sort(key=lambda m: (m.line, m.col, m.code))
    return [m.text(shown) for m in entries]
