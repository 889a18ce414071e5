"""Power, price and budget candidates from the catalog, and reading a /choosegpu target."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.content.snapshot import Snapshot
from bot.handlers.planning_input import device_of
from bot.planning.fitport import Rig
from bot.planning.rigs import current_price, rig_power, rig_price
from bot.planning.targets import candidates, model_words, pick_model, read_target


def _rig(snapshot: Snapshot, *parts: tuple[str, int]) -> Rig:
    return Rig(text="", devices=[device_of(snapshot.hardware[i], n) for i, n in parts])


def test_two_3090s_draw_their_tdp_plus_the_baseline(planning_snapshot: Snapshot) -> None:
    power = rig_power(_rig(planning_snapshot, ("rtx-3090", 2)), planning_snapshot.hardware)
    assert power.watts == 2 * 350 + 60
    assert power.missing == []


def test_a_mac_without_a_rated_power_is_reported_missing(planning_snapshot: Snapshot) -> None:
    power = rig_power(_rig(planning_snapshot, ("apple-m3-max-40c", 1)), planning_snapshot.hardware)
    assert power.watts == 0
    assert power.missing == ["Apple M3 Max (40-core GPU)"]


def test_prices_file_is_merged_into_the_device(planning_snapshot: Snapshot) -> None:
    prices = planning_snapshot.hardware["rtx-3090"].prices
    assert [(p.condition, p.usd) for p in prices] == [("msrp", 1499), ("used", 800)]


def test_current_price_prefers_market_over_launch_price(planning_snapshot: Snapshot) -> None:
    price = current_price(planning_snapshot.hardware["rtx-3090"])
    assert price is not None and (price.condition, price.usd) == ("used", 800)
    card = planning_snapshot.hardware["rtx-3060-12gb"]
    launches = [p for p in card.prices if p.condition == "msrp"]
    launch_only = current_price(card.model_copy(update={"prices": launches}))
    assert launch_only is not None and launch_only.condition == "msrp"


def test_price_follows_the_memory_configuration(planning_snapshot: Snapshot) -> None:
    mac = planning_snapshot.hardware["apple-m3-max-40c"]
    assert current_price(mac, 128).usd == 4999  # type: ignore[union-attr]
    assert current_price(mac, 48).usd == 3999  # type: ignore[union-attr]


def test_rig_price_multiplies_by_the_count(planning_snapshot: Snapshot) -> None:
    price = rig_price(_rig(planning_snapshot, ("rtx-3090", 2)), planning_snapshot.hardware)
    assert price is not None and price.usd == 1600
    assert "2 x $800 = $1,600 used on 2026-10-01" in price.lines[0]


def test_targets_are_read_from_free_text() -> None:
    target = read_target("70B at 10 tok/s")
    assert (target.params_b, target.tokens_per_s, target.coding) == (70, 10, False)
    assert read_target("coding 32B").coding
    assert read_target("25 tokens/s for 8b").tokens_per_s == 25
    assert read_target("image generation").out_of_scope == "image generation"
    assert read_target("fine-tuning a 7B").out_of_scope == "training and fine-tuning"
    assert read_target(None).text == ""


@pytest.mark.parametrize(("text", "words"), [("70B at 10 tok/s", ""), ("coding 32B", ""),
                                             ("qwen2.5:72b at 5 t/s", "qwen2.5:72b")])  # fmt: skip
def test_model_words_drop_sizes_and_speeds(text: str, words: str) -> None:
    assert model_words(text) == words


def test_a_size_picks_a_catalog_model(planning_snapshot: Snapshot) -> None:
    models = planning_snapshot.models.values()
    assert pick_model(read_target("70B"), models).id == "llama3.3-70b"  # type: ignore[union-attr]
    coder = pick_model(read_target("coding 32B"), models)
    assert coder is not None and coder.id == "qwen2.5-coder-32b"
    plain = pick_model(read_target("32B"), models)
    assert plain is not None and plain.id == "qwen2.5-32b"
    assert pick_model(read_target("400B"), models) is None


LAUNCH_YEAR_LATER = dt.date(2022, 3, 1)
"""A day when the fixture's launch prices (2020-2021) are still recent."""


def test_launch_prices_older_than_three_years_are_not_ranked(planning_snapshot: Snapshot) -> None:
    hardware = dict(planning_snapshot.hardware)
    card = hardware["rtx-3060-12gb"]
    launches = [p for p in card.prices if p.condition == "msrp"]  # 2021-01-12
    hardware["rtx-3060-12gb"] = card.model_copy(update={"prices": launches})

    def ids(today: dt.date) -> set[str]:
        return {c.entry.id for c in candidates(hardware, 1700, today)}

    assert "rtx-3060-12gb" in ids(LAUNCH_YEAR_LATER)
    assert "rtx-3060-12gb" not in ids(LAUNCH_YEAR_LATER + dt.timedelta(days=4 * 365))
    assert "rtx-3090" in ids(LAUNCH_YEAR_LATER + dt.timedelta(days=4 * 365))  # a used price


def test_candidates_stay_within_budget(planning_snapshot: Snapshot) -> None:
    found = {
        (c.entry.id, c.count, c.price.condition)
        for c in candidates(planning_snapshot.hardware, 1700, LAUNCH_YEAR_LATER)
    }
    # 3090s: used $800 -> 1 or 2 fit in $1,700; the launch price is dropped (a used price exists)
    assert ("rtx-3090", 2, "used") in found
    assert ("rtx-3090", 3, "used") not in found
    assert not any(c == "msrp" for i, _, c in found if i == "rtx-3090")
    # 3060s: used at $329 -> up to four cards ($1,316)
    assert ("rtx-3060-12gb", 4, "used") in found
    # the laptop Mac is one unit and costs more than the budget
    assert not any(i == "apple-m3-max-40c" for i, _, _ in found)
