"""`/bench MODEL [HARDWARE]`: the measured figures the catalog holds for a model, with sources.

Nothing here is estimated: each line is a published measurement (or one with the command that
reproduces it), quoted with its runtime, quantization, context and source.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.content.snapshot import Snapshot
from bot.handlers.entries import not_found
from bot.planning import fitport
from bot.planning.words import assumptions_section
from bot.schema.answers import Answer, Section, Suggestion
from bot.schema.catalog import BenchmarkEntry
from bot.schema.common import Source
from bot.schema.planning import BenchAnswer, BenchRow

MAX_ROWS = 15
MAX_SOURCES = 10
METRICS = {
    "decode_tps": ("Decode (generation) speed", "tokens/s"),
    "prompt_tps": ("Prompt processing speed", "tokens/s"),
    "vram_used_gib": ("Memory in use", "GiB"),
    "kv_cache_mib": ("KV cache size", "MiB"),
    "compute_mib": ("Compute buffer size", "MiB"),
}


def _device_label(snapshot: Snapshot, bench: BenchmarkEntry) -> str:
    names = []
    for device in bench.devices:
        entry = snapshot.hardware.get(device.hardware)
        name = entry.name if entry else device.hardware
        names.append(f"{device.count}x {name}" if device.count > 1 else name)
    return " + ".join(names)


def _row(snapshot: Snapshot, bench: BenchmarkEntry) -> BenchRow:
    return BenchRow(
        benchmark_id=bench.id,
        hardware=_device_label(snapshot, bench),
        hardware_ids=[d.hardware for d in bench.devices],
        quant=bench.quant,
        runtime=bench.runtime,
        metric=bench.metric,
        value=bench.value,
        unit=METRICS[bench.metric][1],
        context=bench.context,
        kv_cache=bench.kv_cache,
        prompt_tokens=bench.prompt_tokens,
        gen_tokens=bench.gen_tokens,
        gpu_layers=bench.gpu_layers,
        command=bench.command,
        measured_on=bench.measured_on,
        notes=bench.notes,
        source=bench.sources[0],
    )


def _hardware_ids(snapshot: Snapshot, text: str) -> tuple[set[str], str] | Answer:
    """The catalog ids the hardware text names (every device of a rig), or a not-found answer."""
    port = fitport.port_for(snapshot)
    if port is not None:
        try:
            rig = port.read_rig(text)
        except fitport.PlanningInputError:
            rig = None
        if rig is not None:
            ids = {d.hardware_id for d in rig.devices if d.hardware_id}
            if ids:
                return ids, rig.label
    match = snapshot.indexes.hardware.resolve(text)
    if not (match.confident and match.best):
        miss = not_found("bench", text, "a device", match)
        return miss.model_copy(update={"missed_option": "hardware"})
    return {match.best.entry_id}, match.best.title


def _describe(row: BenchRow, snapshot: Snapshot) -> str:
    runtime = snapshot.tools.get(row.runtime)
    setup = [row.quant, runtime.name if runtime else row.runtime]
    if row.context:
        setup.append(f"{row.context:,} context")
    if row.kv_cache != "f16":
        setup.append(f"KV {row.kv_cache}")
    if row.prompt_tokens:
        setup.append(f"pp{row.prompt_tokens}")
    if row.gen_tokens:
        setup.append(f"tg{row.gen_tokens}")
    if row.gpu_layers is not None:
        setup.append(f"{row.gpu_layers} layers on GPU")
    when = f", measured {row.measured_on.isoformat()}" if row.measured_on else ""
    figure = f"**{row.value:g} {row.unit}**"
    return f"- {row.hardware}: {figure} ({', '.join(setup)}{when}; {row.source.title})"


def _sections(rows: list[BenchRow], snapshot: Snapshot, hidden: int) -> list[Section]:
    sections = []
    for metric, (heading, _unit) in METRICS.items():
        lines = [_describe(r, snapshot) for r in rows if r.metric == metric]
        if lines:
            sections.append(Section(heading=heading, body="\n".join(lines)))
    commands = list(dict.fromkeys(r.command for r in rows if r.command))
    if commands:
        body = "\n".join(f"```\n{c}\n```" for c in commands[:5])
        sections.append(Section(heading="Commands that reproduce them", body=body))
    if hidden:
        sections.append(
            Section(
                heading="More",
                body=f"{hidden} more figures are in the catalog; name a device to narrow them.",
            )
        )
    return sections


def _order(bench: BenchmarkEntry) -> tuple[int, str, float]:
    return (list(METRICS).index(bench.metric), bench.quant, -bench.value)


def _sources(rows: Iterable[BenchRow]) -> list[Source]:
    return list(dict.fromkeys(r.source for r in rows))[:MAX_SOURCES]


def _hardware_with_figures(snapshot: Snapshot, found: list[BenchmarkEntry]) -> list[Suggestion]:
    ids = dict.fromkeys(d.hardware for b in found for d in b.devices)
    return [
        Suggestion(entry_id=i, title=snapshot.hardware[i].name, kind="hardware", score=1.0)
        for i in ids
        if i in snapshot.hardware
    ][:5]


def bench(snapshot: Snapshot, model: str, hardware: str | None = None) -> Answer:
    """Measured figures for a model, optionally on one device or rig, with their sources."""
    match = snapshot.indexes.models.resolve(model)
    if not (match.confident and match.best):
        return not_found("bench", model, "a model", match)
    entry = snapshot.models[match.best.entry_id]
    found = sorted((b for b in snapshot.benchmarks.values() if b.model == entry.id), key=_order)
    label = None
    if hardware:
        wanted = _hardware_ids(snapshot, hardware)
        if not isinstance(wanted, tuple):
            return wanted
        ids, label = wanted
        on_hardware = [b for b in found if {d.hardware for d in b.devices} & ids]
        if not on_hardware:
            return Answer(
                kind="bench",
                answered=False,
                query=f"{model} | {hardware}",
                entry_id=entry.id,
                confidence=match.best.score,
                title="No measurements yet",
                summary=(
                    f"The catalog has no measured figures for {entry.name} on {label} yet. "
                    + (
                        f"It has {len(found)} on other hardware (see the suggestions)."
                        if found
                        else ""
                    )
                    + " The question has been noted for the editors."
                ).replace("  ", " "),
                suggestions=_hardware_with_figures(snapshot, found),
                missed_option="hardware",
            )
        found = on_hardware
    if not found:
        return Answer(
            kind="bench",
            answered=False,
            query=model,
            entry_id=entry.id,
            confidence=match.best.score,
            title="No measurements yet",
            summary=(
                f"The catalog has no measured figures for {entry.name} yet. `/willitrun` can "
                "estimate its speed. The question has been noted for the editors."
            ),
            missed_option="model",
        )
    rows = [_row(snapshot, b) for b in found]
    shown = rows[:MAX_ROWS]
    decode = [r for r in rows if r.metric == "decode_tps"]
    where = f" on {label}" if label else ""
    summary = f"{len(rows)} measured figure{'s' if len(rows) != 1 else ''} for {entry.name}{where}"
    if decode:
        best = max(decode, key=lambda r: r.value)
        runtime = snapshot.tools.get(best.runtime)
        summary += (
            f"; the fastest decode is {best.value:g} tokens/s on {best.hardware} "
            f"({best.quant}, {runtime.name if runtime else best.runtime})"
        )
    assumptions = [
        "These are published measurements, not estimates; setups differ (runtime version, "
        "flash attention, power limits), so compare like with like."
    ]
    return BenchAnswer(
        answered=True,
        query=f"{model} | {hardware}" if hardware else model,
        entry_id=entry.id,
        confidence=match.best.score,
        title=f"Measured: {entry.name}{where}",
        summary=summary + ".",
        sources=_sources(shown),
        suggestions=match.suggestions,
        sections=[
            *_sections(shown, snapshot, len(rows) - len(shown)),
            assumptions_section(assumptions),
        ],
        model_id=entry.id,
        hardware_filter=label,
        rows=rows,
        assumptions=assumptions,
    )
