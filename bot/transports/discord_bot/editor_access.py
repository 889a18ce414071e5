"""Who may use the editors' commands in Discord, and their names.

Pure (no discord import), so the rule is tested on its own and the HTTP endpoint can name these
commands without loading discord.py. Two layers guard them: the payload sets
`default_member_permissions` to Manage Server, so Discord hides them from other members unless a
server admin grants them (Server Settings > Integrations); and every use is checked here again,
because that override is in each server's hands, not ours.
"""

from __future__ import annotations

from collections.abc import Iterable

EDITOR_COMMANDS = ("unanswered", "resolve", "reload")
"""Slash commands for editors only. They need the store and the live content of this process,
so they are not in the public registry (`bot.handlers.commands`): the console and the HTTP
endpoint do not answer them."""
MANAGE_GUILD = 1 << 5
"""Discord's Manage Server permission bit; the payload's `default_member_permissions`."""
ADMINISTRATOR = 1 << 3
REFUSAL = "Only editors can use this command (the editor role or the Manage Server permission)."
NOT_HERE = "The editors' commands work in a server, not in direct messages."
HTTP_ONLY = (
    "The editors' commands need the gateway bot (`python -m bot run`). Use "
    "`python -m bot editor` or the review page (`python -m bot web`) instead."
)


def may_edit(
    *,
    in_guild: bool,
    permissions: int,
    role_ids: Iterable[int],
    editor_role_id: int | None,
) -> bool:
    """True when a member may use the editors' commands.

    `permissions` is the member's resolved permission bitfield in the channel (as Discord sends
    it with the interaction); Administrator counts as Manage Server. With no editor role
    configured, only Manage Server grants access. Outside a server nobody is an editor: roles and
    server permissions do not exist in direct messages.
    """
    if not in_guild:
        return False
    if permissions & (MANAGE_GUILD | ADMINISTRATOR):
        return True
    return editor_role_id is not None and editor_role_id in set(role_ids)
