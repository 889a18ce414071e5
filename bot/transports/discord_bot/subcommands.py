"""`python -m bot run`, `python -m bot sync [--guild ID]` and `python -m bot commands --json`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from typing import Any

import discord

from bot.app import build_dispatcher
from bot.content.problems import ContentError
from bot.handlers.dispatch import Dispatcher
from bot.reload import install_reload_signal
from bot.settings import Settings, SettingsError
from bot.store import SqliteMissLog
from bot.transports.discord_bot.client import make_client, run_until_stopped
from bot.transports.discord_bot.cooldown import Cooldown
from bot.transports.discord_bot.editors import EditorDesk
from bot.transports.discord_bot.frontend import Frontend
from bot.transports.discord_bot.payload import payload_problems
from bot.transports.discord_bot.tree import command_payload

log = logging.getLogger(__name__)


def build_payload(settings: Settings | None = None) -> list[dict[str, Any]]:
    """The command payload, built offline from the registry (no login, no content load)."""
    client = make_client(settings or Settings())
    return command_payload(client.tree)  # type: ignore[attr-defined]


def print_commands(args: argparse.Namespace) -> int:
    """Print the payload (JSON) or one line per command; exit 1 if it breaks Discord's rules."""
    payload = build_payload()
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for command in payload:
            options = " ".join(
                o["name"] if o.get("required") else f"[{o['name']}]"
                for o in command.get("options", [])
            )
            print(f"/{command['name']} {options}".rstrip() + f"  — {command['description']}")
    problems = payload_problems(payload)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


def editor_desk(dispatcher: Dispatcher, settings: Settings) -> EditorDesk | None:
    """The editors' commands' back end: the dispatcher's own store and content."""
    if not isinstance(dispatcher.misses, SqliteMissLog):
        return None
    return EditorDesk(dispatcher.misses, dispatcher.content, settings.editor_role_id)


def _settings_or_exit() -> tuple[Settings, str] | None:
    try:
        settings = Settings.from_env()
        return settings, settings.require_discord_token()
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return None


async def _sync(settings: Settings, token: str, guild_id: int | None) -> int:
    client = make_client(settings)
    tree = client.tree  # type: ignore[attr-defined]
    async with client:
        await client.login(token)
        if guild_id is None:
            synced = await tree.sync()
            where = "globally (may take a while to show in clients)"
        else:
            guild = discord.Object(id=guild_id)
            tree.copy_global_to(guild=guild)
            synced = await tree.sync(guild=guild)
            where = f"to server {guild_id}"
    print(f"Synced {len(synced)} command(s) {where}: " + ", ".join(f"/{c.name}" for c in synced))
    return 0


def sync_commands(args: argparse.Namespace) -> int:
    """Upload the commands once; exit 2 on configuration errors, 1 if Discord refuses."""
    found = _settings_or_exit()
    if found is None:
        return 2
    settings, token = found
    try:
        return asyncio.run(_sync(settings, token, args.guild))
    except discord.LoginFailure:
        print("error: Discord refused the token; check DISCORD_TOKEN.", file=sys.stderr)
    except discord.Forbidden:
        print(
            "error: forbidden; invite the bot with the applications.commands scope first.",
            file=sys.stderr,
        )
    except discord.HTTPException as error:
        print(f"error: Discord answered {error.status}: {error.text}", file=sys.stderr)
    return 1


def run_bot(args: argparse.Namespace) -> int:
    """Serve until SIGINT/SIGTERM; exit 2 on configuration or content errors."""
    found = _settings_or_exit()
    if found is None:
        return 2
    settings, token = found
    try:
        dispatcher = build_dispatcher(settings)
    except ContentError as error:
        print(f"error: {error}\nRun `python -m bot validate` for details.", file=sys.stderr)
        return 2
    frontend = Frontend(dispatcher, Cooldown(settings.cooldown_uses, settings.cooldown_seconds))
    client = make_client(settings, frontend, editors=editor_desk(dispatcher, settings))

    async def serve() -> None:
        # SIGHUP (sent by `python -m bot editor reload`) reloads the content in place.
        reload = install_reload_signal(dispatcher.content, settings.data_dir, "discord")
        try:
            await run_until_stopped(client, token)
        finally:
            reload.close()

    try:
        asyncio.run(serve())
    except discord.LoginFailure:
        print("error: Discord refused the token; check DISCORD_TOKEN.", file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print("error: a privileged intent was requested; this bot needs none.", file=sys.stderr)
        return 1
    finally:
        close = getattr(dispatcher.misses, "close", None)
        if close is not None:
            close()  # finish pending log writes before the process ends
    return 0
