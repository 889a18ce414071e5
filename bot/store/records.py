"""The rows editors read back from the store, as frozen pydantic models."""

from __future__ import annotations

from typing import Literal

from bot.schema.common import Frozen

Status = Literal["open", "resolved", "ignored"]
STATUSES: tuple[Status, ...] = ("open", "resolved", "ignored")


class Question(Frozen):
    """One question people asked that the bot missed, however many times it was asked.

    Repeats are one row: `count` goes up, `examples` keeps the first few distinct spellings.
    Times are UTC, written `YYYY-MM-DD HH:MM:SS` so that they sort as text.
    """

    id: int
    command: str
    option: str
    normalised: str
    query: str
    examples: list[str]
    count: int
    askers: int = 0
    """Distinct people (by salted hash) who asked it; 0 when no user id came with the asks."""
    reason: str
    last_entry_id: str | None = None
    last_confidence: float = 0.0
    first_seen: str
    last_seen: str
    last_guild_id: int | None = None
    last_channel_id: int | None = None
    status: Status = "open"
    resolved_entry_id: str | None = None
    resolved_at: str | None = None


class Feedback(Frozen):
    """One "Not helpful" click, "Helpful" click or "Report a mistake" text on an answer."""

    id: int
    command: str
    option: str
    query: str
    normalised: str
    reason: str
    entry_id: str | None = None
    confidence: float = 0.0
    detail: str = ""
    guild_id: int | None = None
    channel_id: int | None = None
    user_hash: str | None = None
    at: str


class PurgeReport(Frozen):
    """How many rows a purge removed, by table."""

    cutoff: str
    questions: int
    askers: int
    feedback: int
    examples_cleared: int
