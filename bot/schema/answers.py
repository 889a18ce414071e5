"""The answer objects every command returns, whatever transport shows them.

Handlers build these; renderers turn them into text, a Discord embed or HTML. Scripts read them
through `python -m bot ask --json`, so the base fields below are a stable interface.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from bot.schema.common import Frozen, Source

Confidence = Annotated[float, Field(ge=0.0, le=1.0)]


class Suggestion(Frozen):
    """An entry the bot thinks the user may have meant ("did you mean")."""

    entry_id: str
    title: str
    kind: str
    score: Confidence


class Section(Frozen):
    """A titled part of a longer answer that a reader can open."""

    heading: str
    body: str


class Answer(Frozen):
    """What every command returns. `answered` is False when the bot did not know."""

    kind: str
    """The command that produced it (`define`, `fix`, `ask`, `willitrun`, ...)."""
    answered: bool
    query: str = ""
    entry_id: str | None = None
    confidence: Confidence = 0.0
    title: str
    summary: str
    sources: list[Source] = []
    suggestions: list[Suggestion] = []
    missed_option: str | None = None
    """For a miss: which option could not be resolved (e.g. `hardware`)."""
    error: bool = False
    """True when the input was unusable; transports show these privately (ephemeral)."""


class EntryAnswer(Answer):
    """An answer that is one written entry: a glossary term, an error fix or a quick answer."""

    entry_kind: Literal["glossary", "error", "quick", "model", "hardware", "tool"] | None = None
    sections: list[Section] = []
    related: list[Suggestion] = []
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None
