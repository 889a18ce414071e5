"""`/cost MODEL HARDWARE [hours_per_day] [electricity_price] [watts]`: home cost per million
tokens against cloud prices, and when the hardware pays for itself.

The arithmetic is in `bot.planning.energy`; this handler gathers its inputs (power from the
catalog's TDPs, speed from a measured benchmark or the fit engine, cloud prices from
`catalog/cloud/`) and writes every assumption into the answer.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from bot.content.snapshot import Snapshot
from bot.handlers.planning_input import problem, read_model, read_rig
from bot.planning import energy, fitport
from bot.planning.cloud import quote_line, quotes_for, reference_quote
from bot.planning.fitport import FitOutcome, Rig
from bot.planning.rigs import PowerDraw, rig_power, rig_price
from bot.planning.words import assumptions_section, per_mtok, saving_words, tps, usd, usd_band
from bot.schema.answers import Answer, Section
from bot.schema.catalog import BenchmarkEntry, ModelEntry
from bot.schema.common import Source
from bot.schema.planning import Band, CloudQuote, CostAnswer

DEFAULT_HOURS_PER_DAY = 4
"""Hours of generation a day when the user gives none: a heavy personal or small-team user.
Stated in the answer; the break-even scales with it."""
DEFAULT_USD_PER_KWH = 0.1688
DEFAULT_PRICE_NOTE = "the US residential average for April 2024, 16.88 cents per kWh (EIA)"
DEFAULT_PRICE_SOURCE = Source(
    title="U.S. EIA, Electricity Monthly Update, end use: April 2024 (residential 16.88 c/kWh)",
    url="https://eia.gov/electricity/monthly/update/end-use.php",
)
DEFAULT_QUANT = "Q4_K_M"


@dataclass(frozen=True)
class _Setup:
    """Everything the arithmetic starts from, as read from the options and the catalog."""

    model: ModelEntry
    quant: str
    rig: Rig
    power: PowerDraw
    usd_per_kwh: float
    hours: float
    price_given: bool
    hours_given: bool
    outcome: FitOutcome | None
    engine: bool = True
    """Whether the fit engine was there to ask (so a missing estimate can be explained)."""


@dataclass
class _Speed:
    band: Band | None = None
    basis: str = "none"
    measured: list[BenchmarkEntry] = field(default_factory=list)


@dataclass
class _Money:
    home: Band
    quotes: list[CloudQuote]
    reference: CloudQuote | None = None
    saving: Band | None = None
    hardware_usd: float | None = None
    months: Band | None = None
    lines: list[str] = field(default_factory=list)


def measured_speed(
    snapshot: Snapshot, model_id: str, quant: str, rig: Rig
) -> tuple[Band, list[BenchmarkEntry]] | None:
    """Decode speeds measured for exactly this model, quantization and set of devices, fully
    on the GPU; several reports give their middle half as the range."""
    wanted = {(d.hardware_id, d.count) for d in rig.devices if d.hardware_id}
    if not wanted or len(wanted) != len(rig.devices):
        return None
    found = [
        b
        for b in snapshot.benchmarks.values()
        if b.model == model_id
        and b.metric == "decode_tps"
        and b.quant.upper() == quant.upper()
        and b.gpu_layers is None
        and {(d.hardware, d.count) for d in b.devices} == wanted
    ]
    if not found:
        return None
    values = sorted(b.value for b in found)
    if len(values) > 2:
        quartiles = statistics.quantiles(values, n=4)
        return Band(low=quartiles[0], high=quartiles[2]), found
    return Band(low=values[0], high=values[-1]), found


def _fit(
    snapshot: Snapshot, port: fitport.FitPort | None, model_text: str, rig: Rig
) -> tuple[ModelEntry, str, FitOutcome | None] | Answer:
    """The model, its quantization, and the fit engine's outcome (None without the engine)."""
    if port is not None:
        try:
            outcome = port.fit(model_text, rig.text)
        except fitport.PlanningInputError:
            outcome = None
        if outcome is not None and outcome.model_id in snapshot.models:
            return snapshot.models[outcome.model_id], outcome.quant, outcome
    model = read_model(snapshot, model_text, "cost")
    if isinstance(model, Answer):
        return model
    return model, DEFAULT_QUANT, None


def _setup(snapshot: Snapshot, options: dict[str, str | int | None]) -> _Setup | Answer:
    price_text = options.get("electricity_price")
    try:
        per_kwh = energy.parse_usd_per_kwh(str(price_text)) if price_text else DEFAULT_USD_PER_KWH
    except ValueError as error:
        return problem("cost", str(error))
    port = fitport.port_for(snapshot)
    rig = read_rig(snapshot, str(options["hardware"]), port, "cost")
    if isinstance(rig, Answer):
        return rig
    found = _fit(snapshot, port, str(options["model"]), rig)
    if isinstance(found, Answer):
        return found
    model, quant, outcome = found
    watts = options.get("watts")
    if watts:
        power = PowerDraw(watts=float(watts), parts=[f"{watts} W as you gave it"])
    else:
        power = rig_power(rig, snapshot.hardware)
    if power.watts <= 0 or (power.missing and not watts):
        return _no_power(model, rig, power)
    hours = options.get("hours_per_day")
    return _Setup(
        model=model,
        quant=quant,
        rig=rig,
        power=power,
        usd_per_kwh=per_kwh,
        hours=float(hours or DEFAULT_HOURS_PER_DAY),
        price_given=bool(price_text),
        hours_given=bool(hours),
        outcome=outcome,
        engine=port is not None,
    )


def _no_power(model: ModelEntry, rig: Rig, power: PowerDraw) -> Answer:
    names = ", ".join(power.missing) or rig.label
    return Answer(
        kind="cost",
        answered=False,
        query=f"{model.id} | {rig.text}",
        entry_id=model.id,
        title="Power draw unknown",
        summary=(
            f"The catalog has no rated power for {names}, so I can't work out the electricity "
            "cost. Add the draw you measure at the wall, e.g. `watts:250`."
        ),
        missed_option="watts",
    )


def _speed(snapshot: Snapshot, setup: _Setup) -> _Speed:
    measured = measured_speed(snapshot, setup.model.id, setup.quant, setup.rig)
    if measured is not None:
        return _Speed(band=measured[0], basis="measured", measured=measured[1])
    outcome = setup.outcome
    if outcome is not None and outcome.verdict != "does_not_run" and outcome.decode_low > 0:
        return _Speed(
            band=Band(low=outcome.decode_low, high=outcome.decode_high), basis="estimated"
        )
    return _Speed()


def _money(snapshot: Snapshot, setup: _Setup, speed: Band) -> _Money:
    """Home cost, the cloud comparison and the break-even, each with the line that shows it."""
    watts, per_kwh, hours = setup.power.watts, setup.usd_per_kwh, setup.hours
    home = energy.home_cost_band(watts, speed, per_kwh)
    kwh_low = energy.kwh_per_million_tokens(watts, speed.high)
    kwh_high = energy.kwh_per_million_tokens(watts, speed.low)
    money = _Money(home=home, quotes=quotes_for(setup.model.id, snapshot.cloud.values()))
    money.lines.append(
        f"{watts:g} W for {energy.hours_per_million_tokens(speed.high):.1f}-"
        f"{energy.hours_per_million_tokens(speed.low):.1f} h per million tokens = "
        f"{kwh_low:.2f}-{kwh_high:.2f} kWh, x ${per_kwh:.4g}/kWh = "
        f"**{usd_band(home.low, home.high)} per million tokens** in electricity."
    )
    money.reference = reference_quote(money.quotes)
    if money.reference is None:
        return money
    out_price = money.reference.output_usd_per_mtok
    cloud_low = energy.cloud_cost_per_month(speed.low, hours, out_price)
    cloud_high = energy.cloud_cost_per_month(speed.high, hours, out_price)
    power_month = energy.electricity_per_month(watts, hours, per_kwh)
    money.saving = Band(low=cloud_low - power_month, high=cloud_high - power_month)
    tokens = (
        energy.tokens_per_month(speed.low, hours) / 1e6,
        energy.tokens_per_month(speed.high, hours) / 1e6,
    )
    money.lines.append(
        f"At {hours:g} h of generation a day, {tokens[0]:.1f}-{tokens[1]:.1f} million tokens a "
        f"month would cost {usd_band(cloud_low, cloud_high)} at {money.reference.provider}'s "
        f"output price, against {usd(power_month)} of electricity at home: "
        f"{saving_words(money.saving.low, money.saving.high)}."
    )
    price = rig_price(setup.rig, snapshot.hardware)
    if price is None or price.missing:
        money.lines.append("The catalog has no complete price for this hardware: no break-even.")
        return money
    money.hardware_usd = price.usd
    money.months = energy.break_even_band(
        price.usd, watts, speed, hours_per_day=hours, usd_per_kwh=per_kwh,
        cloud_usd_per_mtok=out_price,
    )  # fmt: skip
    money.lines.append(
        f"Hardware {usd(price.usd)} ({'; '.join(price.lines)}) / monthly saving = break-even: "
        f"**{energy.format_break_even(money.months)}**."
    )
    return money


def _assumptions(setup: _Setup, money: _Money | None) -> list[str]:
    power = setup.power
    price_note = "" if setup.price_given else f" ({DEFAULT_PRICE_NOTE}; set `electricity_price`)"
    found = [
        f"Power: {' + '.join(power.parts)} = {power.watts:g} W, drawn the whole time tokens are "
        "generated. Rated power is an upper bound; generation often draws less, so the real "
        "cost is likely lower.",
        f"Electricity: ${setup.usd_per_kwh:.4g} per kWh{price_note}.",
        f"Use: {setup.hours:g} h of generation a day"
        + ("" if setup.hours_given else " (set `hours_per_day`)")
        + ", 30-day months.",
        "Only generated tokens are counted, at the cloud's output price; prompt tokens (cheaper "
        "in the cloud, fast at home) are left out of both sides, as are resale value and idle "
        "power.",
    ]
    if money is not None and money.reference is not None:
        found.append(
            f"The break-even uses the cheapest listed price ({money.reference.provider}), the "
            "hardest for home hardware to beat."
        )
    if money is not None and not money.quotes:
        found.append("No cloud price in the catalog matches this model yet.")
    return found


def _summary(setup: _Setup, speed: _Speed, money: _Money | None) -> str:
    name = f"{setup.model.name} {setup.quant} on {setup.rig.label}"
    if money is None or speed.band is None:
        if setup.outcome is not None and setup.outcome.verdict == "does_not_run":
            return f"{name}: it does not fit, so there is no home cost to work out."
        if setup.engine:
            return (
                f"{name}: the catalog has no measured speed for this setup and the fit engine "
                "could not estimate one, so there is no cost per token to work out."
            )
        return (
            f"{name}: the catalog has no measured speed for this setup, and "
            f"{fitport.ENGINE_MISSING[0].lower()}{fitport.ENGINE_MISSING[1:]}"
        )
    text = (
        f"{name}: about {usd_band(money.home.low, money.home.high)} of electricity per million "
        f"generated tokens at {tps(speed.band.low, speed.band.high)}"
    )
    if money.reference is None:
        return text + "; the catalog has no cloud price for this or a comparable model yet."
    out_price = per_mtok(money.reference.output_usd_per_mtok)
    text += f", against {out_price} at {money.reference.provider}"
    if money.months is not None:
        text += f"; break-even {energy.format_break_even(money.months)}"
        if not math.isinf(money.months.low):
            text += f" (at {setup.hours:g} h a day)"
    return text + "."


def _speed_section(speed: _Speed, outcome: FitOutcome | None) -> Section:
    assert speed.band is not None
    shown = tps(speed.band.low, speed.band.high)
    if speed.basis == "measured":
        lines = [f"{shown}, measured:"]
        lines += [
            f"- {b.value:g} tokens/s ({b.runtime}; {b.sources[0].title})" for b in speed.measured
        ]
    else:
        assert outcome is not None
        lines = [
            f"{shown}, estimated by the fit engine for {outcome.quant} at {outcome.context:,} "
            "tokens of context (the catalog has no measurement of this exact setup)."
        ]
        if outcome.verdict == "runs_with_offload":
            lines.append(
                "The model does not fit in GPU memory: part of it runs from system RAM, "
                "which is why the speed is low. See `/willitrun` for the split."
            )
    return Section(heading="Decode speed", body="\n".join(lines))


def _sources(
    snapshot: Snapshot, setup: _Setup, speed: _Speed, money: _Money | None
) -> list[Source]:
    """The pages behind every figure: electricity price, speeds, cloud prices, TDPs, prices."""
    found: list[Source] = [] if setup.price_given else [DEFAULT_PRICE_SOURCE]
    found += [b.sources[0] for b in speed.measured]
    if speed.basis == "estimated" and setup.outcome is not None:
        found += setup.outcome.sources[:3]
    if money is not None:
        found += [q.source for q in money.quotes]
    for device in setup.rig.devices:
        entry = snapshot.hardware.get(device.hardware_id or "")
        if entry is not None:
            found.append(entry.sources[0])
    if money is not None and money.hardware_usd is not None:
        price = rig_price(setup.rig, snapshot.hardware)
        found += [p.source for p in price.prices] if price else []
    return list(dict.fromkeys(found))[:12]


def cost(
    snapshot: Snapshot,
    *,
    model: str,
    hardware: str,
    hours_per_day: int | None = None,
    electricity_price: str | None = None,
    watts: int | None = None,
) -> Answer:
    """Electricity per million tokens at home, cloud prices for the same or a comparable model,
    and the months until the hardware pays for itself."""
    options: dict[str, str | int | None] = {
        "model": model,
        "hardware": hardware,
        "hours_per_day": hours_per_day,
        "electricity_price": electricity_price,
        "watts": watts,
    }
    setup = _setup(snapshot, options)
    if isinstance(setup, Answer):
        return setup
    speed = _speed(snapshot, setup)
    money = _money(snapshot, setup, speed.band) if speed.band is not None else None
    sections: list[Section] = []
    if money is not None:
        sections.append(_speed_section(speed, setup.outcome))
        sections.append(Section(heading="Home cost per million tokens", body=money.lines[0]))
        if money.quotes:
            lines = "\n".join(f"- {quote_line(q)}" for q in money.quotes)
            sections.append(Section(heading="Cloud prices", body=lines))
        if len(money.lines) > 1:
            sections.append(Section(heading="Against the cloud", body="\n".join(money.lines[1:])))
    else:
        hourly = setup.power.watts / 1000 * setup.usd_per_kwh
        sections.append(
            Section(
                heading="What can be said",
                body=f"At {setup.power.watts:g} W the rig costs {usd(hourly)} an hour to run.",
            )
        )
    assumptions = _assumptions(setup, money)
    sections.append(assumptions_section(assumptions))
    months = money.months if money else None
    never = months is not None and math.isinf(months.high)
    return CostAnswer(
        answered=True,
        query=f"{model} | {hardware}",
        entry_id=setup.model.id,
        confidence=1.0,
        title=f"Cost: {setup.model.name} on {setup.rig.label}",
        summary=_summary(setup, speed, money),
        sources=_sources(snapshot, setup, speed, money),
        sections=sections,
        assumptions=assumptions,
        model_id=setup.model.id,
        hardware=setup.rig.label,
        quant=setup.quant,
        power_w=setup.power.watts,
        decode_tokens_per_s=speed.band,
        speed_basis=speed.basis,  # type: ignore[arg-type]
        usd_per_kwh=setup.usd_per_kwh,
        hours_per_day=setup.hours,
        home_usd_per_mtok=money.home if money else None,
        cloud=money.quotes if money else [],
        hardware_usd=money.hardware_usd if money else None,
        monthly_saving_usd=money.saving if money else None,
        break_even_months=None if never else months,
        break_even_never=never,
    )
