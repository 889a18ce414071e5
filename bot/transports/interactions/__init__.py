"""`python -m bot serve-http`: Discord interactions over HTTP instead of the gateway.

`app` holds the aiohttp application (verify, route, answer), `signature` the Ed25519 check.
Both are imported only when the subcommand runs, so other subcommands start fast.
"""

from __future__ import annotations

import argparse


def _serve(args: argparse.Namespace) -> int:
    from bot.transports.interactions.app import run_serve_http

    return run_serve_http(args)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "serve-http", help="serve Discord interactions over HTTP (no gateway connection)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.set_defaults(func=_serve)
