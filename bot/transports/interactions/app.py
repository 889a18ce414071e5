"""The HTTP interactions endpoint: slash commands delivered by Discord as signed requests.

Discord can POST each interaction to a URL instead of sending it through the gateway. Every
request is verified (Ed25519 signature and timestamp) before anything in it is read, and the
answer goes back in the HTTP response. The process keeps no state between requests (buttons
carry what they need in their `custom_id`), so any number of copies can run behind an ordinary
load balancer; each copy logs misses to its own SQLite file unless they share a data folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from nacl.signing import VerifyKey

from bot.app import build_dispatcher
from bot.handlers.commands import commands
from bot.handlers.dispatch import FEEDBACK_THANKS, Dispatcher, Invocation
from bot.render.components import answer_components, parse_click, report_modal, submitted_text
from bot.render.embed import has_more, notice_embed, render_embed
from bot.schema.answers import Answer
from bot.settings import Settings, SettingsError
from bot.transports.discord_bot.autocomplete import choices
from bot.transports.discord_bot.editor_access import EDITOR_COMMANDS, HTTP_ONLY
from bot.transports.interactions.signature import SignatureRejected, load_public_key, verify_request

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
"""Interactions are a few kilobytes; anything far larger is not from Discord."""
EPHEMERAL = 1 << 6
NO_MENTIONS: dict[str, list[str]] = {"parse": []}

PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
PONG, CHANNEL_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 1, 4, 8, 9

DISPATCHER = web.AppKey("dispatcher", Dispatcher)
PUBLIC_KEY = web.AppKey("public_key", VerifyKey)

Interaction = dict[str, Any]


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _user_id(interaction: Interaction) -> int | None:
    member = interaction.get("member") or {}
    user = member.get("user") or interaction.get("user") or {}
    return _int(user.get("id")) if isinstance(user, dict) else None


def _where(interaction: Interaction) -> dict[str, int | None]:
    return {
        "guild_id": _int(interaction.get("guild_id")),
        "channel_id": _int(interaction.get("channel_id")),
        "user_id": _user_id(interaction),
    }


def invocation_from(interaction: Interaction) -> Invocation:
    """The command and its options from an APPLICATION_COMMAND or AUTOCOMPLETE payload."""
    data = interaction.get("data") or {}
    options = {
        str(o.get("name")): o.get("value")
        for o in data.get("options") or []
        if isinstance(o, dict) and isinstance(o.get("value"), str | int)
    }
    return Invocation(command=str(data.get("name", "")), options=options, **_where(interaction))


def message(embeds: list[dict[str, Any]], *, ephemeral: bool, components: list[Any] | None = None):
    """A CHANNEL_MESSAGE response that can never ping anyone."""
    data: dict[str, Any] = {"embeds": embeds, "allowed_mentions": NO_MENTIONS}
    if components:
        data["components"] = components
    if ephemeral:
        data["flags"] = EPHEMERAL
    return {"type": CHANNEL_MESSAGE, "data": data}


def answer_message(answer: Answer) -> dict[str, Any]:
    """An answer as Discord shows it: the compact embed, buttons, private if it is a miss."""
    private = answer.error or not answer.answered
    buttons = (
        [] if private else answer_components(answer.kind, answer.entry_id, more=has_more(answer))
    )
    return message([render_embed(answer)], ephemeral=private, components=buttons)


def notice(text: str) -> dict[str, Any]:
    return message([notice_embed(text)], ephemeral=True)


async def on_command(dispatcher: Dispatcher, interaction: Interaction) -> dict[str, Any]:
    """The answer to a slash command; the editors' commands are the gateway bot's alone."""
    invocation = invocation_from(interaction)
    if invocation.command in EDITOR_COMMANDS:
        return notice(HTTP_ONLY)
    return answer_message(await dispatcher.run(invocation))


async def on_autocomplete(dispatcher: Dispatcher, interaction: Interaction) -> dict[str, Any]:
    """Up to 25 choices for the focused option, from the in-memory indexes."""
    data = interaction.get("data") or {}
    options = [o for o in data.get("options") or [] if isinstance(o, dict)]
    focused = next((o for o in options if o.get("focused")), {})
    spec = commands().get(str(data.get("name", "")))
    option = spec.option(str(focused.get("name", ""))) if spec else None
    found: list[tuple[str, str]] = []
    if option is not None and option.autocomplete is not None:
        found = choices(
            dispatcher.content.snapshot, option.autocomplete, str(focused.get("value", ""))
        )
    return {
        "type": AUTOCOMPLETE_RESULT,
        "data": {"choices": [{"name": name, "value": value} for name, value in found]},
    }


async def on_component(dispatcher: Dispatcher, interaction: Interaction) -> dict[str, Any]:
    """A button under an answer: a vote, "Report a mistake" (opens the form) or "Show more"."""
    click = parse_click(str((interaction.get("data") or {}).get("custom_id", "")))
    if click is None:
        return notice("That button is no longer in use.")
    if click.action == "report":
        return {"type": MODAL, "data": report_modal(click.kind, click.entry_id)}
    if click.action == "more":
        answer = await dispatcher.answer_for_entry(click.kind, click.entry_id)
        if answer is None:
            return notice("That entry is no longer available.")
        # One HTTP response carries one message: the first page of the full entry.
        full = render_embed(answer, full=True)
        return message(
            [full],
            ephemeral=True,
            components=answer_components(answer.kind, answer.entry_id, more=False),
        )
    if click.action == "vote":
        await dispatcher.feedback(click.kind, click.entry_id, click.vote, **_where(interaction))
        return notice(FEEDBACK_THANKS[click.vote])
    return notice("That button is no longer in use.")


async def on_modal(dispatcher: Dispatcher, interaction: Interaction) -> dict[str, Any]:
    """The "Report a mistake" form: the text goes to the editors' log."""
    data = interaction.get("data") or {}
    click = parse_click(str(data.get("custom_id", "")))
    if click is None or click.action != "form":
        return notice("That form is no longer in use.")
    text = submitted_text(data)
    await dispatcher.feedback(
        click.kind, click.entry_id, "report", detail=text, **_where(interaction)
    )
    return notice(FEEDBACK_THANKS["report"])


ROUTES: dict[int, Callable[[Dispatcher, Interaction], Awaitable[dict[str, Any]]]] = {
    APPLICATION_COMMAND: on_command,
    AUTOCOMPLETE: on_autocomplete,
    MESSAGE_COMPONENT: on_component,
    MODAL_SUBMIT: on_modal,
}


async def _read_verified(request: web.Request) -> bytes:
    """The body, once its size, signature and timestamp check out; else an HTTP error."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise web.HTTPRequestEntityTooLarge(
            max_size=MAX_BODY_BYTES, actual_size=request.content_length
        )
    body = await request.content.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY_BYTES, actual_size=len(body))
    try:
        verify_request(
            request.app[PUBLIC_KEY],
            request.headers.get("X-Signature-Ed25519"),
            request.headers.get("X-Signature-Timestamp"),
            body,
        )
    except SignatureRejected as error:
        raise web.HTTPUnauthorized(text=str(error)) from None
    return body


async def interactions(request: web.Request) -> web.Response:
    """Verify, then route by interaction type. Unknown types get a 400, never a crash."""
    body = await _read_verified(request)
    try:
        interaction = json.loads(body)
        kind = interaction["type"]
    except (ValueError, KeyError, TypeError):
        raise web.HTTPBadRequest(text="not an interaction") from None
    if kind == PING:
        return web.json_response({"type": PONG})
    route = ROUTES.get(kind)
    if route is None:
        raise web.HTTPBadRequest(text=f"interaction type {kind!r} is not handled")
    try:
        response = await route(request.app[DISPATCHER], interaction)
    except Exception:
        log.exception("interaction of type %s failed", kind)
        response = notice("Sorry, something went wrong on my side. It has been logged.")
    return web.json_response(response)


async def healthz(request: web.Request) -> web.Response:
    counts = request.app[DISPATCHER].content.snapshot.counts()
    return web.json_response({"ok": True, "content": counts})


def build_app(dispatcher: Dispatcher, public_key: VerifyKey) -> web.Application:
    """The aiohttp application: POST /interactions and GET /healthz."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[DISPATCHER] = dispatcher
    app[PUBLIC_KEY] = public_key
    app.router.add_post("/interactions", interactions)
    app.router.add_get("/healthz", healthz)
    return app


def run_serve_http(args: argparse.Namespace) -> int:
    """Serve until stopped; exit 2 with a clear message when the public key is missing."""
    try:
        settings = Settings.from_env()
        key = load_public_key(settings.require_public_key())
    except (SettingsError, ValueError) as error:
        print(f"error: {error}")
        return 2
    log.info(
        "serving Discord interactions on http://%s:%s/interactions with %d worker(s)",
        args.host,
        args.port,
        args.workers,
    )
    if args.workers == 1:
        _serve_one(settings, key, args.host, args.port, reuse_port=False)
        return 0
    return _serve_many(settings, args.host, args.port, args.workers)


def _serve_one(
    settings: Settings, key: VerifyKey, host: str, port: int, *, reuse_port: bool
) -> None:
    web.run_app(
        build_app(build_dispatcher(settings), key),
        host=host,
        port=port,
        reuse_port=reuse_port or None,
        access_log=None,
        print=None,
        handle_signals=True,
    )


def _worker(settings: Settings, host: str, port: int) -> None:
    key = load_public_key(settings.require_public_key())
    _serve_one(settings, key, host, port, reuse_port=True)


def _serve_many(settings: Settings, host: str, port: int, workers: int) -> int:
    """N processes on one port (SO_REUSEPORT): the kernel spreads connections between them.

    Each worker is the same stateless app; the parent only starts them and passes SIGTERM and
    SIGINT on, so a stop is as clean as with one process.
    """
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(target=_worker, args=(settings, host, port), daemon=False)
        for _ in range(workers)
    ]
    for child in children:
        child.start()

    stopped_by: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopped_by.append(signum)
        for child in children:
            if child.is_alive() and child.pid is not None:
                os.kill(child.pid, signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        child.join()
    # A worker still starting up when the stop came ends by the signal itself: that is clean too.
    clean = {0, *(-signum for signum in stopped_by)}
    return 0 if all(child.exitcode in clean for child in children) else 1
