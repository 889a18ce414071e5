"""Pure data types: the content files, the catalog and the answers every command returns.

Nothing here does I/O. Every model is frozen so a loaded snapshot can be shared safely.
"""
