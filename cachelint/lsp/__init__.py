"""``cachelint server``: the language server editors talk to (needs the ``[lsp]`` extra: pygls).

:mod:`cachelint.lsp.documents` turns one document's text into LSP diagnostics
and code actions (the engine, ``noqa`` and the configuration of the file's
``pyproject.toml``, as ``cachelint check`` would see the file); the
codemod's planning (:mod:`cachelint.codemod.text`) supplies the quick fixes.
:mod:`cachelint.lsp.server` is the pygls wiring: which notifications trigger
what.
"""
