"""Discord's rules for the application-command payload, checked before anything is synced.

Pure (no discord import). The rules are those of the "Application Commands" page of Discord's
developer docs: names 1-32 characters of letters, digits, `-`, `_` or `'`, lower case;
descriptions 1-100; at most 25 options, required ones first; at most 25 choices with names of
1-100 characters; string `max_length` up to 6000; 8000 characters per command in all; at most 100
global chat-input commands with unique names.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from bot.render.limits import (
    CHOICE_NAME,
    CHOICE_VALUE,
    CHOICES,
    COMMAND_DESCRIPTION,
    COMMAND_NAME,
    COMMAND_OPTIONS,
)

MAX_COMMANDS = 100
COMMAND_TOTAL = 8000
STRING_MAX_LENGTH = 6000
CHAT_INPUT = 1
SUBCOMMAND_TYPES = (1, 2)


def valid_name(name: object) -> bool:
    """1-32 characters, each a letter, digit, `-`, `_` or `'`, and no upper-case letter."""
    if not isinstance(name, str) or not 1 <= len(name) <= COMMAND_NAME:
        return False
    if name != name.lower():
        return False
    return all(c in "-_'" or unicodedata.category(c)[0] in "LN" for c in name)


def _text_ok(value: object, low: int, high: int) -> bool:
    return isinstance(value, str) and low <= len(value) <= high


def _option_problems(where: str, option: dict[str, Any]) -> list[str]:
    problems = []
    name = option.get("name")
    if not valid_name(name):
        problems.append(f"{where}: option name {name!r} breaks Discord's naming rule")
    if not _text_ok(option.get("description"), 1, COMMAND_DESCRIPTION):
        problems.append(f"{where} {name}: description must be 1-{COMMAND_DESCRIPTION} characters")
    choices = option.get("choices") or []
    if len(choices) > CHOICES:
        problems.append(f"{where} {name}: {len(choices)} choices, at most {CHOICES}")
    if choices and option.get("autocomplete"):
        problems.append(f"{where} {name}: choices and autocomplete cannot be combined")
    for choice in choices:
        if not _text_ok(choice.get("name"), 1, CHOICE_NAME):
            problems.append(f"{where} {name}: choice name {choice.get('name')!r} not 1-100 chars")
        value = choice.get("value")
        if isinstance(value, str) and not 1 <= len(value) <= CHOICE_VALUE:
            problems.append(f"{where} {name}: choice value {value!r} not 1-100 chars")
    for key in ("min_length", "max_length"):
        if key in option and not 0 <= int(option[key]) <= STRING_MAX_LENGTH:
            problems.append(f"{where} {name}: {key} must be 0-{STRING_MAX_LENGTH}")
    if option.get("type") in SUBCOMMAND_TYPES:
        problems += _options_problems(f"{where} {name}", option.get("options") or [])
    return problems


def _options_problems(where: str, options: list[dict[str, Any]]) -> list[str]:
    problems = []
    if len(options) > COMMAND_OPTIONS:
        problems.append(f"{where}: {len(options)} options, at most {COMMAND_OPTIONS}")
    names = [o.get("name") for o in options]
    if len(names) != len(set(names)):
        problems.append(f"{where}: two options share a name")
    seen_optional = False
    for option in options:
        if option.get("type") not in SUBCOMMAND_TYPES:
            if not option.get("required"):
                seen_optional = True
            elif seen_optional:
                problems.append(
                    f"{where}: required option {option.get('name')!r} after an optional one"
                )
        problems += _option_problems(where, option)
    return problems


def _characters(command: dict[str, Any]) -> int:
    """Characters Discord counts toward a command's 8000: names, descriptions, choice names."""
    total = len(command.get("name", "")) + len(command.get("description", ""))
    stack = list(command.get("options") or [])
    while stack:
        option = stack.pop()
        total += len(option.get("name", "")) + len(option.get("description", ""))
        total += sum(
            len(str(c.get("name", ""))) + len(str(c.get("value", "")))
            for c in option.get("choices") or []
        )
        stack.extend(option.get("options") or [])
    return total


def payload_problems(payload: list[dict[str, Any]]) -> list[str]:
    """Every rule the payload breaks, one sentence each; [] when Discord would accept it."""
    problems = []
    if len(payload) > MAX_COMMANDS:
        problems.append(f"{len(payload)} commands, at most {MAX_COMMANDS}")
    names = [c.get("name") for c in payload]
    for name in {n for n in names if names.count(n) > 1}:
        problems.append(f"two commands are named {name!r}")
    for command in payload:
        where = f"/{command.get('name')}"
        if command.get("type", CHAT_INPUT) == CHAT_INPUT:
            if not valid_name(command.get("name")):
                problems.append(f"{where}: name breaks Discord's naming rule")
            if not _text_ok(command.get("description"), 1, COMMAND_DESCRIPTION):
                problems.append(f"{where}: description must be 1-{COMMAND_DESCRIPTION} characters")
        problems += _options_problems(where, command.get("options") or [])
        if _characters(command) > COMMAND_TOTAL:
            problems.append(f"{where}: over {COMMAND_TOTAL} characters in all")
    return problems
