"""LibCST codemods that rewrite what cachelint's engine finds.

``python -m codemods.fix_cache_calls PATH...`` moves awaited synchronous cache
calls to the typed async API of :mod:`cachelint.runtime`.
"""
