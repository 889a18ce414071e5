"""End to end: the real discord.py client against the fake Discord in `fake_discord.py`.

Each test pushes INTERACTION_CREATE events through the fake gateway and asserts on the JSON the
bot sends back over REST: embeds, `allowed_mentions`, the ephemeral flag (64), autocomplete
choices, buttons, the sync payload. Loopback only; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.content.holder import ContentHolder
from bot.handlers.commands import commands
from bot.handlers.dispatch import Dispatcher, Invocation
from bot.schema.answers import Answer
from bot.settings import Settings
from bot.store.misses import MissStore
from bot.transports.discord_bot import frontend as frontend_module
from bot.transports.discord_bot.client import make_client
from bot.transports.discord_bot.cooldown import Cooldown
from bot.transports.discord_bot.editors import EditorDesk
from bot.transports.discord_bot.frontend import Frontend
from bot.transports.discord_bot.payload import payload_problems
from bot.transports.discord_bot.subcommands import _sync
from bot.transports.discord_bot.tree import command_payload
from tests.conftest import FIXTURE_CONTENT
from tests.discord import fake_discord as fake
from tests.discord.fake_discord import APP_ID, FakeDiscord, Request
from tests.test_dispatch import RecordingMissLog

EPHEMERAL = 64
NO_PINGS = {"parse": []}

pytestmark = pytest.mark.skipif(
    discord.__version__ != "2.7.1",
    reason="the fake Discord is reached through discord.py 2.7.1 internals",
)


@dataclass
class Harness:
    fake: FakeDiscord
    client: discord.Client
    misses: RecordingMissLog

    async def send(self, payload: dict[str, Any]) -> Request:
        """Push one interaction; return the bot's callback for it."""
        start = len(self.fake.requests)
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        path = f"/interactions/{payload['id']}/{payload['token']}/callback"
        return await self.fake.wait_for(lambda r: r.path == path, start=start)

    async def after(self, payload: dict[str, Any], match: Any) -> Request:
        """The first request the bot makes for this interaction that `match` accepts."""
        return await self.fake.wait_for(lambda r: payload["token"] in r.path and match(r))


def settings(**overrides: Any) -> Settings:
    return Settings(content_dir=FIXTURE_CONTENT, **overrides)


async def _connect(
    server: FakeDiscord,
    dispatcher: Dispatcher,
    cooldown: Cooldown,
    config: Settings,
    editors: EditorDesk | None = None,
) -> AsyncIterator[Harness]:
    # No servers arrive after READY here, so do not wait discord.py's default 2 s for them.
    client = make_client(
        config, Frontend(dispatcher, cooldown), editors=editors, guild_ready_timeout=0.05
    )
    task = asyncio.create_task(client.start("not-a-real-token"))
    try:
        await asyncio.wait_for(server.identified.wait(), 10)
        await asyncio.wait_for(client.wait_until_ready(), 10)
        yield Harness(server, client, dispatcher.misses)  # type: ignore[arg-type]
    finally:
        await client.close()
        await asyncio.wait_for(task, 10)


@pytest.fixture
async def bot(fake_discord: FakeDiscord) -> AsyncIterator[Harness]:
    dispatcher = Dispatcher(ContentHolder(FIXTURE_CONTENT), RecordingMissLog(), salt="s")
    async for harness in _connect(fake_discord, dispatcher, Cooldown(100, 60), settings()):
        yield harness


def embed_of(request: Request) -> dict[str, Any]:
    data = request.body.get("data", request.body)
    [embed] = data["embeds"]
    return embed


def custom_ids(request: Request) -> list[str]:
    data = request.body.get("data", request.body)
    return [c["custom_id"] for row in data.get("components", []) for c in row["components"]]


def flags(request: Request) -> int:
    data = request.body.get("data", request.body)
    return int(data.get("flags") or 0)


async def test_define_answers_publicly_with_sources_review_and_buttons(bot: Harness) -> None:
    callback = await bot.send(fake.slash("define", term="KV cache"))
    assert callback.body["type"] == 4
    assert callback.body["data"]["allowed_mentions"] == NO_PINGS
    assert not flags(callback) & EPHEMERAL
    embed = embed_of(callback)
    assert embed["title"] == "KV cache"
    assert embed["description"].startswith("Fixture entry.")
    assert embed["footer"]["text"] == "Reviewed by RunLocal editors on 2026-11-22"
    sources = next(f for f in embed["fields"] if f["name"] == "Sources")
    assert "[Fixture source](https://example.org/kv)" in sources["value"]
    assert custom_ids(callback) == [
        "rl:more:define:kv-cache",
        "rl:fb:h:define:kv-cache",
        "rl:fb:n:define:kv-cache",
        "rl:report:define:kv-cache",
    ]


async def test_fix_matches_a_pasted_error(bot: Harness) -> None:
    callback = await bot.send(fake.slash("fix", problem="CUDA error: out of memory"))
    assert callback.body["data"]["allowed_mentions"] == NO_PINGS
    assert embed_of(callback)["title"] == "CUDA out of memory"
    assert "rl:report:fix:cuda-out-of-memory" in custom_ids(callback)


async def test_ask_routes_a_question_to_a_quick_answer(bot: Harness) -> None:
    callback = await bot.send(fake.slash("ask", question="will two GPUs be faster?"))
    assert not flags(callback) & EPHEMERAL
    assert "second-gpu-faster" in " ".join(custom_ids(callback))


async def test_autocomplete_answers_with_ranked_choices(bot: Harness) -> None:
    callback = await bot.send(fake.autocomplete("define", "term", "kv"))
    assert callback.body["type"] == 8
    choices = callback.body["data"]["choices"]
    assert choices[0] == {"name": "KV cache", "value": "KV cache"}
    assert len(choices) <= 25
    assert all(1 <= len(c["name"]) <= 100 and 1 <= len(c["value"]) <= 100 for c in choices)


async def test_autocomplete_survives_hostile_input(bot: Harness) -> None:
    callback = await bot.send(fake.autocomplete("hardware", "name", "@everyone\x00" + "x" * 5000))
    assert callback.body["type"] == 8
    for choice in callback.body["data"]["choices"]:
        assert 1 <= len(choice["name"]) <= 100
        assert "\x00" not in choice["name"]
        assert "@everyone" not in choice["name"] or len(choice["value"]) <= 100


async def test_empty_input_gets_a_private_sentence(bot: Harness) -> None:
    callback = await bot.send(fake.slash("define", term="   "))
    assert flags(callback) & EPHEMERAL
    assert callback.body["data"]["allowed_mentions"] == NO_PINGS
    assert "needs `term`" in embed_of(callback)["description"]
    assert custom_ids(callback) == []


async def test_an_unknown_term_is_private_and_noted_for_editors(bot: Harness) -> None:
    callback = await bot.send(fake.slash("define", term="flux capacitor"))
    assert flags(callback) & EPHEMERAL
    assert embed_of(callback)["title"] == "Not found"
    assert [m.reason for m in bot.misses.rows] == ["unanswered"]


async def test_mentions_in_input_never_ping_nor_render(bot: Harness) -> None:
    callback = await bot.send(fake.slash("define", term="@everyone <@&456> <@123> @here"))
    data = callback.body["data"]
    assert data["allowed_mentions"] == NO_PINGS
    text = str(data["embeds"])
    for raw in ("@everyone", "<@&456>", "<@123>", "@here"):
        assert raw not in text


async def test_helpful_click_is_recorded_and_thanked_privately(bot: Harness) -> None:
    answer = await bot.send(fake.slash("define", term="KV cache"))
    message = fake.message_payload("1", answer.body["data"])
    callback = await bot.send(fake.click("rl:fb:h:define:kv-cache", message))
    assert flags(callback) & EPHEMERAL
    assert "Thanks" in embed_of(callback)["description"]
    [vote] = bot.misses.rows
    assert (vote.reason, vote.answered_entry_id, vote.command) == ("helpful", "kv-cache", "define")
    assert vote.user_hash and str(fake.USER_ID) not in vote.user_hash


async def test_a_button_works_on_a_message_from_before_a_restart(bot: Harness) -> None:
    # The message was not sent by this process: only the custom_id carries the state.
    message = fake.message_with_buttons("2", "rl:more:define:vram")
    callback = await bot.send(fake.click("rl:more:define:vram", message))
    assert flags(callback) & EPHEMERAL
    embed = embed_of(callback)
    assert embed["title"] == "VRAM"
    assert "**Definition**" in embed["description"]


async def test_report_opens_a_form_and_records_what_was_typed(bot: Harness) -> None:
    message = fake.message_with_buttons("3", "rl:report:define:kv-cache")
    modal = await bot.send(fake.click("rl:report:define:kv-cache", message))
    assert modal.body["type"] == 9
    form = modal.body["data"]
    assert form["custom_id"] == "rl:form:define:kv-cache"
    text_ids = [
        c.get("custom_id") or c.get("component", {}).get("custom_id")
        for row in form["components"]
        for c in row.get("components", [row.get("component", {})])
    ]
    callback = await bot.send(
        fake.submit_form(form["custom_id"], {text_ids[0]: "The formula is missing a factor."})
    )
    assert flags(callback) & EPHEMERAL
    [report] = bot.misses.rows
    assert (report.reason, report.detail) == ("report", "The formula is missing a factor.")


async def test_sync_uploads_exactly_the_printed_payload(fake_discord: FakeDiscord) -> None:
    assert await _sync(settings(), "not-a-real-token", None) == 0
    assert await _sync(settings(), "not-a-real-token", 1234) == 0
    puts = [r for r in fake_discord.requests if r.method == "PUT"]
    assert [r.path for r in puts] == [
        f"/applications/{APP_ID}/commands",
        f"/applications/{APP_ID}/guilds/1234/commands",
    ]
    expected = command_payload(make_client(settings()).tree)  # type: ignore[attr-defined]
    assert puts[0].body == expected
    assert puts[1].body == expected
    assert payload_problems(puts[0].body) == []
    assert {c["name"] for c in expected} >= {"define", "fix", "ask", "about"}


async def test_no_command_is_synced_on_start(bot: Harness) -> None:
    await bot.send(fake.slash("about"))
    assert not [r for r in bot.fake.requests if r.method == "PUT"]


class SlowDispatcher(Dispatcher):
    async def run(self, invocation: Invocation) -> Answer:
        await asyncio.sleep(0.3)
        return await super().run(invocation)


async def test_a_slow_answer_is_deferred_then_edited_in(
    fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(frontend_module, "DEFER_AFTER_S", 0.05)
    slow = SlowDispatcher(ContentHolder(FIXTURE_CONTENT), RecordingMissLog())
    async for harness in _connect(fake_discord, slow, Cooldown(100, 60), settings()):
        payload = fake.slash("define", term="VRAM")
        callback = await harness.send(payload)
        assert callback.body["type"] == 5
        edit = await harness.after(payload, lambda r: r.method == "PATCH")
        assert edit.path.endswith("/messages/@original")
        assert edit.body["allowed_mentions"] == NO_PINGS
        assert edit.body["embeds"][0]["title"] == "VRAM"


async def test_a_slow_miss_replaces_the_public_thinking_with_a_private_note(
    fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(frontend_module, "DEFER_AFTER_S", 0.05)
    slow = SlowDispatcher(ContentHolder(FIXTURE_CONTENT), RecordingMissLog())
    async for harness in _connect(fake_discord, slow, Cooldown(100, 60), settings()):
        payload = fake.slash("define", term="zzzz qqqq")
        await harness.send(payload)
        await harness.after(payload, lambda r: r.method == "DELETE")
        followup = await harness.after(
            payload, lambda r: r.method == "POST" and r.path.startswith("/webhooks")
        )
        assert flags(followup) & EPHEMERAL
        assert followup.body["allowed_mentions"] == NO_PINGS


async def test_the_cooldown_answers_privately(fake_discord: FakeDiscord) -> None:
    dispatcher = Dispatcher(ContentHolder(FIXTURE_CONTENT), RecordingMissLog())
    async for harness in _connect(fake_discord, dispatcher, Cooldown(1, 60), settings()):
        await harness.send(fake.slash("define", term="VRAM"))
        second = await harness.send(fake.slash("define", term="VRAM"))
        assert flags(second) & EPHEMERAL
        assert "going a bit fast" in embed_of(second)["description"]


class BrokenDispatcher(Dispatcher):
    async def run(self, invocation: Invocation) -> Answer:
        raise RuntimeError("secret internal detail")


async def test_a_crash_becomes_one_private_sentence_and_a_logged_traceback(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    broken = BrokenDispatcher(ContentHolder(FIXTURE_CONTENT), RecordingMissLog())
    async for harness in _connect(fake_discord, broken, Cooldown(100, 60), settings()):
        callback = await harness.send(fake.slash("define", term="VRAM"))
        assert flags(callback) & EPHEMERAL
        assert "something went wrong" in embed_of(callback)["description"]
        assert "secret" not in str(callback.body)
    assert "secret internal detail" in caplog.text


async def test_sharded_client_asks_for_the_gateway_and_answers(fake_discord: FakeDiscord) -> None:
    dispatcher = Dispatcher(ContentHolder(FIXTURE_CONTENT), RecordingMissLog())
    config = settings(discord_shards="auto")
    async for harness in _connect(fake_discord, dispatcher, Cooldown(100, 60), config):
        assert isinstance(harness.client, discord.AutoShardedClient)
        assert any(r.path == "/gateway/bot" for r in fake_discord.requests)
        callback = await harness.send(fake.slash("define", term="VRAM"))
        assert embed_of(callback)["title"] == "VRAM"


LAUNCHER = """
import sys, discord, yarl
discord.http.Route.BASE = sys.argv[1]
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(sys.argv[2])
from bot.cli import main
raise SystemExit(main(["run"]))
"""


async def test_python_m_bot_run_serves_logs_feedback_reloads_and_stops_on_sigterm(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD", "RUNLOCAL"))},
        "DISCORD_TOKEN": "not-a-real-token",
        "RUNLOCAL_CONTENT_DIR": str(FIXTURE_CONTENT),
        "RUNLOCAL_LOG_FORMAT": "json",
        "RUNLOCAL_DATA_DIR": str(tmp_path),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LAUNCHER,
        fake_discord.base,
        fake_discord.gateway,
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await asyncio.wait_for(fake_discord.identified.wait(), 30)
        harness = Harness(fake_discord, None, RecordingMissLog())  # type: ignore[arg-type]
        callback = await harness.send(fake.slash("define", term="KV cache"))
        assert embed_of(callback)["title"] == "KV cache"
        assert not [r for r in fake_discord.requests if r.method == "PUT"]
        message = fake.message_with_buttons("7", *custom_ids(callback))
        thanks = await harness.send(fake.click("rl:fb:h:define:kv-cache", message))
        assert "Thanks" in embed_of(thanks)["description"]
        status = tmp_path / "run" / f"{process.pid}.json"
        process.send_signal(signal.SIGHUP)
        for _ in range(100):
            reloaded = json.loads(status.read_text()) if status.exists() else {}
            if reloaded.get("last_reload"):
                break
            await asyncio.sleep(0.1)
        assert reloaded["name"] == "discord"
        assert reloaded["last_reload"]["ok"], reloaded
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    lines = [json.loads(line) for line in stderr.decode().splitlines() if line.startswith("{")]
    messages = [line["message"] for line in lines]
    assert "stop signal received; closing the Discord connection" in messages
    assert "stopped" in messages
    assert not status.exists()
    [vote] = MissStore(tmp_path / "runlocal.sqlite").feedback()
    assert (vote.reason, vote.entry_id, vote.command) == ("helpful", "kv-cache", "define")


@pytest.mark.skipif("willitrun" not in commands(), reason="the fit engine is not merged yet")
async def test_willitrun_defers_then_shows_the_verdict(bot: Harness) -> None:
    payload = fake.slash("willitrun", model="llama3.1:8b", hardware="RTX 3090")
    callback = await bot.send(payload)
    assert callback.body["type"] == 5
    edit = await bot.after(payload, lambda r: r.method == "PATCH")
    assert edit.body["allowed_mentions"] == NO_PINGS
    [embed] = edit.body["embeds"]
    names = [f["name"] for f in embed["fields"]]
    assert names[0] == "What I understood"
    assert "Llama 3.1 8B" in embed["fields"][0]["value"]
    assert any(name.startswith("Memory") for name in names)
    assert any(name.startswith("Speed") for name in names)


@pytest.mark.skipif("willitrun" not in commands(), reason="the fit engine is not merged yet")
async def test_willitrun_with_unreadable_hardware_answers_privately(bot: Harness) -> None:
    payload = fake.slash("willitrun", model="llama3.1:8b", hardware="@everyone a potato")
    await bot.send(payload)
    reply = await bot.after(
        payload, lambda r: r.path.startswith("/webhooks") and r.method == "POST"
    )
    assert flags(reply) & EPHEMERAL
    assert reply.body["allowed_mentions"] == NO_PINGS
    assert "@everyone" not in str(reply.body["embeds"])


async def test_not_helpful_is_recorded_from_the_answers_own_buttons(bot: Harness) -> None:
    callback = await bot.send(fake.slash("define", term="KV cache"))
    message = fake.message_with_buttons("9", *custom_ids(callback))
    vote = await bot.send(fake.click("rl:fb:n:define:kv-cache", message))
    assert "Thanks" in embed_of(vote)["description"]
    assert [m.reason for m in bot.misses.rows] == ["not_helpful"]


async def test_python_m_bot_sync_guild_uploads_and_reports(fake_discord: FakeDiscord) -> None:
    launcher = LAUNCHER.replace('main(["run"])', 'main(["sync", "--guild", "4242"])')
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD", "RUNLOCAL"))},
        "DISCORD_TOKEN": "not-a-real-token",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        launcher,
        fake_discord.base,
        fake_discord.gateway,
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()
    assert f"to server 4242: /{next(iter(commands()))}" in stdout.decode()
    [put] = [r for r in fake_discord.requests if r.method == "PUT"]
    assert put.path == f"/applications/{APP_ID}/guilds/4242/commands"
    assert not fake_discord.identified.is_set()  # sync never opens the gateway


@pytest.mark.parametrize(
    ("command", "options", "title_words"),
    [
        ("bench", {"model": "llama3.1:8b"}, "Llama 3.1 8B"),
        ("cost", {"model": "llama3.1:8b", "hardware": "rtx 3090"}, "Cost"),
        ("compare", {"a": "rtx 3090", "b": "2x3090"}, "vs"),
    ],
)
async def test_planning_commands_answer_with_sources_and_no_pings(
    bot: Harness, command: str, options: dict[str, str], title_words: str
) -> None:
    spec = commands()[command]
    known = {o.name for o in spec.options}
    assert set(options) <= known, f"/{command} options are {known}"
    payload = fake.slash(command, **options)
    callback = await bot.send(payload)
    if callback.body["type"] == 5:  # deferred: the answer comes as an edit
        callback = await bot.after(payload, lambda r: r.method == "PATCH")
    data = callback.body.get("data", callback.body)
    assert data["allowed_mentions"] == NO_PINGS
    assert not flags(callback) & EPHEMERAL
    embed = embed_of(callback)
    assert title_words in embed["title"]
    assert any(f["name"] == "Sources" for f in embed.get("fields", []))


async def test_choosegpu_says_plainly_when_nothing_is_priced_within_budget(bot: Harness) -> None:
    payload = fake.slash("choosegpu", budget="1500", target="8B")
    callback = await bot.send(payload)
    if callback.body["type"] == 5:
        callback = await bot.after(payload, lambda r: r.path.startswith("/webhooks"))
    assert flags(callback) & EPHEMERAL
    assert "priced within $1,500" in json.dumps(embed_of(callback))
