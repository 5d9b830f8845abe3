"""The codemod on one in-memory text: ``cachelint fix --stdin-filename``, the language server, ``check --fix``.

:mod:`cachelint.codemod.process` fixes files on disk; editors and standard input hand
over a text that may differ from the file at its path.  This module runs the
same steps on that text (:func:`~cachelint.codemod.planning.plan_source`:
engine, ``noqa``, planning; then the LibCST rewrite and the re-check that
proves it) and can restrict the rewrite to one site, for an
editor's per-diagnostic quick fix.

A one-site fix is self-contained: a key built by a helper is wrapped in a
``CacheKey`` at the call instead of rewriting the helper call it shares with
other sites (the whole-file fix does that).  LibCST is imported only when
there is something to rewrite.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from cachelint.analysis import Diagnostic
from cachelint.codemod.codes import BLOCKING_CODE, SITE_CODES
from cachelint.codemod.plan import KeyPlan, Plan
from cachelint.codemod.planning import Failed, Planned, plan_source
from cachelint.config import Settings
from cachelint.rules import Safety

#: ``(line, col, code)`` of a finding as the engine reports it (1-based line, 0-based UTF-8 byte column).
Origin = tuple[int, int, str]


@dataclass(frozen=True)
class Site:
    """One rewrite the codemod would make: the findings it removes and whether it is safe."""

    origins: tuple[Origin, ...]
    method: str
    #: Unsafe fixes change behaviour beyond the bug (CLT104: the call now yields to the event loop).
    unsafe: bool


@dataclass(frozen=True)
class TextFix:
    """The outcome for one text: ``text`` is None when nothing changes (or on ``error``)."""

    text: str | None
    fixed: tuple[Origin, ...] = ()
    manual: tuple[str, ...] = ()
    error: str | None = None


def plan_text(
    path: Path, text: str, settings: Settings, *, include_blocking: bool, unsafe_fixes: bool = False
) -> Planned | str:
    """The engine's findings and the codemod's plan for ``text`` as if it were at ``path``.

    A str is the error (lines naming ``path``): the text does not parse, or a
    check failed on it, so nothing is planned.
    """
    planned = plan_source(path, text, settings, include_blocking=include_blocking, unsafe_fixes=unsafe_fixes)
    if isinstance(planned, Failed):
        return "\n".join(planned.lines)
    return planned


def sites(planned: Planned) -> list[Site]:
    """Every rewrite the plan makes or withholds, with the findings it fixes.

    A blocking call's rewrite (CLT104) counts as unsafe here: it changes timing,
    so ``check --fix`` applies it only with ``--unsafe-fixes``.
    """
    plan = planned.plan
    out = [Site(edit.origins, edit.method, unsafe=BLOCKING_CODE in edit.codes or edit.add_await) for edit in plan.calls]
    for node_edit in [*plan.edits, *plan.withheld]:
        origins = tuple((o.line, o.col, o.code) for o in node_edit.origins)
        out.append(Site(origins, node_edit.fix.kind, unsafe=node_edit.fix.safety is Safety.UNSAFE))
    return out


def _only(plan: Plan, findings: list[Diagnostic], origin: Origin) -> Plan | None:
    node_edit = next(
        (e for e in plan.edits if origin in {(o.line, o.col, o.code) for o in e.origins}),
        None,
    )
    if node_edit is not None:
        texts = {(d.line, d.col, d.code): d.text() for d in findings}
        gone: Counter[str] = Counter(texts[o] for o in [origin] if o in texts)
        return Plan(edits=[node_edit], removed=gone)
    edit = next((edit for edit in plan.calls if origin in edit.origins), None)
    if edit is None:
        return None
    if edit.key.kind == "keep":
        edit = replace(edit, key=KeyPlan("wrap", edit.key.operation))
    texts = {(d.line, d.col, d.code): d.text() for d in findings}
    removed: Counter[str] = Counter(texts[o] for o in edit.origins if o[2] in SITE_CODES and o in texts)
    return Plan(calls=[edit], removed=removed)


def fix_text(
    path: Path,
    text: str,
    settings: Settings,
    *,
    include_blocking: bool = False,
    unsafe_fixes: bool = False,
    only: Origin | None = None,
) -> TextFix:
    """The fixed text (every certain site, or the one site that fixes ``only``), proven by a re-check."""
    planned = plan_text(path, text, settings, include_blocking=include_blocking, unsafe_fixes=unsafe_fixes)
    if isinstance(planned, str):
        return TextFix(None, error=planned)
    plan: Plan | None = planned.plan
    if only is not None:
        plan = _only(planned.plan, planned.findings, only)
    manual = tuple(m.text(str(path)) for m in planned.plan.manual)
    if plan is None or plan.empty:
        return TextFix(None, manual=manual)
    from cachelint.codemod.process import rewrite_text

    new_text, _, problem = rewrite_text(path, text, settings, planned.findings, plan)
    if new_text is None:
        return TextFix(None, manual=manual, error=f"{path}: {problem}")
    fixed = tuple(origin for edit in plan.calls for origin in edit.origins) + tuple(
        (o.line, o.col, o.code) for edit in plan.edits for o in edit.origins
    )
    return TextFix(new_text, fixed=fixed, manual=manual)
