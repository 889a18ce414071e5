"""The editors' slash commands: `/unanswered`, `/resolve` and `/reload`.

They read and change the editors' log and reload this process's content, so they are transport
commands outside the public registry: `EditorDesk` does the work (through the same store, checks
and reload as `python -m bot editor`), and `editor_commands` builds the slash commands. Each is
server-only with `default_member_permissions` set to Manage Server in the payload, and each use is
checked again at run time (`editor_access.may_edit`): the configured editor role or Manage Server.
Every reply is ephemeral and goes through `Reply`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from bot.content.holder import ContentHolder
from bot.handlers.commands import commands
from bot.reload import try_reload
from bot.render.embed import COLOUR_ANSWER, escape_markdown, fit_embed
from bot.render.limits import CHOICES, defuse_mentions
from bot.render.questions import LIST_LIMIT, questions_embed, user_text
from bot.store import SqliteMissLog, UnknownQuestionError
from bot.store.records import STATUSES
from bot.store.review import resolution_problem
from bot.transports.discord_bot.autocomplete import entry_choices
from bot.transports.discord_bot.editor_access import NOT_HERE, REFUSAL, may_edit
from bot.transports.discord_bot.frontend import APOLOGY
from bot.transports.discord_bot.replies import Reply

log = logging.getLogger(__name__)

NOT_SET_UP = "The editors' tools are not set up in this process."
STATUS_CHOICES = (*STATUSES, "all")

Action = Callable[..., Awaitable[None]]


def _role_ids(user: discord.User | discord.Member) -> set[int]:
    """The role ids Discord sent with the interaction; none for a user outside a server.

    `Member.roles` keeps only roles found in the cached server, so a server not cached yet
    would hide the editor role; discord.py keeps the ids as sent in `_roles` (the version is
    pinned). Like the ids Discord sends, they never include @everyone.
    """
    sent = getattr(user, "_roles", None)
    if sent is None:
        return {role.id for role in getattr(user, "roles", [])}
    return set(sent)


class EditorDesk:
    """What the editors' commands do, against the store and the live content of this process."""

    def __init__(
        self, misses: SqliteMissLog, content: ContentHolder, editor_role_id: int | None = None
    ) -> None:
        self.misses = misses
        self.content = content
        self.editor_role_id = editor_role_id

    def is_editor(self, interaction: discord.Interaction[Any]) -> bool:
        """The editor role or Manage Server, in a server (see `editor_access.may_edit`)."""
        return may_edit(
            in_guild=interaction.guild_id is not None,
            permissions=interaction.permissions.value,
            role_ids=_role_ids(interaction.user),
            editor_role_id=self.editor_role_id,
        )

    async def serve(
        self, interaction: discord.Interaction[Any], action: Action, *args: Any
    ) -> None:
        """Run one editors' command: refuse a non-editor in one private sentence; otherwise show
        a private "thinking…", run `action` and answer privately. Never raises."""
        reply = Reply(interaction)
        name = interaction.command.name if interaction.command else "?"
        if not self.is_editor(interaction):
            text = REFUSAL if interaction.guild_id is not None else NOT_HERE
            log.info("/%s refused to user %s (not an editor)", name, interaction.user.id)
            await reply.notice(text, title="Editors only")
            return
        try:
            await reply.defer(ephemeral=True)
            await action(reply, *args)
        except Exception:
            log.exception("/%s failed with %r", name, args)
            await reply.notice(APOLOGY)

    async def unanswered(self, reply: Reply, command: str | None, status: str) -> None:
        """The most asked questions, filtered by command and status (default: open)."""
        wanted = status if status in STATUSES else None
        store = self.misses.store
        found = await self.misses.call(store.questions, command, wanted, None, LIST_LIMIT + 1)
        embed = questions_embed(
            found[:LIST_LIMIT], status=wanted, command=command, more=len(found) > LIST_LIMIT
        )
        await reply.send(embed, ephemeral=True)

    async def resolve(self, reply: Reply, question_id: int, entry_id: str) -> None:
        """Link a question to an entry after the same check as `python -m bot editor resolve`:
        the entry must exist and the bot must then answer the question with it."""
        entry_id = entry_id.strip()
        store = self.misses.store
        try:
            question = await self.misses.call(store.question, question_id)
        except UnknownQuestionError:
            text = f"No question has id {question_id}; `/unanswered` lists them."
            await reply.notice(text, title="Not resolved")
            return
        problem = await resolution_problem(self.content.snapshot, question, entry_id)
        if problem:
            text = f"#{question.id} was not linked: {escape_markdown(defuse_mentions(problem))}."
            await reply.notice(text, title="Not resolved")
            return
        await self.misses.call(store.resolve, question.id, entry_id)
        self.misses.forget_resolutions()
        editor = reply.interaction.user.id
        log.info("/resolve by user %s: #%s -> %s", editor, question.id, entry_id)
        text = (
            f"#{question.id} ({user_text(question.query)}) now leads to `{entry_id}`. "
            f"The bot answers it from the next `/{question.command}`."
        )
        await reply.send(_done("Resolved", text), ephemeral=True)

    async def reload(self, reply: Reply) -> None:
        """Load the content again in this process; a broken file keeps the last good content."""
        outcome = await asyncio.to_thread(try_reload, self.content)
        log.info("/reload by user %s: %s", reply.interaction.user.id, outcome.message)
        text = outcome.brief(self.content.root)
        if not outcome.ok:
            await reply.notice(text, title="Content not reloaded")
            return
        text += (
            "\nThis bot process only: other running bots and the review page reload with "
            "`python -m bot editor reload`."
        )
        await reply.send(_done("Content reloaded", text), ephemeral=True)

    def complete_entry(
        self, interaction: discord.Interaction[Any], typed: str
    ) -> list[app_commands.Choice[str]]:
        """Entry ids for `/resolve` (none for a non-editor), from the in-memory indexes."""
        if not self.is_editor(interaction):
            return []
        pairs = entry_choices(self.content.snapshot, typed)
        return [app_commands.Choice(name=name, value=value) for name, value in pairs]


def _done(title: str, text: str) -> dict[str, Any]:
    return fit_embed({"title": title, "description": text, "color": COLOUR_ANSWER})


def desk_of(interaction: discord.Interaction[Any]) -> EditorDesk | None:
    """The EditorDesk the client carries; None where the process has no store."""
    return getattr(interaction.client, "editors", None)


async def _serve(interaction: discord.Interaction[Any], action: str, *args: Any) -> None:
    desk = desk_of(interaction)
    if desk is None:
        await Reply(interaction).notice(NOT_SET_UP)
        return
    await desk.serve(interaction, getattr(desk, action), *args)


def _command_choices() -> list[app_commands.Choice[str]]:
    kinds = sorted({spec.kind for spec in commands().values()})
    return [app_commands.Choice(name=f"/{kind}", value=kind) for kind in kinds][:CHOICES]


def editor_commands() -> list[app_commands.Command[Any, ..., None]]:
    """The three commands, built afresh for each tree."""

    @app_commands.command(
        name="unanswered", description="Editors: the most asked questions the bot could not answer"
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.describe(
        command="Only questions asked with this command",
        status="Which questions: open (default), resolved, ignored or all",
    )
    @app_commands.choices(
        command=_command_choices(),
        status=[app_commands.Choice(name=s, value=s) for s in STATUS_CHOICES],
    )
    async def unanswered(
        interaction: discord.Interaction[Any], command: str | None = None, status: str = "open"
    ) -> None:
        await _serve(interaction, "unanswered", command, status)

    @app_commands.command(
        name="resolve",
        description="Editors: link an unanswered question to the entry that answers it",
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.rename(question_id="id")
    @app_commands.describe(
        question_id="The question's id, from /unanswered", entry="The entry that answers it"
    )
    async def resolve(
        interaction: discord.Interaction[Any],
        question_id: app_commands.Range[int, 1, None],
        entry: app_commands.Range[str, 1, 100],
    ) -> None:
        await _serve(interaction, "resolve", question_id, entry)

    @resolve.autocomplete("entry")
    async def complete_entry(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        desk = desk_of(interaction)
        try:
            return desk.complete_entry(interaction, current or "") if desk else []
        except Exception:
            log.exception("entry autocomplete failed")
            return []

    @app_commands.command(
        name="reload",
        description="Editors: load the content files again (a broken file changes nothing)",
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def reload(interaction: discord.Interaction[Any]) -> None:
        await _serve(interaction, "reload")

    return [unanswered, resolve, reload]


def add_editor_commands(tree: app_commands.CommandTree[Any]) -> None:
    """Add the editors' commands to `tree` (the payload `sync` uploads includes them)."""
    for command in editor_commands():
        tree.add_command(command)
