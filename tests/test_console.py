"""The console reads a command line the way Discord users type it."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.transports.console import ConsoleInputError, parse_line
from tests.conftest import FIXTURE_CONTENT


def test_positional_text_goes_to_the_first_option() -> None:
    inv = parse_line("/define   foundation model ")
    assert (inv.command, inv.options) == ("define", {"term": "foundation model"})


def test_named_options_are_read_by_name() -> None:
    inv = parse_line("/fix problem:CUDA out of memory")
    assert inv.options == {"problem": "CUDA out of memory"}


def test_colons_inside_a_value_are_not_option_names() -> None:
    inv = parse_line("/model qwen2.5:72b")
    assert inv.options == {"name": "qwen2.5:72b"}


@pytest.mark.parametrize("line", ["define x", "/nosuch x", ""])
def test_a_line_without_a_known_command_is_refused(line: str) -> None:
    with pytest.raises(ConsoleInputError):
        parse_line(line)


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["ask", "--content", str(FIXTURE_CONTENT), *argv])
    return code, capsys.readouterr().out


def test_ask_prints_the_entry_with_sources(capsys) -> None:
    code, out = run(capsys, "/define key-value cache")
    assert code == 0
    assert out.startswith("KV cache\n")
    assert "Sources:\n  - Fixture source <https://example.org/kv>" in out
    assert "Reviewed by RunLocal editors on 2026-11-22." in out


def test_ask_json_has_the_stable_fields(capsys) -> None:
    code, out = run(capsys, "--json", "/glossary video memory")
    data = json.loads(out)
    assert code == 0
    for field in (
        "kind",
        "answered",
        "entry_id",
        "confidence",
        "title",
        "summary",
        "sources",
        "suggestions",
    ):
        assert field in data
    assert (data["kind"], data["entry_id"], data["answered"]) == ("define", "vram", True)
    assert data["sources"][0] == {"title": "Fixture source", "url": "https://example.org/vram"}


def test_ask_exits_1_when_unknown_and_2_on_bad_input(capsys) -> None:
    assert run(capsys, "/define zzzz")[0] == 1
    assert run(capsys, "nonsense")[0] == 2


def test_fix_recognises_a_pasted_log_line(capsys) -> None:
    code, out = run(capsys, "--json", "/fix llama_model_load: cudaMalloc failed: out of memory")
    assert code == 0
    assert json.loads(out)["entry_id"] == "cuda-out-of-memory"
