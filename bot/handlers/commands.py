"""Every command the bot answers, described once for all transports.

The console parses against these specs, the Discord layer builds its slash commands from them and
the HTTP endpoint routes with them, so a command is added in one place: here.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from bot.handlers import (
    about,
    ask,
    bench,
    catalog,
    choosegpu,
    compare,
    cost,
    define,
    fix,
    willitrun,
)
from bot.handlers.spec import Command, IndexName, Option
from bot.planning.words import split_budget, split_positional, split_rigs


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


def _split_cost(text: str) -> dict[str, str]:
    return split_positional(COST_OPTIONS_ORDER, text)


def _split_bench(text: str) -> dict[str, str]:
    return split_positional(("model", "hardware"), text)


def _split_compare(text: str) -> dict[str, str]:
    return dict(zip(("a", "b", "c"), split_rigs(text), strict=False))


COST_OPTIONS_ORDER = ("model", "hardware", "hours_per_day", "electricity_price", "watts")


def _planning_commands() -> list[Command]:
    """/bench, /cost, /compare and /choosegpu: the catalog site's other tools."""
    model = Option("model", "A model: Ollama tag, Hugging Face id or name", autocomplete="models")
    device = "A GPU, Mac or rig, e.g. 2x3090, M3 Max 128GB, 4090 + 64GB DDR5"
    return [
        Command(
            "bench",
            "Measured speeds and memory for a model, with their sources",
            (
                model,
                Option(
                    "hardware",
                    "Only on this device or rig, e.g. RTX 3090",
                    required=False,
                    autocomplete="hardware",
                ),
            ),
            bench.bench,
            split_positional=_split_bench,
        ),
        Command(
            "cost",
            "Home cost per million tokens against cloud prices, and the break-even",
            (
                model,
                Option("hardware", device, autocomplete="hardware"),
                Option(
                    "hours_per_day",
                    "Hours of generation a day (default 4)",
                    required=False,
                    type="integer",
                    min_value=1,
                    max_value=24,
                ),
                Option(
                    "electricity_price",
                    "Your price per kWh in USD, e.g. 0.30 or 30c (default: US average)",
                    required=False,
                    max_length=20,
                ),
                Option(
                    "watts",
                    "Power you measure at the wall while generating (default: rated power)",
                    required=False,
                    type="integer",
                    min_value=1,
                    max_value=10_000,
                ),
            ),
            cost.cost,
            split_positional=_split_cost,
        ),
        Command(
            "compare",
            "Compare two or three GPUs, Macs or rigs side by side",
            (
                Option("a", device, autocomplete="hardware"),
                Option("b", "The hardware to compare it with", autocomplete="hardware"),
                Option("c", "A third one (optional)", required=False, autocomplete="hardware"),
            ),
            compare.compare,
            split_positional=_split_compare,
        ),
        Command(
            "choosegpu",
            "The best hardware for a budget, for a model or a use",
            (
                Option(
                    "budget",
                    "Your budget in US dollars",
                    type="integer",
                    min_value=50,
                    max_value=1_000_000,
                ),
                Option(
                    "target",
                    "What for, e.g. 70B at 10 tok/s, coding 32B, qwen2.5:72b",
                    required=False,
                    autocomplete="models",
                ),
            ),
            choosegpu.choosegpu,
            split_positional=split_budget,
        ),
    ]


@cache
def commands() -> Mapping[str, Command]:
    """All commands by name; a duplicate name is a programming error caught at start."""
    registry: dict[str, Command] = {}
    for command in [*_define_commands(), *_page_commands(), *_planning_commands()]:
        if command.name in registry:
            raise ValueError(f"two commands are named {command.name!r}")
        registry[command.name] = command
    return MappingProxyType(registry)
