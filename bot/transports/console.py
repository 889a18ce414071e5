"""`python -m bot ask "/define foundation model"`: the same handlers as Discord, as text.

The line is read the way Discord users think of a command: `/name` then either options by name
(`model:llama 3 8b q8 hardware:arc a770`) or, for the common case, positional text.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from pathlib import Path

from bot.app import build_dispatcher
from bot.content.problems import ContentError
from bot.handlers.commands import commands
from bot.handlers.dispatch import Invocation
from bot.handlers.spec import Command
from bot.render.text import render_text
from bot.settings import Settings, SettingsError


class ConsoleInputError(ValueError):
    """The line does not start with a known command."""


def _named_options(command: Command, text: str) -> dict[str, str] | None:
    """Split `name:value name:value` where each name is one of the command's options."""
    names = "|".join(re.escape(o.name) for o in command.options)
    pattern = re.compile(rf"(?:^|\s)({names}):", re.IGNORECASE)
    marks = list(pattern.finditer(text))
    if not marks or text[: marks[0].start()].strip():
        return None
    options = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following else len(text)
        options[mark.group(1).lower()] = text[mark.end() : end].strip()
    return options


def _positional(command: Command, text: str) -> dict[str, str]:
    if command.split_positional is not None:
        return command.split_positional(text)
    if " | " in text:
        parts = [p.strip() for p in text.split(" | ")]
        return {o.name: p for o, p in zip(command.options, parts, strict=False)}
    return {command.options[0].name: text} if command.options else {}


def parse_line(line: str) -> Invocation:
    """Turn `/command rest` into an Invocation; raise ConsoleInputError if no command."""
    line = line.strip()
    head, _, rest = line.partition(" ")
    name = head.lstrip("/").lower()
    command = commands().get(name)
    if not head.startswith("/") or command is None:
        known = ", ".join(f"/{n}" for n in commands())
        raise ConsoleInputError(f"start with a command, one of: {known}")
    options = _named_options(command, rest) or _positional(command, rest.strip())
    return Invocation(command=name, options=options)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "ask", help="answer one command, as the bot would", description=__doc__
    )
    parser.add_argument("line", help='the command as typed in Discord, e.g. "/define GGUF"')
    parser.add_argument("--json", action="store_true", help="print the answer object as JSON")
    parser.add_argument("--content", type=Path, help="content folder (default: bundled)")
    parser.set_defaults(func=run_ask, quiet_logs=True)


def run_ask(args: argparse.Namespace) -> int:
    """Exit 0 when answered, 1 when the bot did not know, 2 when the input was unusable."""
    try:
        settings = Settings.from_env(content_dir=args.content)
        invocation = parse_line(args.line)
        dispatcher = build_dispatcher(settings)
    except (SettingsError, ConsoleInputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ContentError as error:
        print(f"error: {error}\nRun `python -m bot validate` for details.", file=sys.stderr)
        return 2
    answer = asyncio.run(dispatcher.run(invocation))
    if args.json:
        print(json.dumps(answer.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        print(render_text(answer), end="")
    if answer.error:
        return 2
    return 0 if answer.answered else 1
