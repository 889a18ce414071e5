"""Discord settings from the environment, and the run/sync commands' clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


def test_discord_names_are_read_and_runlocal_names_win() -> None:
    env = {"DISCORD_TOKEN": "plain", "DISCORD_APPLICATION_ID": "123"}
    settings = Settings.from_env(env)
    assert settings.require_discord_token() == "plain"
    assert settings.discord_application_id == 123
    env["RUNLOCAL_DISCORD_TOKEN"] = "prefixed"
    assert Settings.from_env(env).require_discord_token() == "prefixed"


def test_the_token_never_shows_in_a_repr() -> None:
    assert "sekrit" not in repr(Settings.from_env({"DISCORD_TOKEN": "sekrit"}))


def test_a_missing_token_says_where_to_get_one() -> None:
    with pytest.raises(SettingsError, match="DISCORD_TOKEN is not set"):
        Settings.from_env({}).require_discord_token()


@pytest.mark.parametrize(
    ("raw", "sharded", "count"), [("off", False, None), ("auto", True, None), ("4", True, 4)]
)
def test_shards(raw: str, sharded: bool, count: int | None) -> None:
    settings = Settings.from_env({"RUNLOCAL_DISCORD_SHARDS": raw})
    assert (settings.sharded, settings.shard_count) == (sharded, count)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RUNLOCAL_DISCORD_SHARDS", "many"),
        ("RUNLOCAL_COOLDOWN_USES", "0"),
        ("RUNLOCAL_COOLDOWN_SECONDS", "-1"),
        ("DISCORD_APPLICATION_ID", "abc"),
    ],
)
def test_bad_values_name_their_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({name: value})
    assert (
        name.removeprefix("RUNLOCAL_").lower().replace("discord_app", "discord_app")
        in str(caught.value).lower()
    )


def _bot(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "DISCORD" not in k}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("subcommand", ["run", "sync"])
def test_run_and_sync_without_a_token_exit_with_a_clear_message(subcommand: str) -> None:
    done = _bot(subcommand)
    assert done.returncode == 2
    assert "DISCORD_TOKEN is not set" in done.stderr
    assert "Traceback" not in done.stderr
