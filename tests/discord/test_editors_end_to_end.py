"""The editors' commands end to end: the real discord.py client, the fake Discord, a real store.

A member asks something the bot does not know; an editor lists it with `/unanswered`, links it
with `/resolve` and the bot then answers it; a non-editor is refused; `/reload` with a broken
file keeps the last good content and names the file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.app import build_dispatcher
from bot.content.holder import ContentHolder
from bot.handlers.dispatch import Dispatcher
from bot.store import SqliteMissLog
from bot.transports.discord_bot.cooldown import Cooldown
from bot.transports.discord_bot.editor_access import MANAGE_GUILD
from bot.transports.discord_bot.editors import EditorDesk
from bot.transports.discord_bot.subcommands import editor_desk
from tests.conftest import FIXTURE_CONTENT
from tests.discord import fake_discord as fake
from tests.discord.fake_discord import FakeDiscord, Request
from tests.discord.test_end_to_end import (
    EPHEMERAL,
    NO_PINGS,
    Harness,
    _connect,
    embed_of,
    flags,
    settings,
)

pytestmark = pytest.mark.skipif(
    discord.__version__ != "2.7.1",
    reason="the fake Discord is reached through discord.py 2.7.1 internals",
)

EDITOR_ROLE = 800000000000000077
MEMBER_PERMISSIONS = "2048"  # Send Messages only
PATCH_ORIGINAL = "/messages/@original"


@pytest.fixture
def misslog(tmp_path: Path) -> AsyncIterator[SqliteMissLog]:
    log = SqliteMissLog(tmp_path / "runlocal.sqlite")
    yield log
    log.close()


@pytest.fixture
async def desk(
    fake_discord: FakeDiscord, content_copy: Path, misslog: SqliteMissLog
) -> AsyncIterator[Harness]:
    holder = ContentHolder(content_copy)
    dispatcher = Dispatcher(holder, misslog, salt="s")
    editors = EditorDesk(misslog, holder, editor_role_id=EDITOR_ROLE)
    async for harness in _connect(
        fake_discord, dispatcher, Cooldown(100, 60), settings(), editors=editors
    ):
        yield harness


def as_member(
    payload: dict[str, Any], *, permissions: int | str = MEMBER_PERMISSIONS, roles: tuple = ()
) -> dict[str, Any]:
    """The same interaction from a member with these permissions and roles."""
    payload["member"]["permissions"] = str(permissions)
    payload["member"]["roles"] = [str(role) for role in roles]
    return payload


def command(name: str, **options: str | int) -> dict[str, Any]:
    """A slash command whose integer options are sent as integers (type 4), as Discord does."""
    payload = fake.slash(name)
    payload["data"]["options"] = [
        {"name": key, "type": 4 if isinstance(value, int) else 3, "value": value}
        for key, value in options.items()
    ]
    return payload


async def private_answer(harness: Harness, payload: dict[str, Any]) -> dict[str, Any]:
    """The embed of an editors' command: a private "thinking…", then the edit that fills it."""
    callback = await harness.send(payload)
    assert callback.body["type"] == 5
    assert flags(callback) & EPHEMERAL
    edit: Request = await harness.after(payload, lambda r: r.method == "PATCH")
    assert edit.path.endswith(PATCH_ORIGINAL)
    assert edit.body["allowed_mentions"] == NO_PINGS
    return embed_of(edit)


async def test_an_editor_lists_and_resolves_and_the_bot_then_answers(desk: Harness) -> None:
    asked = await desk.send(fake.slash("define", term="Flux capacitor?"))
    assert embed_of(asked)["title"] == "Not found"
    await desk.send(fake.slash("define", term="flux capacitor"))

    listing = await private_answer(desk, as_member(command("unanswered"), roles=(EDITOR_ROLE,)))
    assert listing["title"].startswith("Open questions")
    [line] = listing["description"].splitlines()
    assert line.startswith("**#1** · 2× · /define · Flux capacitor?")

    # A fix is not what /define answers with: the same check as `editor resolve` refuses it.
    refused = await private_answer(
        desk,
        as_member(command("resolve", id=1, entry="cuda-out-of-memory"), permissions=MANAGE_GUILD),
    )
    assert refused["title"] == "Not resolved"
    assert "would answer with" in refused["description"]

    done = await private_answer(
        desk, as_member(command("resolve", id=1, entry="kv-cache"), permissions=MANAGE_GUILD)
    )
    assert done["title"] == "Resolved"
    assert "`kv-cache`" in done["description"]

    answered = await desk.send(fake.slash("define", term="flux capacitor"))
    assert not flags(answered) & EPHEMERAL
    assert embed_of(answered)["title"] == "KV cache"

    resolved = await private_answer(
        desk, as_member(command("unanswered", status="resolved"), permissions=MANAGE_GUILD)
    )
    assert "→ `kv-cache`" in resolved["description"]
    still_open = await private_answer(desk, as_member(command("unanswered"), roles=(EDITOR_ROLE,)))
    assert still_open["description"] == "No open questions."


async def test_resolving_an_unknown_id_or_entry_says_so(desk: Harness) -> None:
    await desk.send(fake.slash("define", term="flux capacitor"))
    editor = {"permissions": MANAGE_GUILD}
    missing = await private_answer(
        desk, as_member(command("resolve", id=99, entry="vram"), **editor)
    )
    assert "No question has id 99" in missing["description"]
    typo = await private_answer(
        desk, as_member(command("resolve", id=1, entry="kv-cash"), **editor)
    )
    assert "no entry has id" in typo["description"]


@pytest.mark.parametrize(
    "name_and_options",
    [("unanswered", {}), ("resolve", {"id": 1, "entry": "vram"}), ("reload", {})],
)
async def test_a_member_who_is_not_an_editor_is_refused_privately(
    desk: Harness, misslog: SqliteMissLog, name_and_options: tuple[str, dict[str, Any]]
) -> None:
    await desk.send(fake.slash("define", term="flux capacitor"))
    name, options = name_and_options
    payload = as_member(command(name, **options), roles=(EDITOR_ROLE + 1,))
    callback = await desk.send(payload)
    assert callback.body["type"] == 4
    assert flags(callback) & EPHEMERAL
    assert callback.body["data"]["allowed_mentions"] == NO_PINGS
    embed = embed_of(callback)
    assert embed["title"] == "Editors only"
    assert "Only editors" in embed["description"]
    [question] = misslog.store.questions()
    assert question.status == "open"


async def test_entry_autocomplete_is_for_editors_only(desk: Harness) -> None:
    typed = fake.autocomplete("resolve", "entry", "kv")
    editor = await desk.send(as_member(typed, permissions=MANAGE_GUILD))
    values = [c["value"] for c in editor.body["data"]["choices"]]
    assert values[0] == "kv-cache"
    member = await desk.send(as_member(fake.autocomplete("resolve", "entry", "kv")))
    assert member.body["data"]["choices"] == []


async def test_reload_with_a_broken_file_keeps_the_content_and_names_the_file(
    desk: Harness, content_copy: Path
) -> None:
    broken = content_copy / "answers" / "glossary" / "vram.md"
    good_text = broken.read_text()
    broken.write_text("---\nid: [broken\n---\n")
    failed = await private_answer(desk, as_member(command("reload"), permissions=MANAGE_GUILD))
    assert failed["title"] == "Content not reloaded"
    assert "Kept the previous content live" in failed["description"]
    assert "answers/glossary/vram.md" in failed["description"]
    assert str(content_copy) not in str(failed)  # no server paths in a chat reply

    still = await desk.send(fake.slash("define", term="VRAM"))
    assert embed_of(still)["description"].startswith("Fixture entry.")

    broken.write_text(good_text.replace("Fixture entry.", "Edited entry."))
    reloaded = await private_answer(desk, as_member(command("reload"), roles=(EDITOR_ROLE,)))
    assert reloaded["title"] == "Content reloaded"
    fresh = await desk.send(fake.slash("define", term="VRAM"))
    assert embed_of(fresh)["description"].startswith("Edited entry.")


async def test_without_a_store_the_commands_say_so(fake_discord: FakeDiscord) -> None:
    dispatcher = Dispatcher(ContentHolder(FIXTURE_CONTENT))
    async for harness in _connect(fake_discord, dispatcher, Cooldown(100, 60), settings()):
        callback = await harness.send(as_member(command("reload"), permissions=MANAGE_GUILD))
        assert flags(callback) & EPHEMERAL
        assert "not set up" in embed_of(callback)["description"]


async def test_a_store_that_cannot_be_read_costs_one_private_apology(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    unreadable = SqliteMissLog(tmp_path)  # a folder, not a database file
    holder = ContentHolder(FIXTURE_CONTENT)
    editors = EditorDesk(unreadable, holder)
    dispatcher = Dispatcher(holder)
    try:
        async for harness in _connect(
            fake_discord, dispatcher, Cooldown(100, 60), settings(), editors=editors
        ):
            embed = await private_answer(
                harness, as_member(command("unanswered"), permissions=MANAGE_GUILD)
            )
            assert "something went wrong" in embed["description"]
    finally:
        unreadable.close()


def test_python_m_bot_run_gives_the_editors_the_bots_own_store_and_role(data_dir: Path) -> None:
    config = settings(data_dir=data_dir, editor_role_id=EDITOR_ROLE)
    dispatcher = build_dispatcher(config)
    try:
        desk = editor_desk(dispatcher, config)
        assert desk is not None
        assert desk.misses is dispatcher.misses
        assert desk.content is dispatcher.content
        assert desk.editor_role_id == EDITOR_ROLE
        assert editor_desk(Dispatcher(dispatcher.content), config) is None
    finally:
        dispatcher.misses.close()  # type: ignore[attr-defined]


async def test_in_direct_messages_the_commands_say_they_are_for_servers(desk: Harness) -> None:
    payload = command("reload")
    del payload["guild_id"]
    payload["user"] = payload.pop("member")["user"]
    payload["context"] = 1
    callback = await desk.send(payload)
    assert flags(callback) & EPHEMERAL
    assert "not in direct messages" in embed_of(callback)["description"]
