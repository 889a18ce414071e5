"""How a command is described: its options and its handler, independent of any transport."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from bot.content.snapshot import Snapshot
from bot.schema.answers import Answer

IndexName = Literal["glossary", "errors", "quick", "models", "hardware", "tools", "ask"]
Handler = Callable[..., Answer]
MAX_OPTION_LENGTH = 300
"""Longest text accepted in one option; longer input is cut, never rejected with a traceback."""


@dataclass(frozen=True)
class Option:
    """One option of a command, as Discord shows it and the console accepts it."""

    name: str
    description: str
    required: bool = True
    type: Literal["string", "integer"] = "string"
    autocomplete: IndexName | None = None
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    max_length: int = MAX_OPTION_LENGTH


@dataclass(frozen=True)
class Command:
    """A command: its options, the handler that answers it and, for the console, how to
    split a positional line into options."""

    name: str
    description: str
    options: tuple[Option, ...]
    handler: Handler
    canonical: str = ""
    """The command this one is another name for (`glossary` → `define`); empty if none."""
    split_positional: Callable[[str], dict[str, str]] | None = field(default=None, compare=False)

    @property
    def kind(self) -> str:
        return self.canonical or self.name

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)


def run_handler(command: Command, snapshot: Snapshot, options: Mapping[str, object]) -> Answer:
    """Call the handler with the options it declares (others are ignored)."""
    known = {o.name for o in command.options}
    return command.handler(snapshot, **{k: v for k, v in options.items() if k in known})
