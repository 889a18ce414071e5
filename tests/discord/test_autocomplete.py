"""Autocomplete choices: ranked, within Discord's limits, fast, never an error."""

from __future__ import annotations

import time

import pytest

from bot.content.snapshot import Snapshot
from bot.transports.discord_bot.autocomplete import choices, entry_choices


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


def test_entry_choices_offer_ids_that_start_with_what_was_typed_first(
    fixture_snapshot: Snapshot,
) -> None:
    found = entry_choices(fixture_snapshot, "kv")
    assert found[0][1] == "kv-cache"
    assert found[0][0].startswith("kv-cache — KV cache")


def test_entry_choices_find_an_entry_by_its_title_and_give_its_id(
    fixture_snapshot: Snapshot,
) -> None:
    values = [value for _, value in entry_choices(fixture_snapshot, "CUDA out of memory")]
    assert values[0] == "cuda-out-of-memory"


@pytest.mark.parametrize("typed", ["", "zzzz", "@everyone\x00" + "x" * 5000, "   "])
def test_entry_choices_stay_within_limits_and_are_all_real_ids(
    fixture_snapshot: Snapshot, typed: str
) -> None:
    found = entry_choices(fixture_snapshot, typed)
    assert len(found) <= 25
    for name, value in found:
        assert 1 <= len(name) <= 100
        assert fixture_snapshot.answer_entry(value) is not None
