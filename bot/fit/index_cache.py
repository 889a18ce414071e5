"""Indexes built once per catalog snapshot and found again by the entries' identity."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Entry = TypeVar("Entry")
Index = TypeVar("Index")


class IdentityCache(Generic[Entry, Index]):
    """`build(entries)`, remembered for the same entry objects. Snapshots are immutable, so
    identity is enough; the cache holds the entries so their ids cannot be reused while cached,
    and it forgets everything past `size` snapshots (reloads)."""

    def __init__(self, build: Callable[[Sequence[Entry]], Index], size: int = 8) -> None:
        self._build = build
        self._size = size
        self._hits: dict[tuple[int, ...], tuple[tuple[Entry, ...], Index]] = {}

    def get(self, entries: Sequence[Entry]) -> Index:
        key = tuple(map(id, entries))
        hit = self._hits.get(key)
        if hit is None:
            if len(self._hits) >= self._size:
                self._hits.clear()
            hit = self._hits[key] = (tuple(entries), self._build(entries))
        return hit[1]
