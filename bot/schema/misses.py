"""What the bot records when it could not answer well, for the editors' review."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from bot.schema.common import Frozen

MissReason = Literal["unanswered", "low_confidence", "not_helpful", "report", "helpful"]


class Miss(Frozen):
    """One question the bot missed (or feedback on an answer), without the raw user id."""

    command: str
    option: str
    query: str
    normalised: str
    reason: MissReason
    answered_entry_id: str | None = None
    confidence: float = 0.0
    detail: str = ""
    guild_id: int | None = None
    channel_id: int | None = None
    user_hash: str | None = None
    at: dt.datetime
