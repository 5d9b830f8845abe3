"""The mypy plugin class: chooses hooks by fully qualified name and hands them to the checks.

Hook choice is memoised per name, because mypy asks for hooks on every
method call and attribute access it checks: after the first ask, a name
costs one dictionary lookup.  Configuration errors stop mypy with one line and exit status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from mypy.checker import TypeChecker
from mypy.nodes import MypyFile, TypeInfo
from mypy.options import Options
from mypy.plugin import (
    AttributeContext,
    FunctionContext,
    MethodContext,
    MethodSigContext,
    Plugin,
    ReportConfigContext,
)
from mypy.types import FunctionLike, Type

from cachelint.config import ConfigError
from cachelint.mypy_plugin import calls, mocks, models, retrieval, settings, unresolved
from cachelint.mypy_plugin.state import RunState

MethodHook = Callable[[MethodContext], Type]
SignatureHook = Callable[[MethodSigContext], FunctionLike]
AttributeHook = Callable[[AttributeContext], Type]
FunctionHook = Callable[[FunctionContext], Type]


def _warn(message: str) -> None:
    print(f"cachelint: warning: {message}", file=sys.stderr)


class CacheLintPlugin(Plugin):
    """``plugins = ["cachelint.mypy_plugin"]``."""

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        try:
            loaded = settings.load(options.config_file, Path.cwd(), _warn)
        except ConfigError as error:
            print(f"cachelint: error: {error}", file=sys.stderr)
            raise SystemExit(2) from None
        self.state = RunState(loaded)
        self._config_data = settings.config_data(loaded)  # mypy asks once per module
        self._class_roles: dict[str, str | None] = {}
        self._call_hooks: dict[str, MethodHook | None] = {}
        self._signature_hooks: dict[str, SignatureHook | None] = {}
        self._attribute_hooks: dict[str, AttributeHook | None] = {}
        self._model_base_modules = frozenset(name.split(".", 1)[0] for name in loaded.model_bases if "." in name)
        # A bare configured base (``extra-model-bases = ["Base"]``) names a class in any module.
        self._bare_model_base = any("." not in name for name in loaded.extra_model_bases)

    # --- mypy's plugin interface ------------------------------------------

    def set_modules(self, modules: dict[str, MypyFile]) -> None:
        super().set_modules(modules)
        self.state.modules = modules
        self.state.oracle.modules = modules

    def report_config_data(self, ctx: ReportConfigContext) -> Any:
        return self._config_data

    # mypy asks for these on every method call and attribute access it checks:
    # after the first ask for a name, the answer is one dictionary lookup.

    def get_method_signature_hook(self, fullname: str) -> SignatureHook | None:
        try:
            return self._signature_hooks[fullname]
        except KeyError:
            hook: SignatureHook | None = None
            if self._is_cache_method(fullname):
                hook = partial(calls.on_signature, self.state, fullname.rpartition(".")[2])
            if self._settled(fullname.rpartition(".")[0]):
                self._signature_hooks[fullname] = hook
            return hook

    # Each also serves as the plugin's way to learn a module's checker: the
    # end-of-module checks need it, and a module whose caches mypy types ``Any``
    # (a client that is not installed) calls no hook of its own.  So while no
    # checker has been seen since the last module finished, the first hookable
    # expression of the next one gets a capture hook: one extra call per module.

    def get_method_hook(self, fullname: str) -> MethodHook | None:
        try:
            hook = self._call_hooks[fullname]
        except KeyError:
            hook = None
            if self._is_cache_method(fullname):
                hook = partial(calls.on_call, self.state, fullname.rpartition(".")[2])
            elif self._role(fullname.rpartition(".")[0]) == "model":
                hook = self._capture_method
            if self._settled(fullname.rpartition(".")[0]):
                self._call_hooks[fullname] = hook
        if hook is None and self.state.awaiting_checker:
            return self._capture_method
        return hook

    def get_attribute_hook(self, fullname: str) -> AttributeHook | None:
        try:
            hook = self._attribute_hooks[fullname]
        except KeyError:
            hook = self._capture_attribute if self._role(fullname.rpartition(".")[0]) is not None else None
            if self._settled(fullname.rpartition(".")[0]):
                self._attribute_hooks[fullname] = hook
        if hook is None and self.state.awaiting_checker:
            return self._capture_attribute
        return hook

    def get_function_hook(self, fullname: str) -> FunctionHook | None:
        # ``AsyncMock(...)``: remember the module's checker, so the end-of-module CLT105
        # check reads the types mypy inferred there (typeshed's AsyncMock is Any-based:
        # the call itself has nothing to check).
        if fullname in mocks.ASYNC_MOCKS or self.state.awaiting_checker:
            return self._capture_function
        return None

    def get_additional_indirect_deps(self, file: MypyFile) -> set[str]:
        # Called by mypy once a module is type checked, its types still at hand: the place
        # for the checks that need a whole function's flow (CLT103), a mock's destination
        # (CLT105) or a missing attribute (CLT106), and the moment to let go of the module.
        state = self.state
        own = state.checkers.get(file.fullname)
        checker = own or state.last_checker
        if checker is not None and not file.is_stub and file.path not in checker.errors.ignored_files:
            sources = list(state.retrievals.get(file.fullname, ()))
            mocked = mocks.might_mock(file)
            hidden = unresolved.might_have_unresolved(state, file)
            if sources or mocked or hidden:
                checker.errors.set_file(file.path, file.fullname, scope=None, options=checker.options)
                if hidden:
                    sources += unresolved.check_module(state, checker, file, own is not None)
                if sources:
                    retrieval.check_module(state, own or checker, file, sources, own is not None)
                if mocked:
                    mocks.check_module(state, checker, file, own is not None)
            if self._models_possible():
                models.check_module(state, checker, file)
        state.oracle.read_bodies(file)
        state.forget(file)
        return set()

    # --- hook selection -----------------------------------------------------

    def _role(self, class_fullname: str) -> str | None:
        """``"cache"``, ``"model"`` or None for the class named ``class_fullname``."""
        if class_fullname in self._class_roles:
            return self._class_roles[class_fullname]
        role: str | None = None
        symbol = self.lookup_fully_qualified(class_fullname) if class_fullname else None
        info = symbol.node if symbol is not None else None
        if isinstance(info, TypeInfo):
            if self.state.oracle.cache_kind(info) == "sync":
                role = "cache"
            elif self.state.oracle.is_model(info):
                role = "model"
            if not self.state.oracle.settled(info):
                return role  # asked again once mypy has checked the class's decorated methods
        self._class_roles[class_fullname] = role
        return role

    def _settled(self, class_fullname: str) -> bool:
        return class_fullname in self._class_roles

    def _is_cache_method(self, fullname: str) -> bool:
        class_fullname, _, method = fullname.rpartition(".")
        if self._role(class_fullname) != "cache":
            return False
        symbol = self.lookup_fully_qualified(class_fullname)
        info = symbol.node if symbol is not None else None
        return isinstance(info, TypeInfo) and self.state.oracle.is_sync_method(info, method)

    def _models_possible(self) -> bool:
        return self._bare_model_base or any(name in self.state.modules for name in self._model_base_modules)

    # --- capture: remember each module's checker for the end-of-module check

    def _capture_method(self, ctx: MethodContext) -> Type:
        if isinstance(ctx.api, TypeChecker):
            self.state.remember(ctx.api)
        return ctx.default_return_type

    def _capture_function(self, ctx: FunctionContext) -> Type:
        if isinstance(ctx.api, TypeChecker):
            self.state.remember(ctx.api)
        return ctx.default_return_type

    def _capture_attribute(self, ctx: AttributeContext) -> Type:
        if isinstance(ctx.api, TypeChecker):
            self.state.remember(ctx.api)
        return ctx.default_attr_type
