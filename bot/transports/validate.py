"""`python -m bot validate`: check every content file and print all problems at once."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.content.loader import load_content
from bot.content.problems import ContentError
from bot.settings import Settings, SettingsError


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("validate", help="check the content files")
    parser.add_argument("--content", type=Path, help="content folder (default: bundled)")
    parser.set_defaults(func=run_validate, quiet_logs=True)


def run_validate(args: argparse.Namespace) -> int:
    """Exit 0 when all content is valid, 1 with one line per problem otherwise."""
    try:
        root = Settings.from_env(content_dir=args.content).content_dir
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        snapshot = load_content(root)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found.", file=sys.stderr)
        return 1
    counts = ", ".join(f"{count} {kind}" for kind, count in snapshot.counts().items())
    print(f"Content is valid: {counts}.")
    return 0
