"""The review page: sign-in required, CSRF and Origin checks, escaping, health, headers."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient

from bot.settings import Settings
from bot.store import MissStore
from bot.transports.web import WebConfigError, editor_token
from tests.web.conftest import SCRIPT, TOKEN, origin, sign_in


async def csrf_token(client: TestClient, path: str) -> str:
    page = await (await client.get(path)).text()
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def question_id(store: MissStore, normalised: str) -> int:
    return next(q.id for q in store.questions() if q.normalised == normalised)


async def test_healthz_answers_without_signing_in(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


@pytest.mark.parametrize("path", ["/", "/q/1"])
async def test_pages_need_a_sign_in(client: TestClient, path: str) -> None:
    response = await client.get(path, allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/login"


async def test_posts_without_a_session_are_refused(client: TestClient) -> None:
    response = await client.post("/q/1/ignore", data={}, headers=origin(client))
    assert response.status == 403


async def test_a_wrong_token_is_refused(client: TestClient) -> None:
    response = await client.post("/login", data={"token": "nope"}, headers=origin(client))
    assert response.status == 403
    assert "not the editor token" in await response.text()
    assert (await client.get("/", allow_redirects=False)).status == 303


async def test_sign_in_from_another_site_is_refused(client: TestClient) -> None:
    response = await client.post(
        "/login", data={"token": TOKEN}, headers={"Origin": "https://evil.example"}
    )
    assert response.status == 403


async def test_the_session_cookie_is_httponly_and_strict(client: TestClient) -> None:
    response = await client.post(
        "/login", data={"token": TOKEN}, headers=origin(client), allow_redirects=False
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie


async def test_the_list_shows_counts_and_escapes_what_users_typed(client: TestClient) -> None:
    await sign_in(client)
    page = await (await client.get("/")).text()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    assert "Attention memory?" in page
    assert re.search(r'<td class="num">2</td>', page)


async def test_the_detail_page_escapes_too(client: TestClient, store: MissStore) -> None:
    await sign_in(client)
    number = question_id(store, "script alert 1 script")
    page = await (await client.get(f"/q/{number}")).text()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


async def test_resolve_without_csrf_token_is_refused(client: TestClient, store: MissStore) -> None:
    await sign_in(client)
    number = question_id(store, "attention memory")
    response = await client.post(
        f"/q/{number}/resolve", data={"entry": "kv-cache"}, headers=origin(client)
    )
    assert response.status == 403
    assert store.question(number).status == "open"


async def test_resolve_from_another_origin_is_refused(client: TestClient, store: MissStore) -> None:
    await sign_in(client)
    number = question_id(store, "attention memory")
    token = await csrf_token(client, f"/q/{number}")
    foreign = (
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/q/1"},
        {"Origin": f"http://127.0.0.1:{client.port + 1}"},
        {},
    )
    for headers in foreign:
        response = await client.post(
            f"/q/{number}/resolve", data={"entry": "kv-cache", "csrf": token}, headers=headers
        )
        assert response.status == 403
    assert store.question(number).status == "open"


async def test_a_referer_from_this_page_stands_in_for_a_missing_origin(
    client: TestClient, store: MissStore
) -> None:
    await sign_in(client)
    number = question_id(store, "script alert 1 script")
    token = await csrf_token(client, f"/q/{number}")
    referer = {"Referer": str(client.make_url(f"/q/{number}"))}
    response = await client.post(f"/q/{number}/ignore", data={"csrf": token}, headers=referer)
    assert response.status == 200
    assert store.question(number).status == "ignored"


async def test_resolve_with_token_and_origin_links_the_entry(
    client: TestClient, store: MissStore
) -> None:
    await sign_in(client)
    number = question_id(store, "attention memory")
    token = await csrf_token(client, f"/q/{number}")
    response = await client.post(
        f"/q/{number}/resolve", data={"entry": "kv-cache", "csrf": token}, headers=origin(client)
    )
    assert response.status == 200
    assert "Resolved." in await response.text()
    assert store.resolution("define", "term", "attention memory") == "kv-cache"


async def test_resolve_to_a_missing_entry_says_so(client: TestClient, store: MissStore) -> None:
    await sign_in(client)
    number = question_id(store, "attention memory")
    token = await csrf_token(client, f"/q/{number}")
    response = await client.post(
        f"/q/{number}/resolve",
        data={"entry": "<b>no-such</b>", "csrf": token},
        headers=origin(client),
    )
    assert response.status == 400
    text = await response.text()
    assert "no entry has id" in text
    assert "<b>no-such</b>" not in text
    assert store.question(number).status == "open"


async def test_ignore_then_reopen(client: TestClient, store: MissStore) -> None:
    await sign_in(client)
    number = question_id(store, "script alert 1 script")
    token = await csrf_token(client, f"/q/{number}")
    await client.post(f"/q/{number}/ignore", data={"csrf": token}, headers=origin(client))
    assert store.question(number).status == "ignored"
    listing = await (await client.get("/")).text()
    assert "alert(1)" not in listing
    await client.post(f"/q/{number}/reopen", data={"csrf": token}, headers=origin(client))
    assert store.question(number).status == "open"


async def test_sign_out_ends_the_session(client: TestClient) -> None:
    await sign_in(client)
    token = await csrf_token(client, "/")
    await client.post("/logout", data={"csrf": token}, headers=origin(client))
    assert (await client.get("/", allow_redirects=False)).status == 303


async def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/healthz", "/login", "/nowhere"):
        headers = (await client.get(path, allow_redirects=False)).headers
        assert "script-src" not in headers["Content-Security-Policy"]
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"


async def test_a_foreign_host_name_is_refused_on_loopback(client: TestClient) -> None:
    response = await client.get("/healthz", headers={"Host": "rebound.example:80"})
    assert response.status == 421


def test_the_page_refuses_to_start_without_a_token() -> None:
    with pytest.raises(WebConfigError, match="RUNLOCAL_EDITOR_TOKEN is not set"):
        editor_token(Settings.from_env({}))
    with pytest.raises(WebConfigError, match="at least 16"):
        editor_token(Settings.from_env({"RUNLOCAL_EDITOR_TOKEN": "short"}))
    assert editor_token(Settings.from_env({"RUNLOCAL_EDITOR_TOKEN": TOKEN})) == TOKEN


def test_the_command_line_refuses_to_start_without_a_token(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.delenv("RUNLOCAL_EDITOR_TOKEN", raising=False)
    assert main(["web"]) == 2
    assert "RUNLOCAL_EDITOR_TOKEN is not set" in capsys.readouterr().err


def test_the_default_bind_is_loopback() -> None:
    assert Settings.from_env({}).web_host == "127.0.0.1"
