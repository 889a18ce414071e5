"""The one way the bot answers an interaction: embeds only, never a ping, errors private.

Every reply goes through `Reply.send`, which
- puts only an embed already cut to Discord's limits (see `bot.render.embed`) in the message,
- sets `allowed_mentions` to none, whatever the text holds (the client sets it too),
- makes errors and "not found" ephemeral, and
- picks the right call for the interaction's state: the first response, the edit of a deferred
  "thinking…" message, or a follow-up.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.render.embed import Embed, fit_embed, notice_embed

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()


class Reply:
    """Answers one interaction; remembers whether and how it was deferred."""

    def __init__(self, interaction: discord.Interaction[Any]) -> None:
        self.interaction = interaction
        self.deferred_ephemeral: bool | None = None

    async def defer(self, *, ephemeral: bool = False) -> None:
        """Show "thinking…" so a slow answer does not miss Discord's 3-second deadline."""
        if not self.interaction.response.is_done():
            await self.interaction.response.defer(ephemeral=ephemeral, thinking=True)
            self.deferred_ephemeral = ephemeral

    async def send(
        self,
        embed: Embed,
        *,
        ephemeral: bool,
        view: discord.ui.View | None = None,
    ) -> None:
        """Send `embed`; the single exit point every reply takes."""
        rich = discord.Embed.from_dict(fit_embed(embed))
        response = self.interaction.response
        extra: dict[str, Any] = {"view": view} if view is not None else {}
        if not response.is_done():
            await response.send_message(
                embed=rich, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **extra
            )
            return
        if self.deferred_ephemeral is not None and self.deferred_ephemeral == ephemeral:
            await self.interaction.edit_original_response(
                embed=rich, allowed_mentions=NO_MENTIONS, **extra
            )
            return
        if self.deferred_ephemeral is False and ephemeral:
            # A public "thinking…" cannot turn private; remove it so an error is not shown to all.
            try:
                await self.interaction.delete_original_response()
            except discord.HTTPException:
                log.warning("could not delete the deferred response", exc_info=True)
        await self.interaction.followup.send(
            embed=rich, ephemeral=ephemeral, allowed_mentions=NO_MENTIONS, **extra
        )

    async def notice(self, text: str, *, title: str = "") -> None:
        """A short private sentence: a cooldown, a thank-you or an apology."""
        await self.send(notice_embed(text, title=title), ephemeral=True)
