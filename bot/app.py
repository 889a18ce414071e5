"""The composition root: build the live content and the dispatcher every transport shares."""

from __future__ import annotations

from bot.content.holder import ContentHolder
from bot.handlers.dispatch import Dispatcher, MissLog
from bot.settings import Settings
from bot.store import SqliteMissLog


def build_dispatcher(settings: Settings, misses: MissLog | None = None) -> Dispatcher:
    """Load the content once and wire it to the miss log (by default the SQLite store).

    The store opens lazily, so a data folder that cannot be written costs log rows (each
    failure is logged) but never an answer.
    """
    if misses is None:
        misses = SqliteMissLog(settings.database_path, settings.retention_days)
    return Dispatcher(ContentHolder(settings.content_dir), misses, salt=settings.user_hash_salt)
