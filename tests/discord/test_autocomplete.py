"""Autocomplete choices: ranked, within Discord's limits, fast, never an error."""

from __future__ import annotations

import time

import pytest

from bot.content.snapshot import Snapshot
from bot.transports.discord_bot.autocomplete import choices


def test_a_prefix_ranks_the_entry_first(fixture_snapshot: Snapshot) -> None:
    assert choices(fixture_snapshot, "glossary", "kv")[0] == ("KV cache", "KV cache")


def test_a_typo_still_finds_the_entry(fixture_snapshot: Snapshot) -> None:
    assert ("VRAM", "VRAM") in choices(fixture_snapshot, "glossary", "vrma")


def test_an_empty_box_lists_entries(fixture_snapshot: Snapshot) -> None:
    listed = choices(fixture_snapshot, "glossary", "")
    assert {"KV cache", "VRAM"} <= {value for _, value in listed}


def test_free_text_options_offer_what_was_typed_first(fixture_snapshot: Snapshot) -> None:
    assert choices(fixture_snapshot, "hardware", "2x RTX 3090")[0] == ("2x RTX 3090", "2x RTX 3090")
    assert choices(fixture_snapshot, "glossary", "2x RTX 3090")[:1] != [("2x RTX 3090",) * 2]


def test_ask_mixes_kinds_and_says_which_is_which(fixture_snapshot: Snapshot) -> None:
    names = [name for name, _ in choices(fixture_snapshot, "ask", "")]
    assert any(name.endswith("(term)") for name in names)
    assert any(name.endswith("(fix)") for name in names)
    assert any(name.endswith("(question)") for name in names)


def test_a_huge_paste_is_bounded_in_size_and_time(fixture_snapshot: Snapshot) -> None:
    started = time.perf_counter()
    listed = choices(fixture_snapshot, "errors", "CUDA error: out of memory " * 2000)
    assert time.perf_counter() - started < 0.5
    assert all(len(name) <= 100 and len(value) <= 100 for name, value in listed)


def test_a_failing_index_gives_no_choices_rather_than_an_error(
    fixture_snapshot: Snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("index broke")

    monkeypatch.setattr(type(fixture_snapshot.indexes.glossary), "complete", broken)
    assert choices(fixture_snapshot, "glossary", "kv") == []
