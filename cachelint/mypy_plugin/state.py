"""The per-run state every hook shares: settings, class oracle, source texts, module facts.

A mypy run creates one plugin instance, so one :class:`RunState`; nothing is
kept at module level, which keeps ``mypy.api.run`` calls in one process (and
the mypy daemon) independent of each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from mypy.checker import TypeChecker
from mypy.nodes import Expression, MypyFile, TypeInfo
from mypy.types import Instance, ProperType, TupleType, TypeVarType, get_proper_type

from cachelint.config import Settings
from cachelint.mypy_plugin.classes import ClassOracle
from cachelint.mypy_plugin.source import SourceTexts
from cachelint.mypy_plugin.syntax import ModuleFacts, walk


@dataclass(frozen=True)
class Source:
    """A raw cached value (CLT103): a sync cache getter's call, or the ``await`` of it."""

    value: Expression
    cls: str
    method: str
    #: the cache class's fully qualified name
    fullname: str = ""


class RunState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.oracle = ClassOracle(settings)
        self.sources = SourceTexts()
        #: module fullname -> (tree it was computed for, facts)
        self._facts: dict[str, tuple[MypyFile, ModuleFacts]] = {}
        #: module fullname -> the checker that checked it (seen through a hook)
        self.checkers: dict[str, TypeChecker] = {}
        #: the most recent checker seen, whose error sink serves modules no hook saw
        self.last_checker: TypeChecker | None = None
        #: No checker seen since the last module finished: the plugin then asks mypy
        #: for the next hookable expression only to learn the module's checker.
        self.awaiting_checker = True
        #: module fullname -> the raw cached values its getter calls produced (CLT103)
        self.retrievals: dict[str, list[Source]] = {}
        #: every module of the build (mypy's ``set_modules``), for definitions in other files
        self.modules: dict[str, MypyFile] = {}

    def remember(self, checker: TypeChecker) -> None:
        self.checkers[checker.tree.fullname] = checker
        self.last_checker = checker
        self.awaiting_checker = False

    def forget(self, tree: MypyFile) -> None:
        """Drop what was kept for a finished module (its nodes, its checker, its text)."""
        self._facts.pop(tree.fullname, None)
        self.retrievals.pop(tree.fullname, None)
        self.checkers.pop(tree.fullname, None)
        self.sources.forget(tree.path)
        self.awaiting_checker = True

    def facts(self, tree: MypyFile) -> ModuleFacts:
        """The syntactic facts of ``tree``, computed on first request."""
        found = self._facts.get(tree.fullname)
        if found is not None and found[0] is tree:
            return found[1]
        facts = walk(tree)
        self._facts[tree.fullname] = (tree, facts)
        return facts


def instance_info(receiver: ProperType) -> TypeInfo | None:
    """The class of a receiver type: an instance, a bounded type variable, a named tuple."""
    if isinstance(receiver, TypeVarType):
        receiver = get_proper_type(receiver.upper_bound)
    if isinstance(receiver, TupleType):
        receiver = receiver.partial_fallback
    if isinstance(receiver, Instance):
        return receiver.type
    return None
