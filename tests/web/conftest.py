"""A review page over the fixture content and a store seeded with two questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.content.holder import ContentHolder
from bot.schema.misses import Miss
from bot.store import MissStore
from bot.transports.web import create_app
from tests.conftest import FIXTURE_CONTENT

TOKEN = "test-editor-token-0123456789"
SCRIPT = "<script>alert(1)</script>"


def seed(store: MissStore) -> dict[str, int]:
    """Two open questions: a harmless one asked twice and a hostile one."""
    at = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)
    ids = {}
    for query, normalised in (
        ("Attention memory?", "attention memory"),
        ("attention memory", "attention memory"),
        (SCRIPT, "script alert 1 script"),
    ):
        miss = Miss(
            command="define",
            option="term",
            query=query,
            normalised=normalised,
            reason="unanswered",
            user_hash="hash-of-someone",
            at=at,
        )
        ids[normalised] = store.record(miss)
    return ids


@pytest.fixture
def store(tmp_path: Path) -> MissStore:
    store = MissStore(tmp_path / "web.sqlite")
    seed(store)
    return store


@pytest.fixture
async def client(store: MissStore) -> AsyncIterator[TestClient]:
    app = create_app(TOKEN, store, ContentHolder(FIXTURE_CONTENT))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


def origin(client: TestClient) -> dict[str, str]:
    """The Origin header a browser on the page would send."""
    return {"Origin": str(client.make_url("")).rstrip("/")}


async def sign_in(client: TestClient) -> None:
    response = await client.post(
        "/login", data={"token": TOKEN}, headers=origin(client), allow_redirects=False
    )
    assert response.status == 303
