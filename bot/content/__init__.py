"""Loading `answers/` and `catalog/` into one validated, immutable snapshot."""
