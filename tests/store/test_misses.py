"""The store: repeats raise a count, feedback is kept apart, editors' changes, purge."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.schema.misses import Miss, MissReason
from bot.store import MissStore, SqliteMissLog, UnknownQuestionError

NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def miss(
    query: str,
    normalised: str | None = None,
    *,
    reason: MissReason = "unanswered",
    user: str | None = None,
    at: dt.datetime = NOW,
    command: str = "define",
) -> Miss:
    return Miss(
        command=command,
        option="term",
        query=query,
        normalised=normalised or query.lower(),
        reason=reason,
        user_hash=user,
        at=at,
        guild_id=10,
        channel_id=20,
    )


@pytest.fixture
def store(tmp_path: Path) -> MissStore:
    return MissStore(tmp_path / "store.sqlite")


def test_the_file_is_in_wal_mode_and_whole(store: MissStore) -> None:
    store.record(miss("gguf"))
    assert store.db.journal_mode == "wal"
    assert store.check() == "ok"


def test_a_repeat_raises_the_count_and_keeps_distinct_spellings(store: MissStore) -> None:
    first = store.record(miss("Foundation models?", "foundation model", user="a"))
    second = store.record(miss("foundation model", "foundation model", user="b"))
    store.record(miss("foundation model", "foundation model", user="b"))
    assert first == second
    [question] = store.questions()
    assert question.count == 3
    assert question.askers == 2
    assert question.examples == ["Foundation models?", "foundation model"]
    assert question.query == "Foundation models?"
    assert (question.last_guild_id, question.last_channel_id) == (10, 20)


def test_examples_are_capped(store: MissStore) -> None:
    for number in range(12):
        store.record(miss(f"Variant {number}", "same"))
    [question] = store.questions()
    assert question.count == 12
    assert len(question.examples) == 5


def test_first_and_last_seen_follow_the_asks(store: MissStore) -> None:
    store.record(miss("q", at=NOW))
    store.record(miss("q", at=NOW + dt.timedelta(hours=2)))
    store.record(miss("q", at=NOW - dt.timedelta(hours=1)))
    [question] = store.questions()
    assert question.first_seen == "2026-11-22 11:00:00"
    assert question.last_seen == "2026-11-22 14:00:00"


def test_feedback_goes_to_its_own_table(store: MissStore) -> None:
    store.record(miss("kv cache", reason="not_helpful"))
    store.record(miss("kv cache", reason="report"))
    assert store.questions() == []
    assert [f.reason for f in store.feedback()] == ["report", "not_helpful"]


def test_list_is_most_asked_first_and_filters(store: MissStore) -> None:
    store.record(miss("rare", at=NOW - dt.timedelta(days=10)))
    for _ in range(3):
        store.record(miss("popular"))
    store.record(miss("a model", command="model"))
    assert [q.query for q in store.questions()] == ["popular", "a model", "rare"]
    assert [q.query for q in store.questions(command="model")] == ["a model"]
    assert [q.query for q in store.questions(since=NOW - dt.timedelta(days=1))] == [
        "popular",
        "a model",
    ]
    rare = store.questions(command="define")[-1]
    store.ignore(rare.id)
    assert [q.query for q in store.questions(status="ignored")] == ["rare"]
    assert "rare" not in [q.query for q in store.questions(status="open")]


def test_resolving_links_the_entry_and_reopen_unlinks(store: MissStore) -> None:
    question_id = store.record(miss("attention memory"))
    assert store.resolution("define", "term", "attention memory") is None
    resolved = store.resolve(question_id, "kv-cache", at=NOW)
    assert (resolved.status, resolved.resolved_entry_id) == ("resolved", "kv-cache")
    assert store.resolution("define", "term", "attention memory") == "kv-cache"
    store.reopen(question_id)
    assert store.resolution("define", "term", "attention memory") is None


def test_an_unknown_id_is_a_typed_error(store: MissStore) -> None:
    with pytest.raises(UnknownQuestionError):
        store.question(99)
    with pytest.raises(UnknownQuestionError):
        store.resolve(99, "kv-cache")


def test_purge_drops_old_user_text_but_keeps_editors_links(store: MissStore) -> None:
    old = NOW - dt.timedelta(days=40)
    store.record(miss("old open", at=old, user="u1"))
    kept = store.record(miss("old resolved", at=old, user="u2"))
    store.resolve(kept, "kv-cache")
    store.record(miss("fresh", at=NOW, user="u3"))
    store.record(miss("old feedback", reason="report", at=old))
    report = store.purge(30, now=NOW)
    assert (report.questions, report.feedback, report.examples_cleared) == (1, 1, 1)
    assert report.askers == 2
    left = {q.query: q for q in store.questions()}
    assert set(left) == {"old resolved", "fresh"}
    assert left["old resolved"].examples == []
    assert left["fresh"].askers == 1
    assert store.resolution("define", "term", "old resolved") == "kv-cache"


async def test_the_async_log_writes_off_the_event_loop(tmp_path: Path) -> None:
    log = SqliteMissLog(tmp_path / "async.sqlite")
    loop_thread = threading.get_ident()
    seen: list[int] = []
    original = log.store.record

    def spy(m: Miss) -> int:
        seen.append(threading.get_ident())
        return original(m)

    log.store.record = spy  # type: ignore[method-assign]
    await log.record(miss("gguf"))
    assert seen and seen[0] != loop_thread
    assert await log.resolution("define", "term", "gguf") is None
    log.close()


async def test_an_unreadable_store_gives_no_resolution_rather_than_an_error(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    log = SqliteMissLog(blocker / "store.sqlite")
    assert await log.resolution("define", "term", "x") is None


async def test_the_async_log_purges_old_rows_on_its_first_write(tmp_path: Path) -> None:
    store = MissStore(tmp_path / "purge.sqlite")
    store.record(miss("ancient", at=dt.datetime.now(dt.UTC) - dt.timedelta(days=400)))
    log = SqliteMissLog(store, retention_days=30)
    await log.record(miss("today", at=dt.datetime.now(dt.UTC)))
    await log.record(miss("today", at=dt.datetime.now(dt.UTC)))
    assert [q.query for q in store.questions()] == ["today"]
    log.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=8))
def test_any_text_round_trips_and_repeats_count_once(store: MissStore, texts: list[str]) -> None:
    store.db.execute("DELETE FROM questions")
    misses = [miss(text, "one key") for text in texts]
    for each in misses:
        store.record(each)
    [question] = store.questions()
    assert question.count == len(texts)
    assert question.examples == list(dict.fromkeys(m.query.replace("\x00", "") for m in misses))[:5]


async def test_a_query_the_database_cannot_encode_costs_no_answer(tmp_path: Path) -> None:
    log = SqliteMissLog(tmp_path / "odd.sqlite")
    assert await log.resolution("define", "term", "lone \ud800 surrogate") is None
    log.close()
