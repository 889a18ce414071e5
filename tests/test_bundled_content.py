"""The content we ship: valid, sourced, and answering the queries people really type."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.content.holder import ContentHolder
from bot.content.loader import load_content
from bot.content.location import bundled_content_dir
from bot.content.snapshot import Snapshot
from bot.handlers.dispatch import Dispatcher
from bot.schema.answers import Answer
from bot.transports.console import parse_line

QUERIES = Path(__file__).parent / "queries"


@pytest.fixture(scope="module")
def bundled() -> Snapshot:
    return load_content(bundled_content_dir())


@pytest.fixture(scope="module")
def dispatcher() -> Dispatcher:
    return Dispatcher(ContentHolder(bundled_content_dir()))


def ask(dispatcher: Dispatcher, line: str) -> Answer:
    return asyncio.run(dispatcher.run(parse_line(line)))


def query_lines(name: str) -> list[str]:
    rows = (QUERIES / name).read_text().splitlines()
    return [r.strip() for r in rows if r.strip() and not r.startswith("#")]


def test_bundled_content_validates(bundled: Snapshot) -> None:
    assert all(count > 0 for kind, count in bundled.counts().items() if kind != "pages")


@pytest.mark.parametrize(
    "line",
    [
        "/define foundation model",
        "/define foundation models",
        "/define what's a foundation model?",
        "/define FM",
        "/glossary fundation model",
    ],
)
def test_spellings_of_foundation_model_reach_the_entry(dispatcher: Dispatcher, line: str) -> None:
    answer = ask(dispatcher, line)
    assert answer.answered
    assert answer.entry_id == "foundation-model"
    assert answer.sources


def test_an_unknown_term_is_marked_unanswered(dispatcher: Dispatcher) -> None:
    answer = ask(dispatcher, "/define zzzz")
    assert not answer.answered
    assert answer.entry_id is None
    assert "don't have" in answer.summary


@pytest.mark.parametrize("term", query_lines("define.txt"))
def test_every_define_query_resolves_to_a_glossary_entry(dispatcher: Dispatcher, term: str) -> None:
    answer = ask(dispatcher, f"/define {term}")
    assert answer.answered, answer.summary
    assert answer.confidence >= 0.9


@pytest.mark.parametrize("problem", query_lines("fix.txt"))
def test_every_fix_query_resolves_to_an_error_entry(dispatcher: Dispatcher, problem: str) -> None:
    answer = ask(dispatcher, f"/fix {problem}")
    assert answer.answered, answer.summary
    assert answer.entry_kind == "error"


@pytest.mark.parametrize("question", query_lines("ask.txt"))
def test_every_ask_query_finds_a_quick_answer(dispatcher: Dispatcher, question: str) -> None:
    answer = ask(dispatcher, f"/ask {question}")
    assert answer.answered, answer.summary
    assert answer.entry_kind == "quick"


EXPECTED_DEFINE = {
    "Q4_K_M": "q4-k-m",
    "KV cache": "kv-cache",
    "MoE": "moe",
    "GQA": "gqa",
    "RAG": "rag",
    "VRAM": "vram",
    "GGUF": "gguf",
}


@pytest.mark.parametrize(("term", "entry_id"), EXPECTED_DEFINE.items())
def test_define_reaches_the_right_entry(dispatcher: Dispatcher, term: str, entry_id: str) -> None:
    assert ask(dispatcher, f"/define {term}").entry_id == entry_id


def test_every_answer_entry_is_reviewed_by_the_editors_and_sourced(bundled: Snapshot) -> None:
    for entries in (bundled.glossary, bundled.errors, bundled.quick):
        for entry in entries.values():
            assert entry.reviewed_by == "RunLocal editors"
            assert entry.sources
            assert all(s.url.startswith("https://") for s in entry.sources)


def test_glossary_entries_have_numbers_and_commands(bundled: Snapshot) -> None:
    for entry in bundled.glossary.values():
        assert any(ch.isdigit() for ch in entry.practical_example), entry.id
        assert "```" in entry.workflow_example, entry.id
