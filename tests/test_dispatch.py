"""The dispatcher: option checks, misses recorded for editors, editors' resolutions applied."""

from __future__ import annotations

from bot.content.holder import ContentHolder
from bot.handlers.dispatch import Dispatcher, Invocation, hash_user
from bot.schema.misses import Miss
from tests.conftest import FIXTURE_CONTENT


class RecordingMissLog:
    """A miss log that keeps rows in memory, with one resolution an editor made."""

    def __init__(self, resolutions: dict[tuple[str, str, str], str] | None = None) -> None:
        self.rows: list[Miss] = []
        self.resolutions = resolutions or {}

    async def record(self, miss: Miss) -> None:
        self.rows.append(miss)

    async def resolution(self, command: str, option: str, normalised: str) -> str | None:
        return self.resolutions.get((command, option, normalised))


def dispatcher(log: RecordingMissLog) -> Dispatcher:
    return Dispatcher(ContentHolder(FIXTURE_CONTENT), log, salt="pepper")


async def test_a_known_term_is_answered_and_not_logged() -> None:
    log = RecordingMissLog()
    answer = await dispatcher(log).run(Invocation(command="define", options={"term": "KV cache"}))
    assert answer.answered
    assert answer.entry_id == "kv-cache"
    assert log.rows == []


async def test_an_unknown_term_is_logged_with_its_normalised_form_and_no_raw_user_id() -> None:
    log = RecordingMissLog()
    inv = Invocation(
        command="define",
        options={"term": "Foundation models?"},
        guild_id=1,
        channel_id=2,
        user_id=424242,
    )
    answer = await dispatcher(log).run(inv)
    assert not answer.answered
    [miss] = log.rows
    assert (miss.command, miss.option, miss.normalised, miss.reason) == (
        "define",
        "term",
        "foundation model",
        "unanswered",
    )
    assert miss.user_hash == hash_user(424242, "pepper")
    assert "424242" not in miss.model_dump_json()


async def test_glossary_is_logged_under_its_canonical_command() -> None:
    log = RecordingMissLog()
    await dispatcher(log).run(Invocation(command="glossary", options={"term": "zzzz"}))
    assert log.rows[0].command == "define"


async def test_a_fuzzy_answer_is_given_and_also_logged_as_low_confidence() -> None:
    log = RecordingMissLog()
    answer = await dispatcher(log).run(Invocation(command="define", options={"term": "kv cahce"}))
    assert answer.answered
    assert answer.entry_id == "kv-cache"
    assert [m.reason for m in log.rows] == ["low_confidence"]


async def test_an_editors_resolution_makes_the_question_answerable() -> None:
    log = RecordingMissLog({("define", "term", "attention memory"): "kv-cache"})
    answer = await dispatcher(log).run(
        Invocation(command="define", options={"term": "Attention memory"})
    )
    assert answer.answered
    assert answer.entry_id == "kv-cache"
    assert log.rows == []


async def test_missing_required_option_says_what_to_give() -> None:
    answer = await dispatcher(RecordingMissLog()).run(Invocation(command="define"))
    assert answer.error
    assert "needs `term`" in answer.summary


async def test_an_unknown_command_lists_the_known_ones() -> None:
    answer = await dispatcher(RecordingMissLog()).run(Invocation(command="frobnicate"))
    assert answer.error
    assert "/define" in answer.summary


async def test_a_failing_miss_log_does_not_cost_the_answer() -> None:
    class Broken(RecordingMissLog):
        async def record(self, miss: Miss) -> None:
            raise OSError("disk full")

    answer = await dispatcher(Broken()).run(Invocation(command="define", options={"term": "zz"}))
    assert not answer.answered
    assert not answer.error


async def test_huge_input_is_cut_not_rejected() -> None:
    answer = await dispatcher(RecordingMissLog()).run(
        Invocation(command="define", options={"term": "vram " * 10_000})
    )
    assert len(answer.query) <= 300
