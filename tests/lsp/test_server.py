"""``cachelint server`` end to end: a real LSP client (pytest-lsp) talks to the real server subprocess over stdio.

The server runs as ``python -m cachelint server`` in a temporary project
(``pyproject.toml``, a sync cache class in ``services/cache.py``), so the
project index, the configuration and ``noqa`` are the real ones.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

pytestmark = pytest.mark.asyncio

CACHE = """\
from typing import Any


class CacheManager:
    def get(self, cache_type: str, content_key: str) -> Any:
        return None

    def set(self, cache_type: str, content_key: str, value: Any) -> None:
        pass
"""

#: CLT101 (and CLT103) at 11:12, a certain fix (the model is the return type).
APP = """\
from pydantic import BaseModel

from services.cache import CacheManager


class Pattern(BaseModel):
    kind: str


async def load(cache: CacheManager) -> list[Pattern] | None:
    return await cache.get("patterns", "key")
"""

#: The same awaited sync call on a receiver whose class is an async cache: correct code.
ASYNC_OK = """\
class AsyncCache:
    async def get(self, cache_type: str, content_key: str) -> object:
        return None


async def load(cache: AsyncCache) -> object:
    return await cache.get("patterns", "key")
"""

#: CLT104 (opt-in, enabled in the project's config): its fix is unsafe.
BLOCKING = """\
from pydantic import BaseModel

from services.cache import CacheManager


class Pattern(BaseModel):
    kind: str


async def load(cache: CacheManager) -> Pattern | None:
    return cache.get("patterns", "key")
"""


@pytest.fixture
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp-project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n\n[tool.cachelint]\n", encoding="utf-8")
    (root / "services").mkdir()
    (root / "services" / "__init__.py").write_text("", encoding="utf-8")
    (root / "services" / "cache.py").write_text(CACHE, encoding="utf-8")
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "cachelint", "server"]))
async def client(lsp_client: LanguageClient, project: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
            root_uri=project.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="demo")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _diagnostics(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=60)
    return list(client.diagnostics[uri])


async def _open(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    path.write_text(text, encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="python", version=1, text=text)
        )
    )
    return await _diagnostics(client, path.as_uri())


async def _change(client: LanguageClient, path: Path, text: str, version: int) -> list[types.Diagnostic]:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return await _diagnostics(client, path.as_uri())


def _apply(text: str, edit: types.WorkspaceEdit, uri: str) -> str:
    """Apply a WorkspaceEdit's single TextEdit to ``text`` (ASCII test texts: UTF-16 units are characters)."""
    assert edit.changes is not None
    (only,) = edit.changes[uri]
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        return sum(len(line) for line in lines[: position.line]) + position.character

    return text[: offset(only.range.start)] + only.new_text + text[offset(only.range.end) :]


async def test_diagnostics_on_open_have_codes_and_rule_links(client: LanguageClient, project: Path) -> None:
    found = await _open(client, project / "app.py", APP)
    assert sorted((d.code, d.range.start.line, d.range.start.character) for d in found) == [
        ("CLT101", 10, 11),
        ("CLT103", 10, 11),
    ]
    clt101 = next(d for d in found if d.code == "CLT101")
    assert clt101.source == "cachelint"
    assert clt101.severity == types.DiagnosticSeverity.Error
    assert clt101.code_description is not None
    assert clt101.code_description.href.endswith("docs/rules.md#clt101")
    assert "CacheManager.get()" in clt101.message


async def test_async_cache_is_not_reported(client: LanguageClient, project: Path) -> None:
    assert await _open(client, project / "ok.py", ASYNC_OK) == []


async def test_change_and_noqa_update_the_diagnostics(client: LanguageClient, project: Path) -> None:
    path = project / "app.py"
    assert len(await _open(client, path, APP)) == 2
    # An unsaved edit is what is checked, not the file on disk.
    silenced = APP.replace('"key")\n', '"key")  # noqa: CLT101, CLT103\n')
    assert await _change(client, path, silenced, 2) == []
    assert len(await _change(client, path, APP, 3)) == 2
    saved = types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=path.as_uri()))
    client.text_document_did_save(saved)
    assert len(await _diagnostics(client, path.as_uri())) == 2


async def test_quick_fix_rewrites_the_site(client: LanguageClient, project: Path) -> None:
    path = project / "app.py"
    found = await _open(client, path, APP)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=found[0].range,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    assert result is not None
    actions = [a for a in result if isinstance(a, types.CodeAction)]
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert len(quick) == 1 and quick[0].is_preferred
    assert "[unsafe]" not in quick[0].title
    assert quick[0].edit is not None
    fixed = _apply(APP, quick[0].edit, path.as_uri())
    assert 'await as_async(cache).get_list(CacheKey("patterns", "key"), Pattern)' in fixed
    assert "from cachelint.runtime import CacheKey, as_async" in fixed
    # Applying the fix leaves nothing to report.
    assert await _change(client, path, fixed, 2) == []


async def test_fix_all_source_action(client: LanguageClient, project: Path) -> None:
    path = project / "app.py"
    await _open(client, path, APP)
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert result is not None
    (action,) = result
    assert isinstance(action, types.CodeAction) and action.kind == "source.fixAll.cachelint"
    assert action.edit is not None
    assert "get_list" in _apply(APP, action.edit, path.as_uri())


async def test_unsafe_fix_is_marked_and_config_is_honoured(client: LanguageClient, project: Path) -> None:
    path = project / "blocking.py"
    # CLT104 is off by default: it is not reported until the project opts in (CLT103 is on).
    assert [d.code for d in await _open(client, path, BLOCKING)] == ["CLT103"]
    (project / "pyproject.toml").write_text(
        "[project]\nname = 'demo'\n\n[tool.cachelint]\nextend-select = ['CLT104']\n", encoding="utf-8"
    )
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=(project / "pyproject.toml").as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    found = await _diagnostics(client, path.as_uri())
    assert [d.code for d in found if d.code == "CLT104"] == ["CLT104"]
    clt104 = next(d for d in found if d.code == "CLT104")
    assert clt104.severity == types.DiagnosticSeverity.Warning
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=clt104.range,
            context=types.CodeActionContext(diagnostics=[clt104]),
        )
    )
    assert result is not None
    (action,) = [a for a in result if isinstance(a, types.CodeAction) and a.kind == types.CodeActionKind.QuickFix]
    assert action.title.endswith("[unsafe]") and not action.is_preferred
    assert action.edit is not None
    assert "await as_async(cache).get_model(" in _apply(BLOCKING, action.edit, path.as_uri())


async def test_broken_config_is_one_diagnostic(client: LanguageClient, project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.cachelint]\nselect = 'nonsense\n", encoding="utf-8")
    found = await _open(client, project / "app.py", APP)
    assert len(found) == 1
    assert found[0].message.startswith("cachelint configuration error:")
    assert "invalid TOML" in found[0].message
