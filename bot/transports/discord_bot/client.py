"""The Discord client: minimal intents, no pings, the command tree, persistent buttons.

`make_client` picks discord.py's `AutoShardedClient` when sharding is configured
(`RUNLOCAL_DISCORD_SHARDS=auto` or a number) and the plain `Client` otherwise. Commands are
never synced on start; `python -m bot sync` does that explicitly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

import discord

from bot.settings import Settings
from bot.transports.discord_bot.editors import EditorDesk, add_editor_commands
from bot.transports.discord_bot.frontend import Frontend
from bot.transports.discord_bot.tree import RunLocalTree, add_registry_commands
from bot.transports.discord_bot.views import DYNAMIC_ITEMS

log = logging.getLogger(__name__)

# The bot never joins a voice channel; without this every start warns about voice libraries.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


def minimal_intents() -> discord.Intents:
    """Only `guilds`: slash commands need no privileged intent (no members, presences, content)."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


class _RunLocalMixin:
    """What both client classes share; `frontend` and `editors` are None when only building the
    payload (and `editors` where the process has no store)."""

    tree: RunLocalTree
    frontend: Frontend | None
    editors: EditorDesk | None

    def __init__(
        self,
        *,
        frontend: Frontend | None = None,
        editors: EditorDesk | None = None,
        **options: Any,
    ) -> None:
        super().__init__(  # type: ignore[call-arg]
            intents=minimal_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            chunk_guilds_at_startup=False,
            **options,
        )
        self.frontend = frontend
        self.editors = editors
        self.tree = RunLocalTree(self)  # type: ignore[arg-type]
        add_registry_commands(self.tree)
        add_editor_commands(self.tree)

    async def setup_hook(self) -> None:
        # Buttons on messages sent before a restart keep working: their state is in custom_id.
        self.add_dynamic_items(*DYNAMIC_ITEMS)  # type: ignore[attr-defined]

    async def on_ready(self) -> None:
        user = self.user  # type: ignore[attr-defined]
        guilds = len(self.guilds)  # type: ignore[attr-defined]
        log.info("connected as %s (id %s) to %d server(s)", user, user.id if user else "?", guilds)

    async def on_shard_ready(self, shard_id: int) -> None:
        log.info("shard %d ready", shard_id)


class RunLocalClient(_RunLocalMixin, discord.Client):
    """One gateway connection: right until a bot is in about a thousand servers."""


class ShardedRunLocalClient(_RunLocalMixin, discord.AutoShardedClient):
    """Several shards in one process (discord.py's AutoShardedClient)."""


def make_client(
    settings: Settings,
    frontend: Frontend | None = None,
    *,
    editors: EditorDesk | None = None,
    **options: Any,
) -> discord.Client:
    """The client the settings ask for, not yet connected; `options` go to discord.py."""
    if settings.discord_application_id:
        options["application_id"] = settings.discord_application_id
    if settings.sharded:
        if settings.shard_count:
            options["shard_count"] = settings.shard_count
        return ShardedRunLocalClient(frontend=frontend, editors=editors, **options)
    return RunLocalClient(frontend=frontend, editors=editors, **options)


async def run_until_stopped(client: discord.Client, token: str) -> None:
    """Connect and serve until SIGINT/SIGTERM, then close the connection cleanly."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with client:
        runner = asyncio.create_task(client.start(token), name="discord-client")
        stopper = asyncio.create_task(stop.wait(), name="stop-signal")
        done, _ = await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
        if stopper in done:
            log.info("stop signal received; closing the Discord connection")
            await client.close()
        else:
            stopper.cancel()
        await runner
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(sig)
    log.info("stopped")
