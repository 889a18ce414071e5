"""`/compare A B [C]`: hardware side by side, and what each can run.

Specs (memory, bandwidth, compute, power, backends) and dated prices come from the catalog;
"what it runs" comes from the fit engine: the largest model of a reference set that fits fully
at Q4_K_M with 8K context, and the estimated decode speed of a few reference models.
"""

from __future__ import annotations

from bot.content.snapshot import Snapshot
from bot.handlers.planning_input import read_rig
from bot.planning import fitport
from bot.planning.fitport import FitPort, PlanningInputError, Rig
from bot.planning.rigs import entry_for, rig_power, rig_price
from bot.planning.words import assumptions_section, tps
from bot.schema.answers import Answer, Section
from bot.schema.catalog import ModelEntry
from bot.schema.common import Source
from bot.schema.planning import Band, CompareAnswer, ModelSpeed, RigColumn

GIB = 2**30
REFERENCE_QUANT = "Q4_K_M"
REFERENCE_CONTEXT = 8192
REFERENCE_MODELS = (
    "llama3.2-3b",
    "llama3.1-8b",
    "qwen2.5-14b",
    "mistral-small-24b",
    "qwen2.5-32b",
    "mixtral-8x7b",
    "llama3.3-70b",
    "qwen2.5-72b",
    "gpt-oss-120b",
    "llama3.1-405b",
    "deepseek-r1-671b",
)
"""Common sizes from 3B to 671B; the largest that fits fully is each rig's headline."""
SPEED_MODELS = ("llama3.1-8b", "qwen2.5-32b", "llama3.3-70b")
VERDICT_WORDS = {
    "runs_on_gpu": "on GPU",
    "runs_with_offload": "with offload",
    "does_not_run": "does not run",
}


def _quant_for(model: ModelEntry) -> str | None:
    """Q4_K_M, except gpt-oss, which is published in its own 4-bit format (MXFP4)."""
    return None if model.family == "gpt-oss" else REFERENCE_QUANT


def _reference(snapshot: Snapshot, ids: tuple[str, ...]) -> list[ModelEntry]:
    return [snapshot.models[i] for i in ids if i in snapshot.models]


def _fit(port: FitPort, model: ModelEntry, rig: Rig) -> ModelSpeed | None:
    try:
        out = port.fit(model.id, rig.text, quant=_quant_for(model), context=REFERENCE_CONTEXT)
    except PlanningInputError:
        return None
    return ModelSpeed(
        model_id=model.id,
        model_name=model.name,
        verdict=out.verdict,
        decode_tokens_per_s=Band(low=out.decode_low, high=out.decode_high),
    )


def _largest_fit(port: FitPort, models: list[ModelEntry], rig: Rig) -> str | None:
    """The largest reference model that runs fully on the GPU(s), trying the biggest first."""
    for model in sorted(models, key=lambda m: m.params_b, reverse=True):
        result = _fit(port, model, rig)
        if result is not None and result.verdict == "runs_on_gpu":
            return model.name
    return None


def _column(snapshot: Snapshot, rig: Rig, port: FitPort | None) -> RigColumn:
    entries = [(d, entry_for(d, snapshot.hardware)) for d in rig.devices]
    accel = [d for d in rig.devices if d.kind != "cpu"]
    tflops = [e.fp16_tflops * d.count for d, e in entries if e and e.fp16_tflops]
    power = rig_power(rig, snapshot.hardware, baseline_w=0)
    price = rig_price(rig, snapshot.hardware)
    backends = sorted({b for _, e in entries if e for b in e.backends})
    column = RigColumn(
        text=rig.text,
        label=rig.label,
        memory_gib=round(sum(d.memory_bytes * d.count for d in accel) / GIB, 1),
        bandwidth_gbps=[d.bandwidth_gbps for d in rig.devices],
        fp16_tflops=round(sum(tflops), 1) if len(tflops) == len(entries) and tflops else None,
        power_w=power.watts if power.watts and not power.missing else None,
        backends=backends,
        price_usd=price.usd if price and not price.missing else None,
        price_lines=price.lines if price else [],
    )
    if port is None:
        return column
    speeds = [s for m in _reference(snapshot, SPEED_MODELS) if (s := _fit(port, m, rig))]
    largest = _largest_fit(port, _reference(snapshot, REFERENCE_MODELS), rig)
    return column.model_copy(update={"speeds": speeds, "largest_fit": largest})


def _spec_lines(columns: list[RigColumn]) -> str:
    def row(name: str, values: list[str]) -> str:
        return f"- **{name}**: " + " · ".join(
            f"{c.label}: {v}" for c, v in zip(columns, values, strict=True)
        )

    return "\n".join(
        [
            row("Memory", [f"{c.memory_gib:g} GiB" for c in columns]),
            row(
                "Bandwidth",
                [" / ".join(f"{b:g} GB/s" for b in c.bandwidth_gbps) for c in columns],
            ),
            row("FP16 compute", [_or_unknown(c.fp16_tflops, "TFLOPS") for c in columns]),
            row("Rated power", [_or_unknown(c.power_w, "W") for c in columns]),
            row("Backends", [", ".join(c.backends) or "?" for c in columns]),
        ]
    )


def _or_unknown(value: float | None, unit: str) -> str:
    return f"{value:g} {unit}" if value else "not in the catalog"


def _runs_lines(columns: list[RigColumn]) -> str:
    lines = [f"- {c.label}: {c.largest_fit or 'none of the reference models'}" for c in columns]
    model_ids = list(dict.fromkeys(s.model_id for c in columns for s in c.speeds))
    for model_id in model_ids:
        parts = []
        name = model_id
        for c in columns:
            speed = next((s for s in c.speeds if s.model_id == model_id), None)
            if speed is None:
                parts.append(f"{c.label}: ?")
                continue
            name = speed.model_name
            verdict = VERDICT_WORDS.get(speed.verdict, speed.verdict)
            if speed.verdict == "does_not_run":
                parts.append(f"{c.label}: does not run")
            else:
                band = speed.decode_tokens_per_s
                parts.append(f"{c.label}: {tps(band.low, band.high)} ({verdict})")
        lines.append(f"- **{name}**: " + " · ".join(parts))
    return "\n".join(lines)


def _summary(columns: list[RigColumn]) -> str:
    heads = [f"{c.label} ({c.memory_gib:g} GiB at {max(c.bandwidth_gbps):g} GB/s)" for c in columns]
    text = "Side by side: " + " vs ".join(heads) + "."
    fits = [c for c in columns if c.speeds or c.largest_fit]
    if fits:
        text += " Largest reference model fully on the GPU at Q4_K_M, 8K: " + "; ".join(
            f"{c.label}: {c.largest_fit or 'none'}" for c in columns
        )
        text += "."
    return text


def _sources(snapshot: Snapshot, rigs: list[Rig], port: FitPort | None) -> list[Source]:
    found: list[Source] = []
    for rig in rigs:
        for device in rig.devices:
            entry = entry_for(device, snapshot.hardware)
            if entry is not None:
                found.append(entry.sources[0])
                price = rig_price(Rig(text=rig.text, devices=[device]), snapshot.hardware)
                if price is not None:
                    found.append(price.prices[0].source)
    for model in _reference(snapshot, SPEED_MODELS) if port else []:
        found.append(model.sources[0])
    return list(dict.fromkeys(found))[:12]


def compare(snapshot: Snapshot, *, a: str, b: str, c: str | None = None) -> Answer:
    """Two or three rigs side by side, with what each can run and how fast."""
    port = fitport.port_for(snapshot)
    rigs: list[Rig] = []
    for option, text in (("a", a), ("b", b), ("c", c)):
        if not text:
            continue
        rig = read_rig(snapshot, text, port, "compare", option=option)
        if isinstance(rig, Answer):
            return rig
        rigs.append(rig)
    columns = [_column(snapshot, rig, port) for rig in rigs]
    sections = [Section(heading="Side by side", body=_spec_lines(columns))]
    prices = [f"- {c.label}: " + "; ".join(c.price_lines) for c in columns if c.price_lines]
    unpriced = [c.label for c in columns if not c.price_lines]
    if unpriced:
        prices.append(f"- No price in the catalog for: {', '.join(unpriced)}.")
    sections.append(Section(heading="Prices", body="\n".join(prices)))
    assumptions = [
        "Memory counts GPU memory (or the whole unified memory of a Mac or APU), added across "
        "cards; a layer split runs the cards one after another, so bandwidth does not add up.",
        "Rated power is the catalog's TDP per device, without the rest of the computer.",
    ]
    if port is not None:
        sections.append(
            Section(heading="What each runs (Q4_K_M, 8K context)", body=_runs_lines(columns))
        )
        assumptions.append(
            "What each runs and its speed are fit-engine estimates at Q4_K_M (gpt-oss at MXFP4) "
            f"with {REFERENCE_CONTEXT:,} tokens of context, with the engine's default runtime."
        )
    else:
        assumptions.append(fitport.ENGINE_MISSING)
    for rig in rigs:
        assumptions += [f"{rig.label}: {note}" for note in rig.notes]
    sections.append(assumptions_section(assumptions))
    return CompareAnswer(
        answered=True,
        query=" vs ".join(r.text for r in rigs),
        confidence=1.0,
        title=" vs ".join(c.label for c in columns),
        summary=_summary(columns),
        sources=_sources(snapshot, rigs, port),
        sections=sections,
        assumptions=assumptions,
        rigs=columns,
    )
