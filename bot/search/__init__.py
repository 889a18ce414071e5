"""Content search: normalising what people type and resolving it to entries (pure, no I/O)."""
