"""One text through the engine and the planner: parse, :func:`~cachelint.analysis.analyse`, ``noqa``, plan.

The one path for files on disk (:mod:`cachelint.codemod.process`) and texts
in memory (:mod:`cachelint.codemod.text`: standard input, the language
server, ``check --fix``).  The planner reads the model the engine built for
its findings (``EngineResult.model``).  A file the engine failed on is not
planned: a failed check may have hidden a site or a finding the proof relies
on, so its failures come back as error lines and the file is left alone.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from pathlib import Path

from cachelint.analysis import Diagnostic, analyse
from cachelint.codemod.plan import Plan, Planner
from cachelint.config import Settings
from cachelint.noqa import filter_noqa
from cachelint.syntax import parse_error_message


@dataclass(frozen=True)
class Planned:
    tree: ast.Module
    #: The engine's findings after ``noqa``: like ruff's ``--fix``, a silenced finding is neither fixed nor listed.
    findings: list[Diagnostic]
    plan: Plan


@dataclass(frozen=True)
class Failed:
    """The text could not be planned; each line names the file (``shown``) and what went wrong."""

    lines: tuple[str, ...]


def plan_source(
    path: Path,
    text: str,
    settings: Settings,
    *,
    include_blocking: bool,
    unsafe_fixes: bool = False,
    shown: str | None = None,
) -> Planned | Failed:
    """The findings and the plan for ``text`` as if it were at ``path`` (``shown`` names it in error lines)."""
    where = str(path) if shown is None else shown
    try:
        with warnings.catch_warnings():  # the user's own warnings are not ours to print
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=where)
    except SyntaxError as error:
        return Failed((f"{where}:{error.lineno or 1}: {parse_error_message(error, text)}",))
    except ValueError as error:  # null bytes
        return Failed((f"{where}: cannot parse: {error}",))
    except RecursionError:
        return Failed((f"{where}: too deeply nested to parse; left unchanged",))
    analysed = analyse(tree, path, settings, source=text)
    if analysed.errors:
        return Failed(
            tuple(
                f"{where}:{failed.line}: internal error in {failed.check}: {failed.error}; left unchanged"
                for failed in analysed.errors
            )
        )
    found = analysed.diagnostics
    kept = filter_noqa(text, found, ((d.line, d.code) for d in found))
    plan = Planner(
        tree, text, settings, kept, analysed.model, include_blocking=include_blocking, unsafe_fixes=unsafe_fixes
    ).plan()
    return Planned(tree, kept, plan)
