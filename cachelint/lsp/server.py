"""The pygls wiring of ``cachelint server``: which LSP messages lead to which analysis.

Diagnostics are published on open, change and save, and cleared on close;
a saved or changed ``pyproject.toml`` re-checks every open document.
Nothing here raises into pygls: an internal error is logged to the client
(``window/logMessage``) naming the document, and that document keeps no
stale diagnostics.
"""

from __future__ import annotations

import traceback

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from cachelint import __version__
from cachelint.lsp.documents import (
    FIX_ALL_KIND,
    ConfigProblem,
    SettingsCache,
    code_actions,
    config_diagnostic,
    diagnostics,
    document_path,
)


class CachelintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("cachelint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings_cache = SettingsCache()

    def log(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=f"cachelint: {message}"))

    def _flush_warnings(self) -> None:
        for warning in self.settings_cache.warnings:
            self.log(warning, types.MessageType.Warning)
        self.settings_cache.warnings.clear()

    def publish(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        if not document.uri.endswith((".py", ".pyi")) and document.language_id not in ("python", None):
            return
        try:
            settings = self.settings_cache.for_path(document_path(document))
            found = diagnostics(document, settings)
        except ConfigProblem as problem:
            found = [config_diagnostic(str(problem))]
        except Exception as error:  # noqa: BLE001 - one document's failure must not stop the server
            self.log(f"internal error checking {uri}: {type(error).__name__}: {error}\n{traceback.format_exc()}")
            found = []
        self._flush_warnings()
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
        )

    def publish_all(self) -> None:
        self.settings_cache.clear()
        for uri in list(self.workspace.text_documents):
            self.publish(uri)


server = CachelintServer()


def _is_config(uri: str) -> bool:
    return uri.endswith("/pyproject.toml")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: CachelintServer, params: types.DidOpenTextDocumentParams) -> None:
    if not _is_config(params.text_document.uri):
        ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: CachelintServer, params: types.DidChangeTextDocumentParams) -> None:
    if not _is_config(params.text_document.uri):
        ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: CachelintServer, params: types.DidSaveTextDocumentParams) -> None:
    if _is_config(params.text_document.uri):
        ls.publish_all()
    else:
        ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: CachelintServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: CachelintServer, params: types.DidChangeWatchedFilesParams) -> None:
    if any(_is_config(change.uri) for change in params.changes):
        ls.publish_all()


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
)
def code_action(ls: CachelintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    document = ls.workspace.get_text_document(params.text_document.uri)
    try:
        settings = ls.settings_cache.for_path(document_path(document))
        return code_actions(document, settings, params.context) or None
    except ConfigProblem:
        return None  # the configuration diagnostic already says why
    except Exception as error:  # noqa: BLE001 - a failed code action must not stop the server
        ls.log(f"internal error planning fixes for {document.uri}: {type(error).__name__}: {error}")
        return None


def serve() -> None:
    """Run over standard input/output until the client says ``exit``."""
    server.start_io()
