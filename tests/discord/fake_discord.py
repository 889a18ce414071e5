"""A small fake Discord on 127.0.0.1: enough gateway and REST for discord.py 2.7.1 to log in,
receive interactions and answer them, with every request the bot makes recorded.

Gateway: HELLO, IDENTIFY → READY, heartbeats → ACK, then whatever events a test pushes.
REST: the current user, application info, `/gateway/bot`, command bulk overwrites (global and
per server), interaction callbacks, and follow-ups/edits/deletes through the webhook routes.
discord.py reaches it through two library internals (`discord.http.Route.BASE` and
`DiscordWebSocket.DEFAULT_GATEWAY`); `pyproject.toml` pins the version these were checked on.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

API = "/api/v10"
APP_ID = 900000000000000001
BOT_ID = 900000000000000002
USER_ID = 700000000000000001
GUILD_ID = 800000000000000001
CHANNEL_ID = 800000000000000002
BOT_USER = {
    "id": str(BOT_ID),
    "username": "RunLocal",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
}
TESTER = {
    "id": str(USER_ID),
    "username": "tester",
    "discriminator": "0",
    "global_name": "Tester",
    "avatar": None,
}


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only when Content-Type is exactly application/json.
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )


@dataclass
class Request:
    """One REST call the bot made."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass
class FakeDiscord:
    """The server; `requests` holds every REST call, in order."""

    requests: list[Request] = field(default_factory=list)
    identified: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000_000))
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)
    _runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def next_id(self) -> str:
        return str(next(self._ids))

    # ---- gateway -------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            if payload["op"] == 1:
                await socket.send_json({"op": 11})
            elif payload["op"] == 2:
                shard = payload["d"].get("shard", [0, 1])
                await self._send(socket, "READY", self._ready(shard))
                self.identified.set()
        return socket

    def _ready(self, shard: list[int]) -> dict[str, Any]:
        return {
            "v": 10,
            "user": BOT_USER,
            "guilds": [],
            "session_id": "fake-session",
            "resume_gateway_url": self.gateway,
            "application": {"id": str(APP_ID), "flags": 0},
            "shard": shard,
        }

    async def _send(self, socket: web.WebSocketResponse, event: str, data: Any) -> None:
        await socket.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})

    async def dispatch(self, event: str, data: Any) -> None:
        """Push a gateway event to the connected bot."""
        await self._send(self._sockets[-1], event, data)

    # ---- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw and request.content_type == "application/json" else raw
        async with self._changed:
            self.requests.append(Request(request.method, path, dict(request.query), body))
            self._changed.notify_all()
        return self._answer(request.method, path, body)

    def _answer(self, method: str, path: str, body: Any) -> web.StreamResponse:  # noqa: PLR0911
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            return _json(BOT_USER)
        if path == "/oauth2/applications/@me":
            return _json(self._application())
        if path == "/gateway/bot":
            limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
            return _json({"url": self.gateway, "shards": 1, "session_start_limit": limit})
        if parts[0] == "applications" and parts[-1] == "commands" and method == "PUT":
            return _json([self._command(c, parts) for c in body])
        if parts[0] == "interactions" and parts[-1] == "callback":
            return _json(self._callback(parts[1], body))
        if parts[0] == "webhooks" and method == "DELETE":
            return web.Response(status=204)
        if parts[0] == "webhooks":
            return _json(self._message(body or {}))
        return _json({"message": f"fake Discord has no {method} {path}", "code": 0}, status=404)

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(APP_ID),
            "name": "RunLocal",
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": TESTER,
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
        }

    def _command(self, command: dict[str, Any], parts: list[str]) -> dict[str, Any]:
        out = {**command, "id": self.next_id(), "application_id": str(APP_ID), "version": "1"}
        if "guilds" in parts:
            out["guild_id"] = parts[parts.index("guilds") + 1]
        return out

    def _callback(self, interaction_id: str, body: dict[str, Any]) -> dict[str, Any]:
        data = body.get("data") or {}
        flags = int(data.get("flags") or 0)
        answer: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": 2,
                "response_message_loading": body.get("type") == 5,
                "response_message_ephemeral": bool(flags & 64),
            }
        }
        if body.get("type") in (4, 5, 7):
            answer["resource"] = {"type": body["type"], "message": self._message(data)}
        return answer

    def _message(self, data: dict[str, Any]) -> dict[str, Any]:
        return message_payload(self.next_id(), data)

    # ---- waiting on the bot ---------------------------------------------------------------

    async def wait_for(
        self, match: Callable[[Request], bool], *, start: int = 0, timeout: float = 5.0
    ) -> Request:
        """The first request from position `start` on that `match` accepts (waits for it)."""

        def found() -> Request | None:
            return next((r for r in self.requests[start:] if match(r)), None)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: found() is not None), timeout)
        result = found()
        assert result is not None
        return result


def message_payload(message_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """A message as Discord returns it, built from what the bot sent."""
    return {
        "id": message_id,
        "channel_id": str(CHANNEL_ID),
        "author": BOT_USER,
        "content": data.get("content") or "",
        "timestamp": "2026-11-22T12:00:00+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": data.get("embeds") or [],
        "components": data.get("components") or [],
        "pinned": False,
        "type": 0,
        "flags": int(data.get("flags") or 0),
        "application_id": str(APP_ID),
    }


_interaction_ids = itertools.count(5_000_000)


def interaction(kind: int, data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """An INTERACTION_CREATE payload from the tester in a server channel."""
    number = next(_interaction_ids)
    return {
        "id": str(number),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"token-{number}",
        "version": 1,
        "guild_id": str(GUILD_ID),
        "channel_id": str(CHANNEL_ID),
        "member": {
            "user": TESTER,
            "roles": [],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "permissions": "2048",
            "flags": 0,
        },
        "app_permissions": "0",
        "locale": "en-US",
        "guild_locale": "en-US",
        "attachment_size_limit": 8388608,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)},
        "context": 0,
        "data": data,
        **extra,
    }


def slash(name: str, **options: Any) -> dict[str, Any]:
    """A slash-command interaction (type 2)."""
    return interaction(
        2,
        {
            "id": "42",
            "name": name,
            "type": 1,
            "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()],
        },
    )


def autocomplete(name: str, focused: str, typed: str) -> dict[str, Any]:
    """An autocomplete interaction (type 4) for one option being typed."""
    return interaction(
        4,
        {
            "id": "42",
            "name": name,
            "type": 1,
            "options": [{"name": focused, "type": 3, "value": typed, "focused": True}],
        },
    )


def click(custom_id: str, message: dict[str, Any]) -> dict[str, Any]:
    """A button click (type 3) on a message the bot sent."""
    return interaction(3, {"custom_id": custom_id, "component_type": 2}, message=message)


def submit_form(custom_id: str, inputs: dict[str, str]) -> dict[str, Any]:
    """A modal submission (type 5)."""
    rows = [
        {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
        for key, value in inputs.items()
    ]
    return interaction(5, {"custom_id": custom_id, "components": rows})


def message_with_buttons(message_id: str, *custom_ids: str) -> dict[str, Any]:
    """A message the bot sent earlier (e.g. before a restart) carrying these buttons."""
    row = {
        "type": 1,
        "components": [{"type": 2, "style": 2, "label": "x", "custom_id": c} for c in custom_ids],
    }
    return message_payload(message_id, {"components": [row]})
