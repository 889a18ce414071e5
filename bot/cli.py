"""The command line: `python -m bot <subcommand>`. Each subcommand lives in its transport."""

from __future__ import annotations

import argparse
import logging
import os

from bot.settings import Settings, SettingsError, configure_logging
from bot.transports import console, discord_bot, editor, health, interactions, validate, web

SUBCOMMANDS = (console, validate, health, editor, web, discord_bot, interactions)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="RunLocal Bot")
    subparsers = parser.add_subparsers(dest="subcommand", required=True)
    for module in SUBCOMMANDS:
        module.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # One-shot commands print answers; their logs stay quiet unless asked for.
    quiet = getattr(args, "quiet_logs", False) and "RUNLOCAL_LOG_LEVEL" not in os.environ
    try:
        settings = Settings.from_env(log_level="WARNING" if quiet else None)
        configure_logging(settings)
    except SettingsError:
        logging.basicConfig(level=logging.WARNING)
    return int(args.func(args))
