"""The arithmetic of `/cost`: electricity per million tokens at home, and the break-even point.

Every term is a named function so the answer can show it and a test can check it by hand:

    power (W)            = sum of the devices' rated power (TDP x count) + a system baseline
    hours per 1M tokens  = 1,000,000 / tokens per second / 3,600
    kWh per 1M tokens    = power / 1,000 x hours per 1M tokens
    home $ per 1M tokens = kWh per 1M tokens x electricity price ($/kWh)
    tokens per month     = tokens per second x 3,600 x hours per day x 30
    monthly saving       = tokens per month / 1M x cloud $ per 1M - power x hours x 30 x price
    break-even (months)  = hardware price / monthly saving   (never, if the saving is <= 0)

A speed range gives a cost range: the slow end costs more per token and saves less per month.
"""

from __future__ import annotations

import math

from bot.schema.planning import Band

SECONDS_PER_HOUR = 3600
DAYS_PER_MONTH = 30
"""A month is taken as 30 days; the answer says so."""
TOKENS_PER_MILLION = 1_000_000


def hours_per_million_tokens(tokens_per_s: float) -> float:
    """Hours of generation needed for one million tokens at this decode speed."""
    if tokens_per_s <= 0:
        raise ValueError("decode speed must be positive")
    return TOKENS_PER_MILLION / tokens_per_s / SECONDS_PER_HOUR


def kwh_per_million_tokens(power_w: float, tokens_per_s: float) -> float:
    """Energy drawn while generating one million tokens, in kilowatt-hours."""
    return power_w / 1000 * hours_per_million_tokens(tokens_per_s)


def home_cost_per_million(power_w: float, tokens_per_s: float, usd_per_kwh: float) -> float:
    """Electricity cost of generating one million tokens at home, in dollars."""
    return kwh_per_million_tokens(power_w, tokens_per_s) * usd_per_kwh


def home_cost_band(power_w: float, speed: Band, usd_per_kwh: float) -> Band:
    """Cost per million tokens for a speed range: the fast end is the cheap end."""
    return Band(
        low=home_cost_per_million(power_w, speed.high, usd_per_kwh),
        high=home_cost_per_million(power_w, speed.low, usd_per_kwh),
    )


def tokens_per_month(tokens_per_s: float, hours_per_day: float) -> float:
    """Tokens generated in a 30-day month of `hours_per_day` hours of generation a day."""
    return tokens_per_s * SECONDS_PER_HOUR * hours_per_day * DAYS_PER_MONTH


def electricity_per_month(power_w: float, hours_per_day: float, usd_per_kwh: float) -> float:
    """Dollars of electricity for a 30-day month at `hours_per_day` hours a day."""
    return power_w / 1000 * hours_per_day * DAYS_PER_MONTH * usd_per_kwh


def cloud_cost_per_month(
    tokens_per_s: float, hours_per_day: float, cloud_usd_per_mtok: float
) -> float:
    """What the same monthly output would cost from a cloud API at its output-token price."""
    return tokens_per_month(tokens_per_s, hours_per_day) / TOKENS_PER_MILLION * cloud_usd_per_mtok


def monthly_saving(
    power_w: float,
    tokens_per_s: float,
    hours_per_day: float,
    usd_per_kwh: float,
    cloud_usd_per_mtok: float,
) -> float:
    """Cloud bill minus home electricity for the same month of generation (may be negative)."""
    cloud = cloud_cost_per_month(tokens_per_s, hours_per_day, cloud_usd_per_mtok)
    return cloud - electricity_per_month(power_w, hours_per_day, usd_per_kwh)


def break_even_months(hardware_usd: float, saving_per_month: float) -> float:
    """Months until the saving pays for the hardware; infinity when there is no saving."""
    if saving_per_month <= 0:
        return math.inf
    return hardware_usd / saving_per_month


def break_even_band(
    hardware_usd: float,
    power_w: float,
    speed: Band,
    *,
    hours_per_day: float,
    usd_per_kwh: float,
    cloud_usd_per_mtok: float,
) -> Band:
    """Break-even months for a speed range: the fast end pays back sooner."""
    fast = monthly_saving(power_w, speed.high, hours_per_day, usd_per_kwh, cloud_usd_per_mtok)
    slow = monthly_saving(power_w, speed.low, hours_per_day, usd_per_kwh, cloud_usd_per_mtok)
    return Band(
        low=break_even_months(hardware_usd, fast), high=break_even_months(hardware_usd, slow)
    )


def parse_usd_per_kwh(text: str) -> float:
    """An electricity price as people write it: "0.15", "$0.15", "15c", "15 cents", "0.15/kWh".

    Raises ValueError for anything else or for prices outside 1 cent to 5 dollars a kWh."""
    t = text.strip().lower().replace("$", "").replace("usd", "").replace(" ", "")
    for suffix in ("/kwh", "perkwh", "kwh"):
        t = t.removesuffix(suffix)
    cents = t.endswith(("c", "cents", "cent", "¢"))
    for suffix in ("cents", "cent", "c", "¢"):
        t = t.removesuffix(suffix)
    try:
        value = float(t)
    except ValueError:
        raise ValueError(f"{text!r} is not a price per kWh; write it like 0.15 or 15c") from None
    if cents or value >= 5:
        value /= 100
    if not 0.01 <= value <= 5:
        raise ValueError("an electricity price must be between 1 cent and 5 dollars per kWh")
    return value


def format_months(months: float) -> str:
    """ "7 months", "2.5 years", "never" for a break-even time."""
    if math.isinf(months):
        return "never"
    if months < 24:
        return f"{months:.0f} months" if months >= 3 else f"{months:.1f} months"
    return f"{months / 12:.1f} years"


def format_break_even(months: Band) -> str:
    """The break-even range in words; `low` is the fast (sooner) end."""
    if math.isinf(months.low):
        return "never: the cloud costs less than the electricity alone"
    fast = format_months(months.low)
    if math.isinf(months.high):
        return f"{fast} at the fast end of the speed estimate, never at the slow end"
    slow = format_months(months.high)
    return fast if fast == slow else f"{fast} to {slow}"
