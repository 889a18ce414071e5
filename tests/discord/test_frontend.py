"""The Frontend with a recording interaction: what users see for answers, misses and errors."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import discord
import pytest

from bot.content.holder import ContentHolder
from bot.handlers.commands import commands
from bot.handlers.dispatch import Dispatcher, Invocation
from bot.handlers.entries import entry_answer
from bot.render.embed import limit_problems
from bot.schema.answers import Answer
from bot.transports.discord_bot import frontend as frontend_module
from bot.transports.discord_bot.cooldown import Cooldown
from bot.transports.discord_bot.frontend import Frontend
from tests.conftest import FIXTURE_CONTENT
from tests.discord.recording import RecordingInteraction, Sent
from tests.test_dispatch import RecordingMissLog


def make_frontend(uses: int = 1000) -> Frontend:
    dispatcher = Dispatcher(ContentHolder(FIXTURE_CONTENT), RecordingMissLog())
    return Frontend(dispatcher, Cooldown(uses, 60))


def check_reply(sent: Sent) -> dict[str, Any]:
    """Assert the rules every reply keeps; return the embed as Discord receives it."""
    assert sent.kwargs["allowed_mentions"].to_dict() == {"parse": []}
    assert "content" not in sent.kwargs
    embed = sent.kwargs["embed"].to_dict()
    assert limit_problems(embed) == []
    assert not re.search(r"@(everyone|here)|<@[!&]?\d", str(embed)), "a mention would render"
    return embed


async def run(frontend: Frontend, name: str, **options: Any) -> RecordingInteraction:
    interaction = RecordingInteraction()
    await frontend.run_command(interaction, commands()[name], options)  # type: ignore[arg-type]
    return interaction


async def test_an_answer_is_public_with_buttons() -> None:
    interaction = await run(make_frontend(), "define", term="vram")
    [reply] = interaction.replies
    embed = check_reply(reply)
    assert embed["title"] == "VRAM"
    assert reply.kwargs["ephemeral"] is False
    assert isinstance(reply.kwargs["view"], discord.ui.View)


@pytest.mark.parametrize(("term", "title"), [("", "Can't do that"), ("no such thing", "Not found")])
async def test_errors_and_misses_are_private_without_buttons(term: str, title: str) -> None:
    interaction = await run(make_frontend(), "define", term=term)
    [reply] = interaction.replies
    assert check_reply(reply)["title"] == title
    assert reply.kwargs["ephemeral"] is True
    assert "view" not in reply.kwargs


async def test_options_discord_did_not_send_are_left_out() -> None:
    interaction = await run(make_frontend(), "define", term="vram", unknown=None)
    assert interaction.replies[0].kwargs["ephemeral"] is False


async def test_a_user_past_the_cooldown_gets_a_friendly_private_note() -> None:
    frontend = make_frontend(uses=2)
    for _ in range(2):
        await run(frontend, "define", term="vram")
    interaction = await run(frontend, "define", term="vram")
    [reply] = interaction.replies
    assert reply.kwargs["ephemeral"] is True
    assert "Try again in" in check_reply(reply)["description"]


async def test_a_slow_answer_defers_then_edits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frontend_module, "DEFER_AFTER_S", 0.01)

    class Slow(Dispatcher):
        async def run(self, invocation: Invocation) -> Answer:
            await asyncio.sleep(0.1)
            return await super().run(invocation)

    frontend = Frontend(Slow(ContentHolder(FIXTURE_CONTENT)), Cooldown(10, 60))
    interaction = await run(frontend, "define", term="vram")
    assert [s.call for s in interaction.sent] == ["defer", "edit"]
    assert interaction.sent[0].kwargs == {"ephemeral": False, "thinking": True}
    check_reply(interaction.sent[1])


async def test_feedback_is_recorded_with_a_hashed_user() -> None:
    frontend = make_frontend()
    interaction = RecordingInteraction()
    await frontend.report(interaction, "define", "vram", "  The bandwidth figure is wrong.  ")  # type: ignore[arg-type]
    [row] = frontend.dispatcher.misses.rows  # type: ignore[attr-defined]
    assert (row.reason, row.detail, row.option) == (
        "report",
        "The bandwidth figure is wrong.",
        "term",
    )
    assert row.user_hash and "4242" not in row.user_hash
    assert interaction.replies[0].kwargs["ephemeral"] is True


async def test_show_more_for_a_vanished_entry_says_so() -> None:
    interaction = RecordingInteraction()
    await make_frontend().show_more(interaction, "define", "gone-entry")  # type: ignore[arg-type]
    assert "no longer available" in check_reply(interaction.replies[0])["description"]


async def test_show_more_rebuilds_catalog_entries_too(fixture_snapshot: Any) -> None:
    model_id = next(iter(fixture_snapshot.models))
    interaction = RecordingInteraction()
    await make_frontend().show_more(interaction, "model", model_id)  # type: ignore[arg-type]
    [reply] = interaction.replies
    assert reply.kwargs["ephemeral"] is True
    assert check_reply(reply)["title"] == fixture_snapshot.models[model_id].name


async def test_a_crash_after_a_public_defer_removes_the_thinking_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(frontend_module, "DEFER_AFTER_S", 0.01)

    class SlowThenBroken(Dispatcher):
        async def run(self, invocation: Invocation) -> Answer:
            await asyncio.sleep(0.05)
            raise RuntimeError("bug")

    frontend = Frontend(SlowThenBroken(ContentHolder(FIXTURE_CONTENT)), Cooldown(10, 60))
    interaction = await run(frontend, "define", term="vram")
    assert [s.call for s in interaction.sent] == ["defer", "delete", "followup"]
    assert interaction.sent[2].kwargs["ephemeral"] is True
    assert "something went wrong" in check_reply(interaction.sent[2])["description"]


async def test_show_more_sends_a_long_entry_as_several_private_messages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frontend = make_frontend()
    entry = frontend.dispatcher.content.snapshot.glossary["vram"]
    long = entry.model_copy(update={"deeper_dive": "A long explanation. " * 195})
    answer = entry_answer("define", "vram", long, 1.0, frontend.dispatcher.content.snapshot)

    async def rebuilt(kind: str, entry_id: str) -> Answer:
        return answer

    monkeypatch.setattr(frontend.dispatcher, "answer_for_entry", rebuilt)
    interaction = RecordingInteraction()
    await frontend.show_more(interaction, "define", "vram")  # type: ignore[arg-type]
    assert [s.call for s in interaction.sent] == ["send_message", "followup"]
    assert all(s.kwargs["ephemeral"] for s in interaction.sent)
    assert "view" not in interaction.sent[0].kwargs
    assert isinstance(interaction.sent[1].kwargs["view"], discord.ui.View)
    for sent in interaction.sent:
        check_reply(sent)
