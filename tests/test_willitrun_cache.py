"""Repeated verdicts come from the cache; new content never serves an old verdict."""

from __future__ import annotations

from bot.content.loader import load_content
from bot.handlers.willitrun import willitrun
from tests.conftest import FIXTURE_CONTENT


def test_the_same_question_twice_is_computed_once(fixture_snapshot) -> None:
    first = willitrun(fixture_snapshot, model="llama3.1:8b", hardware="rtx 3090")
    again = willitrun(fixture_snapshot, model="llama3.1:8b", hardware="rtx 3090")
    assert first.answered
    assert again is first


def test_another_option_is_another_verdict(fixture_snapshot) -> None:
    short = willitrun(fixture_snapshot, model="llama3.1:8b", hardware="rtx 3090", context=4096)
    long = willitrun(fixture_snapshot, model="llama3.1:8b", hardware="rtx 3090", context=65536)
    assert short is not long
    assert long.memory.kv_cache_bytes > short.memory.kv_cache_bytes


def test_a_reloaded_snapshot_computes_afresh(fixture_snapshot) -> None:
    before = willitrun(fixture_snapshot, model="llama3.1:8b", hardware="rtx 3090")
    after = willitrun(load_content(FIXTURE_CONTENT), model="llama3.1:8b", hardware="rtx 3090")
    assert after is not before
    assert after.model_dump() == before.model_dump()
