"""`python -m bot serve-http`: slash commands delivered by Discord as signed HTTP requests.

Discord POSTs each interaction to this endpoint instead of sending it through the gateway. Every
request is verified (Ed25519 signature and timestamp) before it is read; the answer comes back
in the HTTP response, so the process keeps no state between requests and any number of copies
can run behind an ordinary load balancer.
"""

from __future__ import annotations

import argparse
import json
import logging
from typing import Any

from aiohttp import web
from nacl.signing import VerifyKey

from bot.app import build_dispatcher
from bot.handlers.dispatch import Dispatcher, Invocation
from bot.render.embed import render_embed
from bot.settings import Settings, SettingsError
from bot.transports.signature import SignatureRejected, load_public_key, verify_request

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
"""Interactions are a few kilobytes; anything far larger is not from Discord."""
EPHEMERAL = 1 << 6
NO_MENTIONS: dict[str, list[str]] = {"parse": []}

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
PONG, CHANNEL_MESSAGE, AUTOCOMPLETE_RESULT = 1, 4, 8

DISPATCHER = web.AppKey("dispatcher", Dispatcher)
PUBLIC_KEY = web.AppKey("public_key", VerifyKey)


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _user_id(interaction: dict[str, Any]) -> int | None:
    member = interaction.get("member") or {}
    user = member.get("user") or interaction.get("user") or {}
    return _int(user.get("id"))


def invocation_from(interaction: dict[str, Any]) -> Invocation:
    """The command and its options from an APPLICATION_COMMAND or AUTOCOMPLETE payload."""
    data = interaction.get("data") or {}
    options = {
        str(o.get("name")): o.get("value")
        for o in data.get("options") or []
        if isinstance(o, dict) and isinstance(o.get("value"), str | int)
    }
    return Invocation(
        command=str(data.get("name", "")),
        options=options,
        guild_id=_int(interaction.get("guild_id")),
        channel_id=_int(interaction.get("channel_id")),
        user_id=_user_id(interaction),
    )


def message_response(embed: dict[str, Any], *, ephemeral: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"embeds": [embed], "allowed_mentions": NO_MENTIONS}
    if ephemeral:
        data["flags"] = EPHEMERAL
    return {"type": CHANNEL_MESSAGE, "data": data}


async def _command(dispatcher: Dispatcher, interaction: dict[str, Any]) -> dict[str, Any]:
    answer = await dispatcher.run(invocation_from(interaction))
    return message_response(render_embed(answer), ephemeral=answer.error or not answer.answered)


async def _autocomplete(dispatcher: Dispatcher, interaction: dict[str, Any]) -> dict[str, Any]:
    from bot.handlers.autocomplete import choices

    data = interaction.get("data") or {}
    focused = next(
        (o for o in data.get("options") or [] if isinstance(o, dict) and o.get("focused")), {}
    )
    found = choices(
        dispatcher.content.snapshot,
        str(data.get("name", "")),
        str(focused.get("name", "")),
        str(focused.get("value", "")),
    )
    return {"type": AUTOCOMPLETE_RESULT, "data": {"choices": found}}


async def interactions(request: web.Request) -> web.Response:
    """Verify, then answer PING, commands and autocomplete; refuse the rest politely."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return web.json_response({"error": "body too large"}, status=413)
    body = await request.content.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return web.json_response({"error": "body too large"}, status=413)
    try:
        verify_request(
            request.app[PUBLIC_KEY],
            request.headers.get("X-Signature-Ed25519"),
            request.headers.get("X-Signature-Timestamp"),
            body,
        )
    except SignatureRejected as error:
        return web.json_response({"error": str(error)}, status=401)
    try:
        interaction = json.loads(body)
        kind = interaction["type"]
    except (ValueError, KeyError, TypeError):
        return web.json_response({"error": "not an interaction"}, status=400)
    dispatcher = request.app[DISPATCHER]
    if kind == PING:
        return web.json_response({"type": PONG})
    if kind == APPLICATION_COMMAND:
        return web.json_response(await _command(dispatcher, interaction))
    if kind == AUTOCOMPLETE:
        return web.json_response(await _autocomplete(dispatcher, interaction))
    return web.json_response({"error": f"interaction type {kind} is not handled"}, status=400)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response(
        {"ok": True, "content": request.app[DISPATCHER].content.snapshot.counts()}
    )


def build_app(dispatcher: Dispatcher, public_key: VerifyKey) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[DISPATCHER] = dispatcher
    app[PUBLIC_KEY] = public_key
    app.router.add_post("/interactions", interactions)
    app.router.add_get("/healthz", healthz)
    return app


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("serve-http", help="serve Discord interactions over HTTP")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.set_defaults(func=run_serve_http)


def run_serve_http(args: argparse.Namespace) -> int:
    try:
        settings = Settings.from_env()
        key = load_public_key(settings.require_public_key())
    except (SettingsError, ValueError) as error:
        print(f"error: {error}")
        return 2
    app = build_app(build_dispatcher(settings), key)
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None)
    return 0
