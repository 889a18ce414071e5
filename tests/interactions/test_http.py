"""The HTTP interactions endpoint, driven with real Ed25519-signed requests on loopback."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from nacl.signing import SigningKey

from bot.content.holder import ContentHolder
from bot.handlers.dispatch import Dispatcher
from bot.schema.misses import Miss
from bot.transports.interactions.app import EPHEMERAL, MAX_BODY_BYTES, build_app
from bot.transports.interactions.signature import load_public_key
from tests.conftest import FIXTURE_CONTENT

SIGNER = SigningKey.generate()
PUBLIC_HEX = SIGNER.verify_key.encode().hex()


class RecordingMissLog:
    def __init__(self) -> None:
        self.rows: list[Miss] = []

    async def record(self, miss: Miss) -> None:
        self.rows.append(miss)

    async def resolution(self, command: str, option: str, normalised: str) -> str | None:
        return None


@pytest.fixture
def misses() -> RecordingMissLog:
    return RecordingMissLog()


@pytest.fixture
async def client(misses: RecordingMissLog) -> AsyncIterator[TestClient]:
    dispatcher = Dispatcher(ContentHolder(FIXTURE_CONTENT), misses, salt="pepper")
    async with TestClient(TestServer(build_app(dispatcher, load_public_key(PUBLIC_HEX)))) as c:
        yield c


def signed(body: bytes, *, key: SigningKey = SIGNER, at: float | None = None) -> dict[str, str]:
    stamp = str(int(time.time() if at is None else at))
    signature = key.sign(stamp.encode() + body).signature.hex()
    return {
        "X-Signature-Ed25519": signature,
        "X-Signature-Timestamp": stamp,
        "Content-Type": "application/json",
    }


async def post(client: TestClient, payload: dict[str, Any], **sign: Any) -> tuple[int, Any]:
    body = json.dumps(payload).encode()
    response = await client.post("/interactions", data=body, headers=signed(body, **sign))
    text = await response.text()
    try:
        return response.status, json.loads(text)
    except ValueError:
        return response.status, text


def command(name: str, **options: str | int) -> dict[str, Any]:
    return {
        "type": 2,
        "id": "1",
        "token": "t",
        "guild_id": "10",
        "channel_id": "20",
        "member": {"user": {"id": "424242"}},
        "data": {
            "name": name,
            "options": [{"name": k, "value": v, "type": 3} for k, v in options.items()],
        },
    }


def button(custom_id: str) -> dict[str, Any]:
    return {
        "type": 3,
        "id": "2",
        "token": "t",
        "user": {"id": "7"},
        "data": {"custom_id": custom_id, "component_type": 2},
    }


async def test_ping_is_answered_with_pong(client: TestClient) -> None:
    assert await post(client, {"type": 1}) == (200, {"type": 1})


async def test_a_wrong_key_is_refused(client: TestClient) -> None:
    status, _ = await post(client, {"type": 1}, key=SigningKey.generate())
    assert status == 401


async def test_a_stale_timestamp_is_refused(client: TestClient) -> None:
    status, text = await post(client, {"type": 1}, at=time.time() - 3600)
    assert (status, text) == (401, "stale timestamp")


async def test_missing_signature_headers_are_refused(client: TestClient) -> None:
    response = await client.post("/interactions", data=b'{"type": 1}')
    assert response.status == 401


async def test_a_body_signed_then_altered_is_refused(client: TestClient) -> None:
    headers = signed(b'{"type": 1}')
    response = await client.post("/interactions", data=b'{"type": 2}', headers=headers)
    assert response.status == 401


async def test_an_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    body = b"x" * (MAX_BODY_BYTES + 10)
    response = await client.post("/interactions", data=body, headers=signed(body))
    assert response.status == 413


async def test_signed_garbage_and_unknown_types_get_400(client: TestClient) -> None:
    body = b"not json"
    response = await client.post("/interactions", data=body, headers=signed(body))
    assert response.status == 400
    assert (await post(client, {"type": 99}))[0] == 400


async def test_define_answers_with_an_embed_buttons_and_no_pings(client: TestClient) -> None:
    status, reply = await post(client, command("define", term="KV cache"))
    assert status == 200
    assert reply["type"] == 4
    data = reply["data"]
    assert data["allowed_mentions"] == {"parse": []}
    assert "flags" not in data
    [embed] = data["embeds"]
    assert embed["title"] == "KV cache"
    assert "example.org/kv" in json.dumps(embed)
    ids = [b["custom_id"] for b in data["components"][0]["components"]]
    assert ids == [
        "rl:more:define:kv-cache",
        "rl:fb:h:define:kv-cache",
        "rl:fb:n:define:kv-cache",
        "rl:report:define:kv-cache",
    ]


async def test_an_unknown_term_is_private_and_logged(client, misses) -> None:
    _, reply = await post(client, command("define", term="zzzz"))
    assert reply["data"]["flags"] == EPHEMERAL
    assert "components" not in reply["data"]
    assert [(m.reason, m.guild_id, m.channel_id) for m in misses.rows] == [("unanswered", 10, 20)]
    assert misses.rows[0].user_hash and "424242" not in misses.rows[0].model_dump_json()


async def test_mentions_typed_by_a_user_never_ping(client: TestClient) -> None:
    _, reply = await post(client, command("define", term="@everyone <@123> <@&456>"))
    data = reply["data"]
    assert data["allowed_mentions"] == {"parse": []}
    text = json.dumps(data["embeds"])
    assert "@everyone" not in text.replace("@\\u200beveryone", "")
    assert "<@123>" not in text


async def test_autocomplete_offers_at_most_25_choices(client: TestClient) -> None:
    payload = command("define", term="kv")
    payload["type"] = 4
    payload["data"]["options"][0]["focused"] = True
    status, reply = await post(client, payload)
    assert status == 200
    assert reply["type"] == 8
    names = [c["name"] for c in reply["data"]["choices"]]
    assert names[0] == "KV cache"
    assert len(names) <= 25


async def test_a_vote_is_recorded_and_thanked_privately(client, misses) -> None:
    _, reply = await post(client, button("rl:fb:n:define:kv-cache"))
    assert reply["data"]["flags"] == EPHEMERAL
    assert [(m.reason, m.answered_entry_id) for m in misses.rows] == [("not_helpful", "kv-cache")]


async def test_report_opens_a_form_and_the_text_reaches_the_editors(client, misses) -> None:
    _, reply = await post(client, button("rl:report:define:vram"))
    assert reply["type"] == 9
    form = reply["data"]
    assert form["custom_id"] == "rl:form:define:vram"
    field = form["components"][0]["components"][0]["custom_id"]
    submit = {
        "type": 5,
        "id": "3",
        "token": "t",
        "user": {"id": "7"},
        "data": {
            "custom_id": form["custom_id"],
            "components": [
                {
                    "type": 1,
                    "components": [
                        {"type": 4, "custom_id": field, "value": "The 3090 has 24 GB, not 20."}
                    ],
                }
            ],
        },
    }
    _, thanks = await post(client, submit)
    assert thanks["data"]["flags"] == EPHEMERAL
    [row] = misses.rows
    assert (row.reason, row.answered_entry_id, row.detail) == (
        "report",
        "vram",
        "The 3090 has 24 GB, not 20.",
    )


async def test_show_more_sends_the_full_entry_privately(client: TestClient) -> None:
    _, reply = await post(client, button("rl:more:define:kv-cache"))
    data = reply["data"]
    assert data["flags"] == EPHEMERAL
    assert "Deeper dive" in json.dumps(data["embeds"])


async def test_a_button_we_never_made_is_answered_politely(client: TestClient) -> None:
    _, reply = await post(client, button("someone-elses:button"))
    assert "no longer in use" in json.dumps(reply)


async def test_willitrun_gives_a_verdict(client: TestClient) -> None:
    _, reply = await post(client, command("willitrun", model="llama3.1:8b", hardware="rtx 3090"))
    text = json.dumps(reply["data"]["embeds"])
    assert "RTX 3090" in text
    assert reply["data"]["allowed_mentions"] == {"parse": []}


async def test_any_instance_answers_a_click_on_another_ones_message(misses) -> None:
    """Stateless: the button carries all it needs, so a second process can answer it."""
    key = load_public_key(PUBLIC_HEX)
    first = build_app(Dispatcher(ContentHolder(FIXTURE_CONTENT), misses), key)
    second = build_app(Dispatcher(ContentHolder(FIXTURE_CONTENT), misses), key)
    async with TestClient(TestServer(first)) as a, TestClient(TestServer(second)) as b:
        _, answer = await post(a, command("define", term="VRAM"))
        helpful = answer["data"]["components"][0]["components"][1]["custom_id"]
        _, reply = await post(b, button(helpful))
    assert reply["data"]["flags"] == EPHEMERAL
    assert [m.reason for m in misses.rows] == ["helpful"]


async def test_healthz_answers_without_a_signature(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert (await response.json())["ok"] is True


def test_serve_http_without_a_public_key_says_where_to_find_it(capsys, monkeypatch) -> None:
    from bot.cli import main

    monkeypatch.delenv("DISCORD_PUBLIC_KEY", raising=False)
    monkeypatch.delenv("RUNLOCAL_DISCORD_PUBLIC_KEY", raising=False)
    assert main(["serve-http"]) == 2
    assert "DISCORD_PUBLIC_KEY is not set" in capsys.readouterr().out


def test_a_malformed_public_key_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="64 hexadecimal characters"):
        load_public_key("abc")


@pytest.mark.parametrize("name", ["unanswered", "resolve", "reload"])
async def test_editors_commands_are_not_answered_here_and_say_where(
    client: TestClient, misses: RecordingMissLog, name: str
) -> None:
    status, body = await post(client, command(name))
    assert status == 200
    assert body["data"]["flags"] & EPHEMERAL
    assert "python -m bot run" in body["data"]["embeds"][0]["description"]
    assert misses.rows == []
