"""The Discord transport: slash commands, autocomplete, embeds and buttons over discord.py.

Thin by design: every answer comes from the dispatcher, every embed from `bot.render.embed`.
Modules: `client` (connection, intents, sharding, shutdown), `tree` (commands built from the
registry, error handler), `frontend` (what each interaction does), `replies` (the one reply
function), `views` (buttons and the report form), `autocomplete` and `cooldown` (pure), `payload`
(Discord's rules for the command payload), `subcommands` (`run`, `sync`, `commands`).
"""

from bot.transports.discord_bot.subcommands import add_parser

__all__ = ["add_parser"]
