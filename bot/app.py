"""The composition root: build the live content and the dispatcher every transport shares."""

from __future__ import annotations

from bot.content.holder import ContentHolder
from bot.handlers.dispatch import Dispatcher, MissLog
from bot.settings import Settings


def build_dispatcher(settings: Settings, misses: MissLog | None = None) -> Dispatcher:
    """Load the content once and wire it to the miss log."""
    return Dispatcher(ContentHolder(settings.content_dir), misses, salt=settings.user_hash_salt)
