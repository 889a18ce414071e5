"""The store behind the dispatcher's async `MissLog` protocol, off the event loop.

One dedicated worker thread does every call, so writes from one bot process never contend with
each other and the event loop only awaits a future.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from bot.schema.misses import Miss
from bot.store.misses import MissStore

log = logging.getLogger(__name__)

T = TypeVar("T")


PURGE_EVERY_S = 24 * 3600.0
RESOLUTIONS_FRESH_S = 5.0
"""Editors' links are read in one query and kept this long: every command looks them up, and a
trip to the database thread per command would cost more than the answer itself. A link an
editor makes reaches a running bot within this many seconds."""


class SqliteMissLog:
    """Implements `MissLog`: `record` logs a miss, `resolution` returns an editor's link.

    With `retention_days`, old rows are purged on the first write and then once a day, so a
    long-running bot keeps to the retention setting without a cron job.
    """

    def __init__(self, store: MissStore | Path, retention_days: int | None = None) -> None:
        self.store = store if isinstance(store, MissStore) else MissStore(store)
        self.retention_days = retention_days
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="miss-store")
        self._last_purge: float | None = None
        self._resolutions: dict[tuple[str, str, str], str] = {}
        self._resolutions_read_at: float | None = None

    async def call(self, function: Callable[..., T], *args: object) -> T:
        """Run `function(*args)` on the store's worker thread and await its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, function, *args)

    async def record(self, miss: Miss) -> None:
        """Log a miss. Errors (a full disk) propagate; the dispatcher logs them and answers."""
        await self.call(self.store.record, miss)
        if self.retention_days and self._purge_due():
            self._last_purge = time.monotonic()
            report = await self.call(self.store.purge, self.retention_days)
            log.info("purged rows last seen before %s: %s", report.cutoff, report)

    def _purge_due(self) -> bool:
        return self._last_purge is None or time.monotonic() - self._last_purge > PURGE_EVERY_S

    async def resolution(self, command: str, option: str, normalised: str) -> str | None:
        """The entry an editor linked, or None. A store that cannot be read costs no answer."""
        now = time.monotonic()
        stale = self._resolutions_read_at is None or now - self._resolutions_read_at > (
            RESOLUTIONS_FRESH_S
        )
        if stale:
            self._resolutions_read_at = now
            try:
                self._resolutions = await self.call(self.store.resolutions)
            except (sqlite3.Error, OSError, UnicodeError):
                log.exception("could not read resolutions from %s", self.store.path)
        return self._resolutions.get((command, option, normalised))

    def forget_resolutions(self) -> None:
        """Read the editors' links afresh at the next lookup (after an editor made one here)."""
        self._resolutions_read_at = None

    def close(self) -> None:
        """Finish pending writes, then close the connections."""
        self._executor.shutdown(wait=True)
        self.store.close()
