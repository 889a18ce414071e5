"""The four planning commands end to end through the dispatcher, on the fixture catalog and the
fake fit engine (rules in conftest.py), with every expected figure worked out by hand."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.handlers.commands import commands
from bot.handlers.dispatch import Dispatcher, Invocation
from bot.render.text import render_text
from bot.schema.answers import Answer
from bot.schema.planning import BenchAnswer, ChooseAnswer, CompareAnswer, CostAnswer
from bot.transports.console import parse_line


def ask(dispatcher: Dispatcher, line: str) -> Answer:
    return asyncio.run(dispatcher.run(parse_line(line)))


# /bench ------------------------------------------------------------------------------------


def test_bench_lists_measurements_with_sources(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/bench llama3.1:8b")
    assert isinstance(answer, BenchAnswer) and answer.answered
    assert [(r.metric, r.value) for r in answer.rows] == [
        ("decode_tps", 120), ("decode_tps", 100), ("prompt_tps", 5000),
    ]  # fmt: skip
    assert {s.title for s in answer.sources} == {"Fixture bench A", "Fixture bench B"}
    text = render_text(answer)
    assert "llama-bench -m llama-3.1-8b-q4_k_m.gguf -ngl 99" in text
    assert "fastest decode is 120 tokens/s" in answer.summary


def test_bench_filters_by_hardware_and_says_when_there_is_none(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    on_rig = ask(planning_dispatcher, "/bench model:llama3.3:70b hardware:2x3090")
    assert isinstance(on_rig, BenchAnswer) and [r.value for r in on_rig.rows] == [16]
    missing = ask(planning_dispatcher, "/bench model:llama3.1:8b hardware:rtx 3060")
    assert not missing.answered and missing.missed_option == "hardware"
    assert [s.entry_id for s in missing.suggestions] == ["rtx-3090"]


def test_bench_unknown_model_is_an_honest_miss(planning_dispatcher: Dispatcher) -> None:
    answer = ask(planning_dispatcher, "/bench gemma 9000")
    assert not answer.answered and answer.title == "Not found"


# /cost -------------------------------------------------------------------------------------


def test_cost_uses_a_measured_speed_and_finds_no_break_even(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/cost llama3.3:70b 2x3090")
    assert isinstance(answer, CostAnswer)
    assert answer.speed_basis == "measured"
    assert (answer.decode_tokens_per_s.low, answer.decode_tokens_per_s.high) == (16, 16)  # type: ignore[union-attr]
    assert answer.power_w == 760  # 2 x 350 W + 60 W
    # 0.76 kW x 17.3611 h = 13.1944 kWh x $0.1688 = $2.2272 per million tokens
    assert answer.home_usd_per_mtok.low == pytest.approx(2.227222, rel=1e-5)  # type: ignore[union-attr]
    # cheapest like-for-like cloud price first; the closed model is listed as comparable
    assert [(q.provider, q.match) for q in answer.cloud] == [
        ("CheapHost", "same_weights"), ("ClosedLab", "comparable"),
    ]  # fmt: skip
    # 6.912 M tokens x $0.32 = $2.21 against $15.39 of electricity: a loss, never pays back
    assert answer.monthly_saving_usd.low == pytest.approx(2.21184 - 15.39456)  # type: ignore[union-attr]
    assert answer.break_even_never and answer.break_even_months is None
    assert answer.hardware_usd == 1600  # 2 x $800 used
    assert "never" in answer.summary
    json.dumps(answer.model_dump(mode="json"))  # no infinities in the JSON


def test_cost_from_the_engine_estimate_with_a_break_even(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/cost llama3.1:8b rtx 3060")
    assert isinstance(answer, CostAnswer) and answer.speed_basis == "estimated"
    # fake engine: 360 GB/s / 6 GiB x 0.5..0.8 = 30..48 tokens/s
    assert answer.decode_tokens_per_s.low == pytest.approx(30)  # type: ignore[union-attr]
    assert answer.decode_tokens_per_s.high == pytest.approx(48)  # type: ignore[union-attr]
    assert answer.power_w == 230  # 170 W + 60 W
    assert answer.home_usd_per_mtok.low == pytest.approx(0.224676, rel=1e-5)  # type: ignore[union-attr]
    assert answer.home_usd_per_mtok.high == pytest.approx(0.359481, rel=1e-5)  # type: ignore[union-attr]
    # only a comparable (closed) price at $15/M: saving $189.74..$306.38, hardware $329 (MSRP)
    assert answer.hardware_usd == 329
    assert answer.break_even_months.low == pytest.approx(329 / 306.38112)  # type: ignore[union-attr]
    assert answer.break_even_months.high == pytest.approx(329 / 189.74112)  # type: ignore[union-attr]
    assert any("comparable model, not the same" in s.body for s in answer.sections)


def test_cost_options_change_the_arithmetic(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/cost llama3.1:8b | rtx 3060 | 8 | 30c | 200")
    assert isinstance(answer, CostAnswer)
    assert (answer.hours_per_day, answer.usd_per_kwh, answer.power_w) == (8, 0.30, 200)
    # 0.2 kW x 5.787 h x $0.30 = $0.34722 at the fast end
    assert answer.home_usd_per_mtok.low == pytest.approx(0.347222, rel=1e-5)  # type: ignore[union-attr]
    assert not any("EIA" in s.title for s in answer.sources)


def test_cost_states_every_assumption(planning_dispatcher: Dispatcher, fake_engine: list) -> None:
    answer = ask(planning_dispatcher, "/cost llama3.1:8b rtx 3060")
    assert isinstance(answer, CostAnswer)
    joined = " ".join(answer.assumptions)
    for words in ("170 W", "60 W assumed", "$0.1688 per kWh", "4 h of generation", "30-day"):
        assert words in joined
    assert answer.sections[-1].heading == "Assumptions"
    assert any("EIA" in s.title for s in answer.sources)


def test_cost_on_a_mac_without_a_power_figure_asks_for_watts(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/cost llama3.1:8b m3 max 128gb")
    assert not answer.answered and answer.missed_option == "watts"
    with_watts = ask(planning_dispatcher, "/cost model:llama3.1:8b hardware:m3 max 128gb watts:90")
    assert isinstance(with_watts, CostAnswer) and with_watts.power_w == 90
    assert with_watts.hardware_usd == 4999  # the 128 GB configuration


def test_cost_rejects_a_nonsense_electricity_price(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/cost llama3.1:8b | rtx 3060 | 4 | cheap")
    assert answer.error and "kWh" in answer.summary


def test_cost_without_the_engine_still_uses_measurements(
    planning_dispatcher: Dispatcher, no_engine: None
) -> None:
    measured = ask(planning_dispatcher, "/cost llama3.1:8b rtx 3090")
    assert isinstance(measured, CostAnswer) and measured.speed_basis == "measured"
    # two reports, 100 and 120 tokens/s, give the range
    assert measured.decode_tokens_per_s == measured.decode_tokens_per_s.model_copy(  # type: ignore[union-attr]
        update={"low": 100, "high": 120}
    )
    unknown = ask(planning_dispatcher, "/cost llama3.1:8b rtx 3060")
    assert isinstance(unknown, CostAnswer) and unknown.decode_tokens_per_s is None
    assert "fit engine is not installed" in unknown.summary


# /compare ----------------------------------------------------------------------------------


def test_compare_a_multi_gpu_rig_with_a_mac(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/compare 2x3090 vs m3 max 128gb")
    assert isinstance(answer, CompareAnswer)
    rig, mac = answer.rigs
    assert (rig.memory_gib, mac.memory_gib) == (48, 128)
    assert (rig.power_w, mac.power_w) == (700, None)
    assert (rig.price_usd, mac.price_usd) == (1600, 4999)
    assert rig.fp16_tflops == 142  # 2 x 71
    # 70B needs 44 GiB in the fake engine: fits both
    assert rig.largest_fit == mac.largest_fit == "Llama 3.3 70B Instruct"
    speeds = {s.model_id: s.decode_tokens_per_s for s in rig.speeds}
    assert speeds["llama3.1-8b"].low == pytest.approx(936 * 0.5 / 6)
    mac_speeds = {s.model_id: s.decode_tokens_per_s for s in mac.speeds}
    assert mac_speeds["llama3.3-70b"].high == pytest.approx(400 * 0.8 / 44)
    # the reference runs are at Q4_K_M with 8K context
    assert {(q, c) for _, _, q, c in fake_engine[0].calls} == {("Q4_K_M", 8192)}
    assert answer.sources and answer.sections[-1].heading == "Assumptions"


def test_compare_names_the_side_it_could_not_read(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/compare a:rtx 3090 b:potato 9000")
    assert not answer.answered and answer.missed_option == "b"


def test_compare_without_the_engine_shows_specs_only(
    planning_dispatcher: Dispatcher, no_engine: None
) -> None:
    answer = ask(planning_dispatcher, "/compare 2x rtx 3090 | m3 max 128gb | 3060 x 3")
    assert isinstance(answer, CompareAnswer)
    assert [r.memory_gib for r in answer.rigs] == [48, 128, 36]
    assert answer.rigs[1].price_usd == 4999
    assert all(r.largest_fit is None and not r.speeds for r in answer.rigs)
    assert any("not installed" in a for a in answer.assumptions)


# /choosegpu --------------------------------------------------------------------------------


def test_choosegpu_ranks_for_a_model_and_a_speed(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/choosegpu $1,700 70B at 10 tok/s")
    assert isinstance(answer, ChooseAnswer) and answer.target_model_id == "llama3.3-70b"
    top = answer.picks[0]
    # two used 3090s: 48 GiB >= 44; 936 x 0.5 / 44 = 10.6 tok/s at the slow end
    assert (top.hardware_id, top.count, top.usd, top.meets_target) == ("rtx-3090", 2, 1600, True)
    assert "reaches 10 tokens/s" in top.why
    # four 3060s fit but are too slow (360 x 0.8 / 44 = 6.5 tok/s at best)
    four = next(p for p in answer.picks if p.hardware_id == "rtx-3060-12gb" and p.count == 4)
    assert four.fits and not four.meets_target
    assert answer.sources


def test_choosegpu_coding_target_picks_the_coder_model(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/choosegpu 1000 coding 32B")
    assert isinstance(answer, ChooseAnswer) and answer.target_model_id == "qwen2.5-coder-32b"
    # 21 GiB: one used 3090 (24 GiB, $800) fits and is fastest; two 3060s (24 GiB) are slower
    assert (answer.picks[0].hardware_id, answer.picks[0].count) == ("rtx-3090", 1)


def test_choosegpu_is_honest_about_image_generation(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/choosegpu 2000 image generation")
    assert isinstance(answer, ChooseAnswer) and answer.scope == "out_of_scope"
    assert "can't rank hardware for image generation" in answer.summary
    assert fake_engine == [] or not fake_engine[0].calls


def test_choosegpu_without_a_target_or_engine_ranks_by_memory(
    planning_dispatcher: Dispatcher, no_engine: None
) -> None:
    answer = ask(planning_dispatcher, "/choosegpu 1700")
    assert isinstance(answer, ChooseAnswer) and answer.scope == "general"
    assert [p.memory_gib for p in answer.picks[:2]] == [48, 48]
    # equal memory: the faster memory (936 GB/s) ranks before the cheaper cards (360 GB/s)
    assert [(p.hardware_id, p.usd) for p in answer.picks[:2]] == [
        ("rtx-3090", 1600), ("rtx-3060-12gb", 1316),
    ]  # fmt: skip


def test_choosegpu_use_without_a_size_ranks_by_memory(
    planning_dispatcher: Dispatcher, fake_engine: list
) -> None:
    answer = ask(planning_dispatcher, "/choosegpu 1700 coding")
    assert isinstance(answer, ChooseAnswer) and answer.scope == "general"
    assert any("names no model size" in a for a in answer.assumptions)
    unknown = ask(planning_dispatcher, "/choosegpu 1700 frobnicator 9000")
    assert unknown.error and "could not tell which model" in unknown.summary


def test_choosegpu_budget_too_small(planning_dispatcher: Dispatcher, fake_engine: list) -> None:
    answer = ask(planning_dispatcher, "/choosegpu 100")
    assert answer.error and "$329" in answer.summary


# registry ----------------------------------------------------------------------------------


def test_planning_commands_are_registered_with_autocomplete() -> None:
    registry = commands()
    for name in ("bench", "cost", "compare", "choosegpu"):
        assert name in registry
    assert registry["cost"].option("model").autocomplete == "models"  # type: ignore[union-attr]
    assert registry["cost"].option("hardware").autocomplete == "hardware"  # type: ignore[union-attr]
    assert registry["compare"].option("c").autocomplete == "hardware"  # type: ignore[union-attr]
    assert registry["choosegpu"].option("target").autocomplete == "models"  # type: ignore[union-attr]
    assert registry["choosegpu"].option("budget").type == "integer"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("line", "options"),
    [
        ("/compare 2x3090 vs M3 Max 128GB", {"a": "2x3090", "b": "M3 Max 128GB"}),
        ("/compare 4090 | 7900 xtx | m4 max", {"a": "4090", "b": "7900 xtx", "c": "m4 max"}),
        ("/choosegpu $1,500 70B at 10 tok/s", {"budget": "1500", "target": "70B at 10 tok/s"}),
        ("/choosegpu 2k", {"budget": "2000"}),
        ("/cost qwen2.5:72b 2x3090", {"model": "qwen2.5:72b", "hardware": "2x3090"}),
        ("/bench llama 3 70b q5 rtx 3090", {"model": "llama 3 70b q5", "hardware": "rtx 3090"}),
    ],
)
def test_console_positional_spellings(line: str, options: dict[str, str]) -> None:
    assert parse_line(line) == Invocation(command=line.split(maxsplit=1)[0][1:], options=options)
