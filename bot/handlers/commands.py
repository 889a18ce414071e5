"""Every command the bot answers, described once for all transports.

The console parses against these specs, the Discord layer builds its slash commands from them and
the HTTP endpoint routes with them, so a command is added in one place: here.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from bot.handlers import about, ask, catalog, define, fix, willitrun
from bot.handlers.spec import Command, IndexName, Option


def _text(name: str, description: str, index: IndexName | None) -> tuple[Option, ...]:
    return (Option(name=name, description=description, autocomplete=index),)


def _page_commands() -> list[Command]:
    return [
        Command(
            "about", "What this bot is, how it answers and how to report a mistake", (), about.about
        ),
    ]


def _define_commands() -> list[Command]:
    term = _text("term", "The term to explain, e.g. KV cache, GGUF, Q4_K_M", "glossary")
    return [
        Command("define", "Explain a local-AI term, with sources", term, define.define),
        Command(
            "glossary",
            "Explain a local-AI term, with sources (same as /define)",
            term,
            define.define,
            canonical="define",
        ),
        Command(
            "fix",
            "How to fix a problem: paste the error or describe it",
            _text("problem", "The error message or the problem, e.g. CUDA out of memory", "errors"),
            fix.fix,
        ),
        Command(
            "ask",
            "Ask a question about running models locally",
            _text("question", "Your question, e.g. how much RAM for a 70B model?", "ask"),
            ask.ask,
        ),
        Command(
            "model",
            "What the catalog knows about a model",
            _text("name", "A model: Ollama tag, Hugging Face id or name", "models"),
            catalog.model,
        ),
        Command(
            "hardware",
            "What the catalog knows about a GPU, Mac or other device",
            _text("name", "A GPU, Apple chip or other device, e.g. RTX 3090", "hardware"),
            catalog.hardware,
        ),
        *_willitrun_commands(),
    ]


def _willitrun_commands() -> list[Command]:
    description = "Will this model run on my hardware? Memory, speed and the best quantization"
    return [
        Command(
            "willitrun",
            description,
            willitrun.OPTIONS,
            willitrun.willitrun,
            split_positional=willitrun.split_positional,
        ),
        Command(
            "fit",
            description + " (same as /willitrun)",
            willitrun.OPTIONS,
            willitrun.willitrun,
            canonical="willitrun",
            split_positional=willitrun.split_positional,
        ),
    ]


@cache
def commands() -> Mapping[str, Command]:
    """All commands by name; a duplicate name is a programming error caught at start."""
    registry: dict[str, Command] = {}
    for command in [*_define_commands(), *_page_commands()]:
        if command.name in registry:
            raise ValueError(f"two commands are named {command.name!r}")
        registry[command.name] = command
    return MappingProxyType(registry)
