"""The live content: one snapshot at a time, swapped whole on reload."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from bot.content.loader import load_content
from bot.content.problems import ContentError
from bot.content.snapshot import Snapshot

log = logging.getLogger(__name__)


class ContentHolder:
    """Holds the current Snapshot. A failed reload keeps the last good one live."""

    def __init__(self, root: Path, loader: Callable[[Path], Snapshot] = load_content) -> None:
        self.root = root
        self._loader = loader
        self._lock = threading.Lock()
        self._snapshot = loader(root)

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def reload(self) -> Snapshot:
        """Load again from disk; on any problem raise ContentError and keep serving the old one."""
        with self._lock:
            try:
                fresh = self._loader(self.root)
            except ContentError:
                log.exception("reload failed; the previous content stays live")
                raise
            self._snapshot = fresh
            log.info("content reloaded: %s", fresh.counts())
            return fresh
