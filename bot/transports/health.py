"""`python -m bot health`: the container health check. Exit 0 when the bot could serve."""

from __future__ import annotations

import argparse
import sys
import tempfile

from bot.content.loader import load_content
from bot.content.problems import ContentError
from bot.settings import Settings, SettingsError


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("health", help="check settings, content and the data folder")
    parser.set_defaults(func=run_health, quiet_logs=True)


def run_health(args: argparse.Namespace) -> int:
    """Settings valid, content loads, data folder writable: the three things a restart can fix."""
    try:
        settings = Settings.from_env()
        load_content(settings.content_dir)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=settings.data_dir):
            pass
    except (SettingsError, ContentError, OSError) as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    print("ok")
    return 0
