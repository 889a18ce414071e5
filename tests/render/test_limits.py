"""Cutting text for Discord: clean boundaries, never over the limit, never an exception."""

from __future__ import annotations

import pytest

from bot.render.limits import ELLIPSIS, cut, cut_lines, defuse_mentions, scrub


def test_text_that_fits_is_unchanged() -> None:
    assert cut("KV cache", 8) == "KV cache"


def test_a_cut_falls_at_a_word_boundary_and_ends_with_an_ellipsis() -> None:
    text = "The keys and values computed for earlier tokens are kept in memory"
    result = cut(text, 30)
    assert len(result) <= 30
    assert result.endswith(ELLIPSIS)
    assert text.startswith(result[:-1])
    assert result[:-1].split()[-1] in text.split()


def test_a_cut_prefers_a_line_break() -> None:
    text = "first line is here\nsecond line goes on and on"
    assert cut(text, 24) == "first line is here" + ELLIPSIS


def test_a_word_longer_than_the_limit_is_cut_mid_word() -> None:
    assert cut("x" * 50, 10) == "x" * 9 + ELLIPSIS


@pytest.mark.parametrize("limit", [0, -5])
def test_no_room_gives_empty_text(limit: int) -> None:
    assert cut("anything", limit) == ""


def test_a_one_character_limit_still_fits() -> None:
    assert len(cut("anything", 1)) == 1


def test_an_open_code_fence_is_closed_so_the_rest_renders() -> None:
    text = "Run this:\n```bash\n" + "llama-server -m model.gguf -c 8192\n" * 20 + "```"
    result = cut(text, 120)
    assert len(result) <= 120
    assert result.count("```") % 2 == 0


def test_cut_lines_keeps_whole_lines_and_marks_the_rest() -> None:
    lines = [f"[Source {n}](https://example.org/{n})" for n in range(100)]
    result = cut_lines(lines, 200)
    assert len(result) <= 200
    assert result.endswith("\n" + ELLIPSIS)
    assert all(line in lines for line in result.splitlines()[:-1])


def test_cut_lines_with_everything_fitting_adds_no_ellipsis() -> None:
    assert cut_lines(["a", "b"], 10) == "a\nb"


def test_scrub_removes_control_and_direction_characters_but_keeps_layout() -> None:
    assert scrub("a\x00b\x1b[31mc\u202ed\te\r\nf") == "ab[31mcd\te\nf"


def test_defused_mentions_no_longer_read_as_mentions() -> None:
    text = defuse_mentions("@everyone @here <@123> <@!123> <@&456> mail@example.org")
    for raw in ("@everyone", "@here", "<@123>", "<@!123>", "<@&456>"):
        assert raw not in text
    assert "mail@example.org" in text


def test_a_mention_cut_in_half_is_defused_too() -> None:
    assert "<@&45" not in defuse_mentions("price '<@&45' is not a number")
    assert "<@123>" not in defuse_mentions("hi <@123>")
