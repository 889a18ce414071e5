"""The review page in a real headless browser (Debian's chromium over DevTools).

Signs in, sees a hostile query shown as text, resolves a question by clicking, and saves
screenshots under test-artifacts/. Without chromium the test skips, except under CI, where it
fails: `.ci/run` installs chromium, so a missing browser there is a broken pipeline.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.content.holder import ContentHolder
from bot.store import MissStore
from bot.transports.web import create_app
from tests.conftest import FIXTURE_CONTENT
from tests.web.cdp import Browser, Page, find_chromium
from tests.web.conftest import SCRIPT, TOKEN

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def chromium() -> str:
    executable = find_chromium()
    if executable is None:
        reason = "chromium is not installed (apt-get install -y chromium; .ci/run does this)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: under CI the browser test must run")
        pytest.skip(reason)
    return executable


@pytest.fixture
async def base_url(store: MissStore) -> AsyncIterator[str]:
    runner = web.AppRunner(create_app(TOKEN, store, ContentHolder(FIXTURE_CONTENT)))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}"
    await runner.cleanup()


@pytest.fixture
async def page(chromium: str, tmp_path: Path) -> AsyncIterator[Page]:
    browser = Browser(chromium, tmp_path / "profile")
    page = await browser.start()
    try:
        yield page
    finally:
        await page.close()
        await browser.stop()


async def text(page: Page) -> str:
    return await page.evaluate("document.body.innerText")


async def test_an_editor_resolves_a_question_in_the_browser(
    page: Page, base_url: str, store: MissStore
) -> None:
    await page.navigate(f"{base_url}/")
    assert await page.evaluate("location.pathname") == "/login"

    await page.click("input[name=token]")
    await page.type_text(TOKEN)
    await page.click("#sign-in", navigates=True)
    assert await page.evaluate("location.pathname") == "/"

    # the hostile query is on the page as text, and nothing ran
    assert SCRIPT in await text(page)
    assert await page.evaluate("document.scripts.length") == 0
    assert not [name for name, _ in page.events if name == "Page.javascriptDialogOpening"]
    await page.screenshot(ARTIFACTS / "editor-review-list.png")

    question = next(q for q in store.questions() if q.normalised == "attention memory")
    await page.click(f"a[href='/q/{question.id}']", navigates=True)
    await page.click("#entry")
    await page.type_text("kv-cache")
    await page.click("#resolve", navigates=True)

    assert "Resolved." in await text(page)
    assert (await page.evaluate("document.querySelector('#status').innerText")).startswith(
        "resolved"
    )
    await page.screenshot(ARTIFACTS / "editor-review-resolved.png")
    assert store.resolution("define", "term", "attention memory") == "kv-cache"
    assert (ARTIFACTS / "editor-review-resolved.png").stat().st_size > 1000
