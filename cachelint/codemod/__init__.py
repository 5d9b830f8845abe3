"""The codemod: rewrites what cachelint's engine finds, with LibCST, where the fix is certain.

``cachelint fix PATH...`` (or ``python -m cachelint.codemod PATH...``; from a
checkout also ``python -m codemods.fix_cache_calls PATH...``) moves awaited
synchronous cache calls to the typed async API of :mod:`cachelint.runtime`
and applies the catalog's other certain fixes.  It lives inside the
``cachelint`` package so an installed cachelint never claims, or is shadowed
by, a project's own top-level ``codemods`` package.  LibCST (the
``[codemod]`` extra) is imported only where a file is rewritten.
"""
