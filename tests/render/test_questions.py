"""`/unanswered`'s list: most asked first, what users typed shown as text, within every limit."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.render.embed import limit_problems
from bot.render.questions import LIST_LIMIT, question_line, questions_embed, user_text
from bot.store.records import Question


def question(query: str, number: int = 1, **extra: object) -> Question:
    fields: dict[str, object] = {
        "id": number,
        "command": "define",
        "option": "term",
        "normalised": query.lower(),
        "query": query,
        "examples": [query],
        "count": 3,
        "reason": "unanswered",
        "first_seen": "2026-11-20 10:00:00",
        "last_seen": "2026-11-22 10:00:00",
        **extra,
    }
    return Question(**fields)  # type: ignore[arg-type]


def test_a_line_shows_id_count_command_and_query() -> None:
    assert question_line(question("attention memory", 12)) == (
        "**#12** · 3× · /define · attention memory"
    )


def test_closed_questions_say_where_they_went() -> None:
    resolved = question("x", status="resolved", resolved_entry_id="kv-cache")
    assert question_line(resolved).endswith("→ `kv-cache`")
    assert question_line(question("x", status="ignored")).endswith("(ignored)")


def test_what_users_typed_cannot_format_link_or_mention() -> None:
    shown = user_text("**bold** [link](https://evil.example) `code` @everyone <@123> <@&9>")
    assert "**bold**" not in shown
    assert "[link](" not in shown
    assert "`code`" not in shown
    assert not re.search(r"@(everyone|here)|<@[!&]?\d", shown)


def test_a_long_or_multiline_query_is_one_short_line() -> None:
    shown = user_text("first line\nsecond line " + "word " * 100)
    assert "\n" not in shown
    assert len(shown) <= 100
    assert shown.endswith("…")


def test_the_list_keeps_the_order_given_and_the_footer_says_when_more_exist() -> None:
    embed = questions_embed([question("b", 2), question("a", 1)], more=True)
    assert embed["title"] == "Open questions, most asked first"
    assert [line.split()[0] for line in embed["description"].splitlines()] == ["**#2**", "**#1**"]
    assert "python -m bot editor list" in embed["footer"]["text"]
    assert "editor list" not in questions_embed([question("a")])["footer"]["text"]


def test_an_empty_list_says_so_with_its_filters() -> None:
    embed = questions_embed([], status="resolved", command="fix")
    assert embed["title"] == "Resolved questions for /fix, most asked first"
    assert embed["description"] == "No resolved questions for /fix."
    assert questions_embed([], status=None)["description"] == "No questions."


def test_the_longest_possible_list_fits_every_limit() -> None:
    huge = "ä" * 5000 + "*" * 5000
    embed = questions_embed([question(huge, n) for n in range(LIST_LIMIT)], more=True)
    assert limit_problems(embed) == []
    assert len(embed["description"].splitlines()) == LIST_LIMIT


@given(st.lists(st.text(max_size=300), max_size=LIST_LIMIT))
def test_any_queries_render_within_limits_without_mentions(queries: list[str]) -> None:
    embed = questions_embed([question(q, n) for n, q in enumerate(queries, start=1)])
    assert limit_problems(embed) == []
    assert not re.search(r"@(everyone|here)|<@[!&]?\d+>", str(embed))
