"""Answers as Discord embeds: the layout readers see, and every limit kept whatever the size."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.render import embed as embed_module
from bot.render import limits
from bot.render.embed import (
    COLOUR_ERROR,
    COLOUR_MISS,
    MORE_HINT,
    embed_size,
    fit_embed,
    has_more,
    limit_problems,
    register_renderer,
    render_embed,
    render_pages,
    source_line,
    unwrap,
)
from bot.schema.answers import Answer, EntryAnswer, Section, Suggestion
from bot.schema.common import Source

REVIEWED = dt.date(2026, 11, 22)


def entry(**changes: object) -> EntryAnswer:
    base: dict[str, object] = {
        "kind": "define",
        "answered": True,
        "query": "kv cache",
        "entry_id": "kv-cache",
        "confidence": 1.0,
        "title": "KV cache",
        "summary": "The keys and values kept for earlier tokens.",
        "sources": [Source(title="llama.cpp server README", url="https://example.org/readme")],
        "entry_kind": "glossary",
        "sections": [Section(heading="Definition", body="What it is.")],
        "related": [Suggestion(entry_id="vram", title="VRAM", kind="glossary", score=1.0)],
        "reviewed_by": "RunLocal editors",
        "reviewed_on": REVIEWED,
    }
    base.update(changes)
    return EntryAnswer(**base)  # type: ignore[arg-type]


def huge_entry() -> EntryAnswer:
    word = "quantization "
    return entry(
        title="T" * 1000,
        summary=word * 1000,
        sections=[Section(heading=f"H{n} " * 100, body=word * 800) for n in range(30)],
        sources=[
            Source(title=f"Source {n} " + "x" * 150, url=f"https://example.org/{n}")
            for n in range(60)
        ],
        related=[
            Suggestion(entry_id=f"e{n}0", title="R" * 90, kind="glossary", score=1.0)
            for n in range(60)
        ],
    )


def test_the_compact_view_shows_summary_sources_and_review_stamp() -> None:
    embed = render_embed(entry())
    assert embed["title"] == "KV cache"
    assert embed["description"].startswith("The keys and values kept for earlier tokens.")
    assert MORE_HINT + "Definition." in embed["description"]
    names = [f["name"] for f in embed["fields"]]
    assert names == ["Related", "Sources"]
    assert embed["fields"][1]["value"] == "[llama.cpp server README](https://example.org/readme)"
    assert embed["footer"]["text"] == "Reviewed by RunLocal editors on 2026-11-22"


def test_the_full_view_adds_every_section_under_a_bold_heading() -> None:
    embed = render_embed(entry(), full=True)
    assert "**Definition**\nWhat it is." in embed["description"]
    assert MORE_HINT not in embed["description"]


def test_show_more_is_offered_only_when_there_is_more() -> None:
    assert has_more(entry())
    assert not has_more(entry(sections=[]))
    assert not has_more(Answer(kind="ask", answered=False, title="Not found", summary="No."))


def test_close_matches_are_shown_when_the_match_was_not_exact() -> None:
    close = [Suggestion(entry_id="vram", title="VRAM", kind="glossary", score=0.7)]
    embed = render_embed(entry(confidence=0.9, suggestions=close))
    assert {"name": "Also close", "value": "VRAM", "inline": False} in embed["fields"]


@pytest.mark.parametrize("full", [False, True])
def test_a_huge_answer_fits_every_limit(full: bool) -> None:
    embed = render_embed(huge_entry(), full=full)
    assert limit_problems(embed) == []
    assert embed["title"].endswith(limits.ELLIPSIS)
    assert embed_size(embed) <= limits.EMBED_TOTAL
    sources = next(f for f in embed["fields"] if f["name"] == "Sources")
    # Whole links only: a cut never leaves half a Markdown link.
    for line in sources["value"].splitlines()[:-1]:
        assert line.startswith("[Source ") and line.endswith(")")


def test_the_total_is_met_by_shortening_the_description_first() -> None:
    fields = [{"name": f"n{n}", "value": "v" * 1000} for n in range(5)]
    embed = fit_embed({"title": "t", "description": "word " * 1000, "fields": fields})
    assert embed_size(embed) <= limits.EMBED_TOTAL
    assert len(embed["fields"]) == 5
    assert embed["description"].endswith(limits.ELLIPSIS)


def test_fields_are_dropped_from_the_end_when_they_alone_are_too_many() -> None:
    fields = [{"name": "n" * 256, "value": "v" * 1024} for _ in range(40)]
    embed = fit_embed({"title": "t", "fields": fields})
    assert limit_problems(embed) == []
    assert 1 <= len(embed["fields"]) < limits.EMBED_FIELDS


def test_a_huge_footer_is_cut_to_what_is_left() -> None:
    embed = fit_embed({"title": "t", "footer": {"text": "f " * 5000}, "description": "d" * 4000})
    assert limit_problems(embed) == []


def test_empty_parts_are_dropped_and_an_empty_embed_still_says_something() -> None:
    embed = fit_embed({"title": "", "description": "   ", "fields": [{"name": "", "value": ""}]})
    assert "title" not in embed
    assert embed["fields"] == [{"name": "\u200b", "value": "\u200b", "inline": False}]
    assert fit_embed({})["description"] == "(empty answer)"


def test_the_users_words_are_echoed_as_typed_not_as_markdown() -> None:
    query = "[free nitro](https://evil.example) **bold**"
    miss = Answer(
        kind="define",
        answered=False,
        query=query,
        title="Not found",
        summary=f"I don't have a glossary entry for “{query}” yet.",
    )
    description = render_embed(miss)["description"]
    assert "[free nitro](https://evil.example)" not in description
    assert r"\[free nitro\]\(https://evil.example\)" in description


def test_colours_tell_answers_misses_and_errors_apart() -> None:
    miss = Answer(kind="define", answered=False, title="Not found", summary="No.")
    error = Answer(kind="define", answered=False, title="Can't", summary="No.", error=True)
    assert render_embed(miss)["color"] == COLOUR_MISS
    assert render_embed(error)["color"] == COLOUR_ERROR


def test_a_source_title_or_url_cannot_break_its_link() -> None:
    line = source_line(Source(title="Spec [PDF]", url="https://example.org/a_(b)"))
    assert line == "[Spec (PDF)](https://example.org/a_%28b%29)"


def test_a_subclass_can_bring_its_own_layout_which_is_still_fitted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Special(Answer):
        pass

    monkeypatch.setattr(embed_module, "_RENDERERS", [])
    register_renderer(Special, lambda answer, full: {"title": "x" * 999, "description": "d"})
    embed = render_embed(Special(kind="willitrun", answered=True, title="t", summary="s"))
    assert len(embed["title"]) == limits.EMBED_TITLE
    assert limit_problems(embed) == []


def test_soft_line_breaks_are_joined_but_lists_and_code_keep_theirs() -> None:
    text = (
        "A paragraph written\nacross two lines.\n\n- item one\n- item two\n"
        "```bash\nollama run llama3.1\nollama ps\n```\n1. first\n2. second"
    )
    assert unwrap(text) == (
        "A paragraph written across two lines.\n\n- item one\n- item two\n"
        "```bash\nollama run llama3.1\nollama ps\n```\n1. first\n2. second"
    )


def test_a_long_entry_continues_on_further_pages_instead_of_being_cut() -> None:
    sections = [Section(heading=f"Part {n}", body=f"Sentence {n}. " * 150) for n in range(4)]
    pages = render_pages(entry(sections=sections))
    assert len(pages) == 2
    assert all(limit_problems(page) == [] for page in pages)
    assert pages[0]["footer"]["text"].startswith("Reviewed by")
    assert pages[1]["title"] == "KV cache (continued)"
    text = "\n\n".join(page["description"] for page in pages)
    assert limits.ELLIPSIS not in text
    for n in range(4):
        assert f"**Part {n}**" in text


def test_pages_stop_at_three_and_the_last_one_is_cut() -> None:
    sections = [Section(heading=f"Part {n}", body="word " * 900) for n in range(10)]
    pages = render_pages(entry(sections=sections))
    assert len(pages) == 3
    assert all(limit_problems(page) == [] for page in pages)
    assert pages[-1]["description"].endswith(limits.ELLIPSIS)


def test_a_short_entry_is_one_page() -> None:
    assert render_pages(entry()) == [render_embed(entry(), full=True)]
