"""The /cost arithmetic against figures worked out by hand (shown in each test)."""

from __future__ import annotations

import math

import pytest

from bot.planning import energy
from bot.schema.planning import Band


def test_hours_and_energy_per_million_tokens() -> None:
    # 1,000,000 / 50 tok/s = 20,000 s = 5.5556 h; at 410 W that is 2.2778 kWh.
    assert energy.hours_per_million_tokens(50) == pytest.approx(5.555556, rel=1e-6)
    assert energy.kwh_per_million_tokens(410, 50) == pytest.approx(2.277778, rel=1e-6)
    # x $0.1688/kWh = $0.38449
    assert energy.home_cost_per_million(410, 50, 0.1688) == pytest.approx(0.384489, rel=1e-5)


def test_cost_band_fast_end_is_cheap_end() -> None:
    # 230 W; 48 tok/s -> 5.787 h -> 1.33102 kWh -> $0.22468; 30 tok/s -> $0.35948
    band = energy.home_cost_band(230, Band(low=30, high=48), 0.1688)
    assert band.low == pytest.approx(0.224676, rel=1e-5)
    assert band.high == pytest.approx(0.359481, rel=1e-5)


def test_monthly_figures() -> None:
    # 10 tok/s x 3600 s x 4 h x 30 days = 4,320,000 tokens
    assert energy.tokens_per_month(10, 4) == 4_320_000
    # 0.76 kW x 4 h x 30 days x $0.1688 = $15.39456
    assert energy.electricity_per_month(760, 4, 0.1688) == pytest.approx(15.39456)
    # 4.32 M tokens x $0.32 = $1.3824
    assert energy.cloud_cost_per_month(10, 4, 0.32) == pytest.approx(1.3824)


def test_break_even_with_a_saving() -> None:
    # 100 tok/s, 8 h/day: 86.4 M tokens = $432 at $5/M; electricity 0.41 x 8 x 30 x 0.10 = $9.84
    saving = energy.monthly_saving(410, 100, 8, 0.10, 5.0)
    assert saving == pytest.approx(422.16)
    # $1,499 / $422.16 = 3.5508 months
    assert energy.break_even_months(1499, saving) == pytest.approx(3.550786, rel=1e-6)


def test_no_saving_never_breaks_even() -> None:
    saving = energy.monthly_saving(760, 16, 4, 0.1688, 0.32)
    assert saving == pytest.approx(2.21184 - 15.39456)
    assert math.isinf(energy.break_even_months(1600, saving))
    band = energy.break_even_band(
        1600, 760, Band(low=16, high=16), hours_per_day=4, usd_per_kwh=0.1688,
        cloud_usd_per_mtok=0.32,
    )  # fmt: skip
    assert energy.format_break_even(band).startswith("never")


def test_break_even_band_fast_end_pays_back_sooner() -> None:
    band = energy.break_even_band(
        329, 230, Band(low=30, high=48), hours_per_day=4, usd_per_kwh=0.1688,
        cloud_usd_per_mtok=15,
    )  # fmt: skip
    # fast: 20.736 M tokens x $15 = $311.04 - $4.65888 = $306.38112 -> 1.0738 months
    # slow: 12.96 M tokens x $15 = $194.40 - $4.65888 = $189.74112 -> 1.7339 months
    assert band.low == pytest.approx(329 / 306.38112)
    assert band.high == pytest.approx(329 / 189.74112)
    assert energy.format_break_even(band) == "1.1 months to 1.7 months"


def test_half_open_break_even_says_so() -> None:
    text = energy.format_break_even(Band(low=7.2, high=math.inf))
    assert text == "7 months at the fast end of the speed estimate, never at the slow end"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.15", 0.15), ("$0.30/kWh", 0.30), ("15c", 0.15), ("15 cents", 0.15), ("30", 0.30)],
)
def test_electricity_price_spellings(text: str, expected: float) -> None:
    assert energy.parse_usd_per_kwh(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["cheap", "0.001", "900"])
def test_unusable_electricity_prices(text: str) -> None:
    with pytest.raises(ValueError, match="kWh"):
        energy.parse_usd_per_kwh(text)


def test_zero_speed_is_refused() -> None:
    with pytest.raises(ValueError):
        energy.hours_per_million_tokens(0)


@pytest.mark.parametrize(
    ("months", "words"), [(0.5, "0.5 months"), (7.2, "7 months"), (30, "2.5 years")]
)
def test_month_wording(months: float, words: str) -> None:
    assert energy.format_months(months) == words
