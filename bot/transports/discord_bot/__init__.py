"""The Discord transport: slash commands, autocomplete, embeds and buttons over discord.py.

Thin by design: every answer comes from the dispatcher, every embed from `bot.render.embed`.
Modules: `client` (connection, intents, sharding, shutdown), `tree` (commands built from the
registry, error handler), `frontend` (what each interaction does), `replies` (the one reply
function), `views` (buttons and the report form), `autocomplete` and `cooldown` (pure), `payload`
(Discord's rules for the command payload), `subcommands` (`run`, `sync`, `commands`).

discord.py is imported only when one of those subcommands runs, so `python -m bot ask` and
`validate` start fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def _lazy(name: str) -> Callable[[argparse.Namespace], int]:
    """The subcommand `name` of `subcommands`, imported only when it runs."""

    def run(args: argparse.Namespace) -> int:
        from bot.transports.discord_bot import subcommands

        return int(getattr(subcommands, name)(args))

    return run


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`run`, `sync [--guild ID]` and `commands [--json]`."""
    run = subparsers.add_parser(
        "run", help="connect to Discord and answer commands (needs DISCORD_TOKEN)"
    )
    run.set_defaults(func=_lazy("run_bot"))
    sync = subparsers.add_parser(
        "sync", help="upload the slash commands to Discord (global, or one server with --guild)"
    )
    sync.add_argument("--guild", type=int, help="server id: commands appear there at once")
    sync.set_defaults(func=_lazy("sync_commands"), quiet_logs=True)
    listing = subparsers.add_parser("commands", help="print the slash commands `sync` uploads")
    listing.add_argument("--json", action="store_true", help="the exact JSON payload")
    listing.set_defaults(func=_lazy("print_commands"), quiet_logs=True)
