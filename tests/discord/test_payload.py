"""The command payload `sync` uploads: built from the registry, and within Discord's rules."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.handlers.commands import commands
from bot.transports.discord_bot.editor_access import EDITOR_COMMANDS, MANAGE_GUILD
from bot.transports.discord_bot.payload import payload_problems, valid_name
from bot.transports.discord_bot.subcommands import build_payload

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def payload() -> list[dict[str, Any]]:
    return build_payload()


def test_the_real_payload_obeys_discords_rules(payload: list[dict[str, Any]]) -> None:
    assert payload_problems(payload) == []


def test_every_registry_command_and_the_editors_ones_are_in_the_payload_once(
    payload: list[dict[str, Any]],
) -> None:
    assert sorted(c["name"] for c in payload) == sorted([*commands(), *EDITOR_COMMANDS])


def test_editors_commands_are_hidden_from_members_and_direct_messages(
    payload: list[dict[str, Any]],
) -> None:
    for command in payload:
        if command["name"] in EDITOR_COMMANDS:
            assert int(command["default_member_permissions"]) == MANAGE_GUILD
            assert command["contexts"] == [0]  # servers only
        else:
            assert command.get("default_member_permissions") is None


def test_resolve_autocompletes_its_entry_and_takes_a_whole_number_id(
    payload: list[dict[str, Any]],
) -> None:
    [resolve] = [c for c in payload if c["name"] == "resolve"]
    options = {o["name"]: o for o in resolve["options"]}
    assert (options["id"]["type"], options["id"]["required"]) == (4, True)
    assert options["entry"]["autocomplete"] is True


def test_options_autocomplete_exactly_where_the_registry_says(
    payload: list[dict[str, Any]],
) -> None:
    for command in payload:
        if command["name"] in EDITOR_COMMANDS:
            continue
        spec = commands()[command["name"]]
        for option in command.get("options", []):
            declared = spec.option(option["name"])
            assert declared is not None
            assert option.get("autocomplete", False) == bool(
                declared.autocomplete and not declared.choices
            )
            assert option["required"] == declared.required


def test_commands_json_prints_the_same_payload_and_exits_zero() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "commands", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == build_payload()


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("define", True),
        ("kv_cache", True),
        ("willitrun", True),
        ("définir", True),
        ("Define", False),
        ("two words", False),
        ("", False),
        ("x" * 33, False),
        ("slash/name", False),
    ],
)
def test_name_rule(name: str, valid: bool) -> None:
    assert valid_name(name) is valid


def _broken(payload: list[dict[str, Any]], change: Any) -> list[str]:
    copied = copy.deepcopy(payload)
    change(copied[0])
    return payload_problems(copied)


def _option(name: str, required: bool = True, **extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": "d", "required": required, **extra}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda c: c.update(name="Define"), "naming rule"),
        (lambda c: c.update(description=""), "description"),
        (lambda c: c.update(description="d" * 101), "description"),
        (lambda c: c.update(options=[_option(f"o{n}") for n in range(26)]), "26 options"),
        (
            lambda c: c.update(options=[_option("a", required=False), _option("b")]),
            "after an optional",
        ),
        (lambda c: c.update(options=[_option("a"), _option("a")]), "share a name"),
        (
            lambda c: c.update(
                options=[_option("a", choices=[{"name": str(n), "value": "v"} for n in range(26)])]
            ),
            "26 choices",
        ),
        (
            lambda c: c.update(options=[_option("a", choices=[{"name": "n" * 101, "value": "v"}])]),
            "choice name",
        ),
        (
            lambda c: c.update(
                options=[_option("a", autocomplete=True, choices=[{"name": "n", "value": "v"}])]
            ),
            "cannot be combined",
        ),
        (lambda c: c.update(options=[_option("a", max_length=6001)]), "max_length"),
        (
            lambda c: c.update(
                options=[
                    _option(
                        f"o{n}",
                        description="d" * 100,
                        choices=[{"name": "n" * 100, "value": "v" * 100} for _ in range(25)],
                    )
                    for n in range(3)
                ]
            ),
            "8000",
        ),
    ],
)
def test_each_broken_rule_is_reported(
    payload: list[dict[str, Any]], change: Any, expected: str
) -> None:
    problems = _broken(payload, change)
    assert any(expected in p for p in problems), problems


def test_duplicate_and_too_many_commands_are_reported(payload: list[dict[str, Any]]) -> None:
    assert any("two commands" in p for p in payload_problems(payload + payload[:1]))
    many = [{**payload[0], "name": f"c{n}"} for n in range(101)]
    assert any("at most 100" in p for p in payload_problems(many))
