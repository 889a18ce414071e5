"""The planning commands on the bundled catalog with the real fit engine.

Skipped where the engine is not installed (the fake-engine tests cover the arithmetic); these
check the adapter in `bot.planning.fitport` against the engine's real answer objects."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.content.holder import ContentHolder
from bot.handlers.dispatch import Dispatcher
from bot.schema.answers import Answer
from bot.schema.planning import ChooseAnswer, CompareAnswer, CostAnswer
from bot.transports.console import parse_line

pytest.importorskip("bot.fit.engine")

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dispatcher() -> Dispatcher:
    return Dispatcher(ContentHolder(REPO))


def ask(dispatcher: Dispatcher, line: str) -> Answer:
    return asyncio.run(dispatcher.run(parse_line(line)))


def test_compare_a_rig_with_a_mac(dispatcher: Dispatcher) -> None:
    answer = ask(dispatcher, "/compare 2x3090 | M3 Max 128GB")
    assert isinstance(answer, CompareAnswer)
    rig = answer.rigs[0]
    assert rig.memory_gib == 48 and rig.largest_fit
    speeds = {s.model_id: s for s in rig.speeds}
    assert speeds["llama3.3-70b"].verdict == "runs_on_gpu"
    assert (
        0
        < speeds["llama3.3-70b"].decode_tokens_per_s.low
        < speeds["llama3.1-8b"].decode_tokens_per_s.low
    )


def test_cost_gets_a_speed_for_a_70b_on_two_3090s(dispatcher: Dispatcher) -> None:
    answer = ask(dispatcher, "/cost llama3.3:70b 2x3090")
    assert isinstance(answer, CostAnswer) and answer.decode_tokens_per_s is not None
    assert answer.power_w == 760 and answer.cloud


def test_choosegpu_for_70b_at_10_tokens(dispatcher: Dispatcher) -> None:
    answer = ask(dispatcher, "/choosegpu 2000 70B at 10 tok/s")
    assert isinstance(answer, ChooseAnswer) and answer.target_model_id == "llama3.3-70b"
    assert answer.picks and answer.picks[0].fits
