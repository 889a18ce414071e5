"""The deployment files: as far as a machine without a Docker engine can check them.

Every command they run must be one the CLI accepts, every variable in the example environment
must be a setting the bot knows, and the image must not run as root. The commands themselves are
started elsewhere (tests/discord for `run`, tests/interactions for `serve-http`, tests/web for
`web`); here `health`, the image's health check, is run as the image would run it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import build_parser
from bot.settings import ENV_ALIASES, ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def bot_argv(argv: list[str]) -> list[str]:
    """The arguments after `python -m bot`, wherever the interpreter lives."""
    position = argv.index("-m")
    assert argv[position + 1] == "bot", argv
    return argv[position + 2 :]


def assert_cli_accepts(argv: list[str]) -> None:
    build_parser().parse_args(bot_argv(argv))


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    rows = [line.strip() for line in text.splitlines()]
    return [tuple(row.split(None, 1)) for row in rows if row and not row.startswith("#")]  # type: ignore[misc]


def test_the_image_runs_as_an_unprivileged_user_with_a_health_check() -> None:
    instructions = dockerfile_instructions()
    users = [value for key, value in instructions if key == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert instructions[0][1].startswith("python:3.11-slim")
    health = next(value for key, value in instructions if key == "HEALTHCHECK")
    assert_cli_accepts(json.loads(health.split("CMD", 1)[1]))
    command = next(value for key, value in reversed(instructions) if key == "CMD")
    assert_cli_accepts(json.loads(command))


def test_every_compose_service_runs_a_real_subcommand_with_the_data_volume() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert set(compose["services"]) == {"bot", "editors", "interactions"}
    for name, service in compose["services"].items():
        assert_cli_accepts(service["command"])
        assert "data:/data" in service["volumes"], name
        assert service["env_file"] == "runlocal.env"
    assert "data" in compose["volumes"]


def test_the_systemd_unit_starts_the_bot_and_reloads_with_sighup() -> None:
    unit = (DEPLOY / "runlocal-bot.service").read_text()
    fields = dict(re.findall(r"^(\w+)=(.*)$", unit, flags=re.M))
    assert_cli_accepts(shlex.split(fields["ExecStart"]))
    assert fields["User"] not in ("root", "0")
    assert "-HUP" in fields["ExecReload"]
    assert fields["KillSignal"] == "SIGTERM"


def known_variables() -> set[str]:
    names = {ENV_PREFIX + field.upper() for field in Settings.model_fields}
    return names | set(ENV_ALIASES.values())


def test_every_example_variable_is_a_setting_the_bot_reads() -> None:
    lines = (DEPLOY / "runlocal.env.example").read_text().splitlines()
    variables = {
        re.match(r"#?\s*([A-Z_]+)=", line).group(1)  # type: ignore[union-attr]
        for line in lines
        if re.match(r"#?\s*[A-Z_]+=", line)
    }
    assert variables
    assert variables <= known_variables(), variables - known_variables()


def test_the_health_check_passes_as_the_image_runs_it(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "RUNLOCAL_DATA_DIR": str(tmp_path / "data"),
        "RUNLOCAL_LOG_FORMAT": "json",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "ok")


def test_the_health_check_fails_on_a_data_folder_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUNLOCAL_DATA_DIR": str(blocker / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("unhealthy:")


@pytest.mark.parametrize("variable", ["RUNLOCAL_LOG_LEVEL", "RUNLOCAL_DISCORD_SHARDS"])
def test_a_bad_setting_is_refused_with_its_name(variable: str) -> None:
    from bot.settings import SettingsError

    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: "nonsense"})
