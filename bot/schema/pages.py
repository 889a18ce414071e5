"""Longer reference pages (methodology, how-tos) that answers link to."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bot.schema.common import EntryId, NonEmpty, Reviewed


class Page(Reviewed):
    """A Markdown page in `answers/pages/`, shown by `/about` and linked from verdicts."""

    kind: Literal["page"] = "page"
    id: EntryId
    title: Annotated[str, Field(min_length=3, max_length=120)]
    summary: Annotated[str, Field(min_length=20, max_length=700)]
    body: NonEmpty
