"""Every entry in the shipped content renders within Discord's limits and fits its buttons."""

from __future__ import annotations

import time

import pytest

from bot.content.loader import load_content
from bot.content.location import bundled_content_dir
from bot.content.snapshot import Snapshot
from bot.handlers.about import about
from bot.handlers.catalog import hardware, model
from bot.handlers.entries import entry_answer
from bot.render.embed import limit_problems, render_embed, render_pages
from bot.render.limits import CUSTOM_ID, ELLIPSIS


@pytest.fixture(scope="module")
def bundled() -> Snapshot:
    return load_content(bundled_content_dir())


def _answers(snapshot: Snapshot):  # type: ignore[no-untyped-def]
    commands = {"glossary": "define", "error": "fix", "quick": "ask"}
    for entries in (snapshot.glossary, snapshot.errors, snapshot.quick):
        for entry in entries.values():
            yield entry_answer(commands[entry.kind], entry.names[0], entry, 1.0, snapshot)
    for entry in snapshot.models.values():
        yield model(snapshot, entry.names[0])
    for entry in snapshot.hardware.values():
        yield hardware(snapshot, entry.names[0])
    yield about(snapshot)


def test_every_entry_fits_in_both_views(bundled: Snapshot) -> None:
    for answer in _answers(bundled):
        for full in (False, True):
            problems = limit_problems(render_embed(answer, full=full))
            assert problems == [], (answer.entry_id, full, problems)


def test_show_more_never_cuts_a_shipped_entry(bundled: Snapshot) -> None:
    for answer in _answers(bundled):
        pages = render_pages(answer)
        assert all(limit_problems(page) == [] for page in pages), answer.entry_id
        for page in pages:
            text = page.get("description", "")
            assert not text.endswith(ELLIPSIS), f"{answer.entry_id} is cut in the full view"


def test_every_entry_id_fits_in_a_button(bundled: Snapshot) -> None:
    longest = "rl:report:hardware:"
    for entries in (
        bundled.glossary,
        bundled.errors,
        bundled.quick,
        bundled.models,
        bundled.hardware,
        bundled.pages,
    ):
        for entry_id in entries:
            assert len(longest + entry_id) <= CUSTOM_ID, entry_id


def test_the_about_page_is_shipped(bundled: Snapshot) -> None:
    answer = about(bundled)
    assert answer.entry_id == "about"
    assert answer.sources


def test_autocomplete_on_the_real_indexes_is_quick(bundled: Snapshot) -> None:
    from bot.transports.discord_bot.autocomplete import choices

    started = time.perf_counter()
    for typed in ("", "q", "qwen 2.5 7", "rtx 309", "kv cach", "how much vram for 70b " * 5):
        for index in ("glossary", "models", "hardware", "ask", "errors", "tools", "quick"):
            choices(bundled, index, typed)  # type: ignore[arg-type]
    per_call_ms = (time.perf_counter() - started) * 1000 / 42
    assert per_call_ms < 100, per_call_ms
