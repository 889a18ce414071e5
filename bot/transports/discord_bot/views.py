"""Buttons under an answer and the "Report a mistake" form.

The buttons are `DynamicItem`s: their `custom_id` carries the command and the entry
(`rl:fb:h:define:kv-cache`), so a click works on messages sent before a restart, with no
state kept anywhere. Clicks are handed to the Frontend, which records them for editors.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.render.components import (
    ENTRY_PATTERN,
    KIND_PATTERN,
    REPORT_FIELD,
    REPORT_LABEL,
    REPORT_MAX,
    REPORT_PLACEHOLDER,
    VOTES,
    custom_id,
)
from bot.render.limits import BUTTON_LABEL, TEXT_INPUT_VALUE

if TYPE_CHECKING:
    from bot.transports.discord_bot.frontend import Frontend

log = logging.getLogger(__name__)

_KIND = KIND_PATTERN
_ENTRY = ENTRY_PATTERN


def frontend_of(interaction: discord.Interaction[Any]) -> Frontend:
    """The Frontend the client carries (set by `RunLocalClient`)."""
    return interaction.client.frontend  # type: ignore[attr-defined,no-any-return]


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"rl:fb:(?P<vote>[hn]):{_KIND}:{_ENTRY}",
):
    """ "Helpful" / "Not helpful"."""

    def __init__(self, vote: str, kind: str, entry_id: str) -> None:
        helpful = vote == "h"
        super().__init__(
            discord.ui.Button(
                label="Helpful" if helpful else "Not helpful",
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id("fb", vote, kind, entry_id),
            )
        )
        self.vote, self.kind, self.entry_id = vote, kind, entry_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> VoteButton:
        return cls(match["vote"], match["kind"], match["entry"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await frontend_of(interaction).vote(interaction, self.kind, self.entry_id, VOTES[self.vote])


class ReportButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"rl:report:{_KIND}:{_ENTRY}"
):
    """ "Report a mistake": opens a form."""

    def __init__(self, kind: str, entry_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Report a mistake",
                emoji="⚠️",
                style=discord.ButtonStyle.secondary,
                custom_id=custom_id("report", kind, entry_id),
            )
        )
        self.kind, self.entry_id = kind, entry_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ReportButton:
        return cls(match["kind"], match["entry"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.send_modal(ReportModal(self.kind, self.entry_id))


class MoreButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"rl:more:{_KIND}:{_ENTRY}"
):
    """ "Show more": the full entry, privately to whoever clicked."""

    def __init__(self, kind: str, entry_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Show more",
                style=discord.ButtonStyle.primary,
                custom_id=custom_id("more", kind, entry_id),
            )
        )
        self.kind, self.entry_id = kind, entry_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> MoreButton:
        return cls(match["kind"], match["entry"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await frontend_of(interaction).show_more(interaction, self.kind, self.entry_id)


class ReportModal(discord.ui.Modal):
    """A form with one text box; what is typed goes to the editors' log."""

    what = discord.ui.TextInput(
        label=REPORT_LABEL[:BUTTON_LABEL],
        custom_id=REPORT_FIELD,
        style=discord.TextStyle.paragraph,
        placeholder=REPORT_PLACEHOLDER,
        max_length=min(REPORT_MAX, TEXT_INPUT_VALUE),
        required=True,
    )

    def __init__(self, kind: str, entry_id: str) -> None:
        super().__init__(title="Report a mistake", custom_id=custom_id("form", kind, entry_id))
        self.kind, self.entry_id = kind, entry_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await frontend_of(interaction).report(
            interaction, self.kind, self.entry_id, self.what.value
        )

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:
        await frontend_of(interaction).on_component_error(interaction, error)


DYNAMIC_ITEMS = (VoteButton, ReportButton, MoreButton)


def answer_view(kind: str, entry_id: str | None, *, more: bool) -> discord.ui.View | None:
    """Buttons for an answer that is an entry; None for misses and errors (nothing to rate)."""
    if not entry_id or not re.fullmatch(_ENTRY, entry_id) or not re.fullmatch(_KIND, kind):
        return None
    view = discord.ui.View(timeout=None)
    if more:
        view.add_item(MoreButton(kind, entry_id))
    view.add_item(VoteButton("h", kind, entry_id))
    view.add_item(VoteButton("n", kind, entry_id))
    view.add_item(ReportButton(kind, entry_id))
    return view
