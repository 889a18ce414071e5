"""Who may use the editors' commands: the editor role or Manage Server, in a server only."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError
from bot.transports.discord_bot.editor_access import ADMINISTRATOR, MANAGE_GUILD, may_edit

ROLE = 555
SEND_MESSAGES = 1 << 11


@pytest.mark.parametrize(
    ("permissions", "roles", "editor_role", "allowed"),
    [
        (SEND_MESSAGES, [], ROLE, False),
        (SEND_MESSAGES, [ROLE], ROLE, True),
        (SEND_MESSAGES, [ROLE + 1, 7], ROLE, False),
        (SEND_MESSAGES | MANAGE_GUILD, [], ROLE, True),
        (ADMINISTRATOR, [], None, True),
        (MANAGE_GUILD, [], None, True),
        (SEND_MESSAGES, [ROLE], None, False),  # no role configured: only Manage Server
        (0, [], None, False),
    ],
)
def test_the_editor_role_or_manage_server_admits(
    permissions: int, roles: list[int], editor_role: int | None, allowed: bool
) -> None:
    assert (
        may_edit(in_guild=True, permissions=permissions, role_ids=roles, editor_role_id=editor_role)
        is allowed
    )


def test_nobody_is_an_editor_in_direct_messages() -> None:
    assert not may_edit(
        in_guild=False,
        permissions=MANAGE_GUILD | ADMINISTRATOR,
        role_ids=[ROLE],
        editor_role_id=ROLE,
    )


def test_the_editor_role_is_read_from_the_environment() -> None:
    assert Settings.from_env({"RUNLOCAL_EDITOR_ROLE_ID": "1234"}).editor_role_id == 1234
    assert Settings.from_env({}).editor_role_id is None
    with pytest.raises(SettingsError, match="EDITOR_ROLE_ID"):
        Settings.from_env({"RUNLOCAL_EDITOR_ROLE_ID": "editors"})
