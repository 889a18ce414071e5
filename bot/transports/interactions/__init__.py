"""`python -m bot serve-http`: Discord interactions over HTTP instead of the gateway.

`app` holds the aiohttp application (verify, route, answer), `signature` the Ed25519 check.
Both are imported only when the subcommand runs, so other subcommands start fast.
"""

from __future__ import annotations

import argparse


def _serve(args: argparse.Namespace) -> int:
    from bot.transports.interactions.app import run_serve_http

    return run_serve_http(args)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("use a whole number, e.g. 2") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("use a number from 1 to 64")
    return value


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "serve-http", help="serve Discord interactions over HTTP (no gateway connection)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="processes sharing the port (SO_REUSEPORT); one per CPU core serves the most",
    )
    parser.set_defaults(func=_serve)
