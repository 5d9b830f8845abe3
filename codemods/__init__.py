"""The codemod's documented entry point in a checkout: ``python -m codemods.fix_cache_calls PATH...``.

The code lives in :mod:`cachelint.codemod`.  This folder is not installed
with cachelint (a project may have a ``codemods`` package of its own);
installed, the same command is ``cachelint fix`` or ``python -m cachelint.codemod``.
"""
