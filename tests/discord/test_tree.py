"""Slash commands built from registry specs: types, ranges, choices, order, autocomplete."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from bot.handlers.spec import Command, Option
from bot.schema.answers import Answer
from bot.transports.discord_bot.tree import command_payload, slash_command


def _handler(snapshot: object, **options: object) -> Answer:
    return Answer(kind="x", answered=True, title="t", summary="s")


FIT_LIKE = Command(
    "willitrun",
    "Will this model run on my hardware?",
    (
        Option("model", "A model", autocomplete="models"),
        Option(
            "context",
            "Context length",
            required=False,
            type="integer",
            min_value=512,
            max_value=1_048_576,
        ),
        Option("kv_cache", "KV cache type", required=False, choices=("f16", "q8_0", "q4_0")),
        Option("hardware", "Your hardware", autocomplete="hardware"),
        Option("runtime", "Runtime", required=False, autocomplete="tools"),
    ),
    _handler,
)


def payload_of(spec: Command) -> dict[str, Any]:
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    tree.add_command(slash_command(spec))
    [command] = command_payload(tree)
    return command


def test_required_options_come_first_and_keep_their_order() -> None:
    names = [o["name"] for o in payload_of(FIT_LIKE)["options"]]
    assert names == ["model", "hardware", "context", "kv_cache", "runtime"]


def test_an_integer_option_carries_its_range() -> None:
    context = next(o for o in payload_of(FIT_LIKE)["options"] if o["name"] == "context")
    assert (context["type"], context["min_value"], context["max_value"]) == (4, 512, 1_048_576)
    assert context["required"] is False


def test_choices_are_listed_and_replace_autocomplete() -> None:
    kv = next(o for o in payload_of(FIT_LIKE)["options"] if o["name"] == "kv_cache")
    assert [c["value"] for c in kv["choices"]] == ["f16", "q8_0", "q4_0"]
    assert not kv.get("autocomplete")


def test_autocomplete_is_set_on_every_indexed_option() -> None:
    flagged = {o["name"] for o in payload_of(FIT_LIKE)["options"] if o.get("autocomplete")}
    assert flagged == {"model", "hardware", "runtime"}


def test_descriptions_come_from_the_spec_and_are_cut_to_100() -> None:
    spec = Command("long", "d" * 300, (Option("term", "o" * 300),), _handler)
    command = payload_of(spec)
    assert len(command["description"]) == 100
    assert len(command["options"][0]["description"]) == 100


def test_too_many_options_is_refused_while_building() -> None:
    spec = Command("many", "d", tuple(Option(f"o{n}", "d") for n in range(26)), _handler)
    with pytest.raises(ValueError, match="25"):
        slash_command(spec)


def test_a_command_without_options_is_fine() -> None:
    assert (
        "options" not in payload_of(Command("about", "About", (), _handler))
        or not payload_of(Command("about", "About", (), _handler))["options"]
    )
