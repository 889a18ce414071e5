"""The slash-command tree, built from the command registry (`bot.handlers.commands`).

Nothing here is written per command: each `Command` spec becomes an `app_commands.Command` whose
parameters, descriptions, choices and autocomplete come from its `Option`s, so a command added to
the registry shows up in Discord without touching this file.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from bot.handlers.commands import commands
from bot.handlers.spec import Command, IndexName, Option
from bot.render.limits import CHOICE_NAME, CHOICES, COMMAND_DESCRIPTION, cut
from bot.transports.discord_bot.cooldown import cooldown_message
from bot.transports.discord_bot.frontend import APOLOGY
from bot.transports.discord_bot.replies import Reply
from bot.transports.discord_bot.views import frontend_of

log = logging.getLogger(__name__)

Callback = Callable[..., Coroutine[Any, Any, None]]


class RunLocalTree(app_commands.CommandTree[Any]):
    """A CommandTree whose error handler logs the traceback and tells the user one sentence."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /
    ) -> None:
        """Branches, in order:

        1. a cooldown from discord.py's own checks: say when to try again;
        2. a failed check: say the command cannot be used here;
        3. the interaction expired or was already answered (10062 / 40060): log, nothing to say;
        4. anything else: log the traceback with the command and options, apologise privately.
        """
        name = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(error, app_commands.CommandOnCooldown):
            await self._tell(interaction, cooldown_message(error.retry_after))
            return
        if isinstance(error, app_commands.CheckFailure):
            await self._tell(interaction, "That command can't be used here.")
            return
        original = getattr(error, "original", error)
        if isinstance(original, discord.NotFound | discord.InteractionResponded) or (
            isinstance(original, discord.HTTPException) and original.code in (10062, 40060)
        ):
            log.warning("/%s: the interaction could not be answered: %s", name, original)
            return
        log.error(
            "/%s failed with options %r",
            name,
            (interaction.data or {}).get("options"),
            exc_info=original,
        )
        await self._tell(interaction, APOLOGY)

    async def _tell(self, interaction: discord.Interaction[Any], text: str) -> None:
        try:
            await Reply(interaction).notice(text)
        except discord.HTTPException:
            log.warning("could not send the error notice", exc_info=True)


def _annotation(option: Option) -> Any:
    if option.type == "integer":
        if option.min_value is not None or option.max_value is not None:
            return app_commands.Range[int, option.min_value, option.max_value]
        return int
    return str


def _callback(spec: Command) -> Callback:
    async def callback(interaction: discord.Interaction[Any], **options: Any) -> None:
        await frontend_of(interaction).run_command(interaction, spec, options)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    # Discord requires required options first; the registry's order is kept otherwise.
    ordered = sorted(spec.options, key=lambda o: not o.required)
    parameters += [
        inspect.Parameter(
            option.name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=_annotation(option),
            default=inspect.Parameter.empty if option.required else None,
        )
        for option in ordered
    ]
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__name__ = f"{spec.name}_command"
    callback.__qualname__ = callback.__name__
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        o.name: cut(o.description, COMMAND_DESCRIPTION) for o in spec.options
    }
    choices = {
        o.name: [app_commands.Choice(name=cut(c, CHOICE_NAME), value=c) for c in o.choices]
        for o in spec.options
        if o.choices and o.type == "string"
    }
    if choices:
        callback.__discord_app_commands_param_choices__ = choices  # type: ignore[attr-defined]
    return callback


def _autocomplete(index: IndexName) -> Callable[..., Coroutine[Any, Any, list[Any]]]:
    async def complete(
        interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        try:
            return frontend_of(interaction).complete(index, current or "")
        except Exception:
            log.exception("autocomplete on %s failed", index)
            return []

    return complete


def slash_command(spec: Command) -> app_commands.Command[Any, ..., None]:
    """One registry command as a discord.py slash command."""
    if len(spec.options) > 25 or any(len(o.choices) > CHOICES for o in spec.options):
        raise ValueError(f"/{spec.name}: Discord allows 25 options and 25 choices at most")
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=spec.name,
        description=cut(spec.description, COMMAND_DESCRIPTION),
        callback=_callback(spec),
    )
    for option in spec.options:
        if option.autocomplete and not option.choices:
            command.autocomplete(option.name)(_autocomplete(option.autocomplete))
    return command


def add_registry_commands(tree: app_commands.CommandTree[Any]) -> None:
    """Add every command of the registry to `tree`."""
    for spec in commands().values():
        tree.add_command(slash_command(spec))


def command_payload(tree: app_commands.CommandTree[Any]) -> list[dict[str, Any]]:
    """Exactly what `tree.sync()` sends to Discord (no translator is installed)."""
    return [command.to_dict(tree) for command in tree._get_all_commands()]
