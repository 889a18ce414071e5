"""The tree's error handler: branch order, private sentences, tracebacks only in the log."""

from __future__ import annotations

from types import SimpleNamespace

import discord
import pytest
from discord import app_commands

from bot.transports.discord_bot.tree import RunLocalTree
from tests.discord.recording import RecordingInteraction


@pytest.fixture
def tree() -> RunLocalTree:
    return RunLocalTree(discord.Client(intents=discord.Intents.none()))


def _text(interaction: RecordingInteraction) -> str:
    [reply] = interaction.replies
    assert reply.kwargs["ephemeral"] is True
    assert reply.kwargs["allowed_mentions"].to_dict() == {"parse": []}
    return reply.kwargs["embed"].description


async def test_a_cooldown_says_when_to_come_back(tree: RunLocalTree) -> None:
    interaction = RecordingInteraction()
    cooldown = app_commands.Cooldown(1, 30)
    await tree.on_error(interaction, app_commands.CommandOnCooldown(cooldown, 12.2))  # type: ignore[arg-type]
    assert "Try again in 12 seconds" in _text(interaction)


async def test_a_failed_check_is_one_sentence(tree: RunLocalTree) -> None:
    interaction = RecordingInteraction()
    await tree.on_error(interaction, app_commands.CheckFailure())  # type: ignore[arg-type]
    assert _text(interaction) == "That command can't be used here."


async def test_an_expired_interaction_is_only_logged(
    tree: RunLocalTree, caplog: pytest.LogCaptureFixture
) -> None:
    interaction = RecordingInteraction()
    response = SimpleNamespace(status=404, reason="Not Found")
    expired = discord.NotFound(response, {"code": 10062, "message": "Unknown interaction"})  # type: ignore[arg-type]
    command = SimpleNamespace(qualified_name="define", name="define")
    error = app_commands.CommandInvokeError(command, expired)  # type: ignore[arg-type]
    await tree.on_error(interaction, error)  # type: ignore[arg-type]
    assert interaction.sent == []
    assert "could not be answered" in caplog.text


async def test_anything_else_is_logged_with_its_traceback_and_apologised_for(
    tree: RunLocalTree, caplog: pytest.LogCaptureFixture
) -> None:
    interaction = RecordingInteraction(data={"options": [{"name": "term", "value": "x"}]})
    command = SimpleNamespace(qualified_name="define", name="define")
    try:
        {}["internal detail"]
    except KeyError as raised:
        error = app_commands.CommandInvokeError(command, raised)  # type: ignore[arg-type]
    await tree.on_error(interaction, error)  # type: ignore[arg-type]
    assert "something went wrong" in _text(interaction)
    assert "internal detail" not in _text(interaction)
    assert "internal detail" in caplog.text
    assert "Traceback" in caplog.text
