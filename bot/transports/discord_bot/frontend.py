"""What the bot does with each interaction: run the command, answer, record feedback.

The Frontend is the Discord transport's one stateful object (the dispatcher and the cooldown).
It turns an interaction into an `Invocation`, awaits the dispatcher, renders the answer and
replies through `Reply`; it computes nothing itself. Every public method catches its own
failures: the user gets one short sentence, the log gets the traceback.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

import discord

from bot.handlers.dispatch import FEEDBACK_THANKS, Dispatcher, Invocation
from bot.handlers.spec import Command, IndexName
from bot.render.embed import has_more, render_embed, render_pages
from bot.schema.answers import Answer
from bot.schema.misses import MissReason
from bot.transports.discord_bot import autocomplete
from bot.transports.discord_bot.cooldown import Cooldown, cooldown_message
from bot.transports.discord_bot.replies import Reply
from bot.transports.discord_bot.views import answer_view

log = logging.getLogger(__name__)

DEFER_AFTER_S = 1.5
"""Answer directly if the dispatcher is this quick; otherwise show "thinking…" first."""
ALWAYS_DEFER = frozenset({"willitrun"})
"""Command kinds that may compute for a while (the fit engine): defer before starting."""
APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again later."


def _is_private(answer: Answer) -> bool:
    """Errors and "not found" are shown only to the asker; answers to the channel."""
    return answer.error or not answer.answered


class Frontend:
    """Glue between discord.py objects and the transport-free dispatcher."""

    def __init__(self, dispatcher: Dispatcher, cooldown: Cooldown) -> None:
        self.dispatcher = dispatcher
        self.cooldown = cooldown

    async def _allowed(self, interaction: discord.Interaction[Any], reply: Reply) -> bool:
        wait = self.cooldown.retry_after(interaction.user.id)
        if wait > 0:
            await reply.notice(cooldown_message(wait))
            return False
        return True

    async def run_command(
        self, interaction: discord.Interaction[Any], spec: Command, options: Mapping[str, Any]
    ) -> None:
        """Answer one slash command, deferring first when it might be slow."""
        reply = Reply(interaction)
        if not await self._allowed(interaction, reply):
            return
        invocation = Invocation(
            command=spec.name,
            options={k: v for k, v in options.items() if isinstance(v, str | int)},
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
            user_id=interaction.user.id,
        )
        started = time.perf_counter()
        task = asyncio.ensure_future(self.dispatcher.run(invocation))
        try:
            if spec.kind in ALWAYS_DEFER:
                await reply.defer()
            else:
                try:
                    await asyncio.wait_for(asyncio.shield(task), DEFER_AFTER_S)
                except TimeoutError:
                    await reply.defer()
            answer = await task
        except Exception:
            # The dispatcher never raises for user input, so this is a bug: log it, and answer
            # through the same Reply so a public "thinking…" is replaced, not left hanging.
            log.exception("/%s failed with options %r", spec.name, invocation.options)
            await reply.notice(APOLOGY)
            return
        await self.send_answer(reply, answer)
        log.info(
            "/%s in guild %s: answered=%s entry=%s confidence=%.2f deferred=%s %.0f ms",
            spec.name,
            interaction.guild_id,
            answer.answered,
            answer.entry_id,
            answer.confidence,
            reply.deferred_ephemeral is not None,
            (time.perf_counter() - started) * 1000,
        )

    async def send_answer(self, reply: Reply, answer: Answer, *, full: bool = False) -> None:
        """Render `answer` compact (with buttons) or full, and send it."""
        private = _is_private(answer)
        view = None
        if not private:
            view = answer_view(answer.kind, answer.entry_id, more=has_more(answer) and not full)
        await reply.send(render_embed(answer, full=full), ephemeral=private or full, view=view)

    def complete(self, index: IndexName, typed: str) -> list[discord.app_commands.Choice[str]]:
        """Autocomplete choices from the current snapshot (in memory, fast)."""
        started = time.perf_counter()
        pairs = autocomplete.choices(self.dispatcher.content.snapshot, index, typed)
        elapsed_ms = (time.perf_counter() - started) * 1000
        if elapsed_ms > 500:
            log.warning("autocomplete on %s took %.0f ms for %r", index, elapsed_ms, typed[:50])
        return [discord.app_commands.Choice(name=name, value=value) for name, value in pairs]

    async def show_more(
        self, interaction: discord.Interaction[Any], kind: str, entry_id: str
    ) -> None:
        """The full entry, privately, for whoever pressed "Show more"."""
        reply = Reply(interaction)
        try:
            if not await self._allowed(interaction, reply):
                return
            answer = await self.dispatcher.answer_for_entry(kind, entry_id)
            if answer is None:
                await reply.notice("That entry is no longer available.")
                return
            pages = render_pages(answer)
            view = answer_view(answer.kind, answer.entry_id, more=False)
            for number, page in enumerate(pages, start=1):
                last = number == len(pages)
                await reply.send(page, ephemeral=True, view=view if last else None)
        except Exception as error:
            await self.on_component_error(interaction, error)

    async def _feedback(
        self,
        interaction: discord.Interaction[Any],
        kind: str,
        entry_id: str,
        reason: MissReason,
        detail: str = "",
    ) -> None:
        reply = Reply(interaction)
        try:
            if not await self._allowed(interaction, reply):
                return
            await self.dispatcher.feedback(
                kind,
                entry_id,
                reason,
                detail=detail,
                guild_id=interaction.guild_id,
                channel_id=interaction.channel_id,
                user_id=interaction.user.id,
            )
            await reply.notice(FEEDBACK_THANKS[reason])
        except Exception as error:
            await self.on_component_error(interaction, error)

    async def vote(
        self, interaction: discord.Interaction[Any], kind: str, entry_id: str, reason: MissReason
    ) -> None:
        """Record "Helpful" / "Not helpful" for an entry."""
        await self._feedback(interaction, kind, entry_id, reason)

    async def report(
        self, interaction: discord.Interaction[Any], kind: str, entry_id: str, text: str
    ) -> None:
        """Record what a user says is wrong with an entry."""
        await self._feedback(interaction, kind, entry_id, "report", text)

    async def on_component_error(
        self, interaction: discord.Interaction[Any], error: Exception
    ) -> None:
        """Log a button or form failure and tell the user one sentence."""
        log.error("a button or form failed", exc_info=error)
        try:
            await Reply(interaction).notice(APOLOGY)
        except discord.HTTPException:
            log.warning("could not tell the user about the failure", exc_info=True)
