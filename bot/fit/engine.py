"""`estimate(request, catalog) -> FitResult`: the whole `/willitrun` answer, pure and deterministic.

Order of work: read the model and quantization, read the hardware, pick the runtime and its
defaults (context, flash attention), evaluate memory/placement/speed, then the neighbouring
cases that make the advice (best quant, context table, alternatives) and the commands.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

from bot.fit.errors import UnknownQuant
from bot.fit.hardware_parser import parse_hardware
from bot.fit.kv_cache import KvType
from bot.fit.model_parser import model_family, parse_model, split_quant
from bot.fit.placement import DeviceUse
from bot.fit.platform import platform_caveats
from bot.fit.quant import COMMON_QUANTS, normalize_quant
from bot.fit.runtimes import (
    FIT_MIN_CONTEXT,
    OLLAMA,
    OLLAMA_CONTEXT_TIERS,
    RuntimeProfile,
    ollama_default_context,
    resolve_runtime,
)
from bot.fit.scenario import (
    Case,
    Evaluation,
    Hardware,
    build_hardware,
    evaluate,
    max_full_context,
    pooled_full_fit,
    runtime_backend,
)
from bot.fit.verdict import (
    alternatives,
    best_quant,
    classify,
    context_table,
    gib,
    recommendation,
    reproduce_commands,
)
from bot.fit.weights import is_gpt_oss
from bot.schema.catalog import BenchmarkEntry, HardwareEntry, ModelEntry
from bot.schema.common import Source
from bot.schema.fit import (
    DeviceMemory,
    FitRequest,
    FitResult,
    MemoryBreakdown,
    ParsedHardware,
    Placement,
    Range,
    Speed,
    Understood,
    UnderstoodDevice,
    UnderstoodHardware,
    UnderstoodModel,
    Verdict,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

METHOD_SOURCES = (
    Source(
        title="llama.cpp: src/llama-quant.cpp (which tensors each quantization gives more bits)",
        url="https://github.com/ggml-org/llama.cpp/blob/master/src/llama-quant.cpp",
    ),
    Source(
        title="Ollama docs: Context length (default context by VRAM)",
        url="https://github.com/ollama/ollama/blob/main/docs/context-length.mdx",
    ),
)

VERDICT_WORDS: dict[Verdict, str] = {
    "runs_on_gpu": "Runs on the GPU",
    "runs_with_offload": "Runs with offload",
    "does_not_run": "Does not run",
}


class Catalog(Protocol):
    """What the engine needs from a catalog snapshot: entries as sequences or as mappings by id
    (the content `Snapshot`); `benchmarks` is optional."""

    @property
    def models(self) -> Sequence[ModelEntry] | Mapping[str, ModelEntry]: ...

    @property
    def hardware(self) -> Sequence[HardwareEntry] | Mapping[str, HardwareEntry]: ...


def _entries(items: Sequence[T] | Mapping[str, T]) -> Sequence[T]:
    return list(items.values()) if isinstance(items, Mapping) else items


def default_quant(model: ModelEntry) -> str:
    """The quantization a plain Ollama tag pulls: Q4_K_M, or MXFP4 for gpt-oss (which ships
    its experts in MXFP4)."""
    return "MXFP4" if is_gpt_oss(model.architecture.arch) else "Q4_K_M"


def quant_ladder(model: ModelEntry) -> tuple[str, ...]:
    """The quantizations worth comparing for this model, largest first. gpt-oss ships its
    experts in MXFP4, so its GGUFs differ little in size: MXFP4 is the one to compare."""
    if is_gpt_oss(model.architecture.arch):
        return ("MXFP4",)
    return COMMON_QUANTS


def parse_kv_type(text: str | None) -> KvType:
    """The KV cache type from how people write it; f16 when not given."""
    if not text:
        return "f16"
    t = text.strip().lower().replace("-", "_")
    if t in {"f16", "fp16", "16", "half"}:
        return "f16"
    if t in {"q8_0", "q8", "8bit", "8", "int8"}:
        return "q8_0"
    if t in {"q4_0", "q4", "4bit", "4", "int4"}:
        return "q4_0"
    raise UnknownQuant(
        text, f"KV cache type {text!r} is not one of f16, q8_0, q4_0.", ["f16", "q8_0", "q4_0"]
    )


def default_context(runtime: RuntimeProfile, case: Case, hw: Hardware) -> int:
    """The context the runtime picks when the user sets none.

    Ollama: its VRAM tier, stepping down 256k -> 32k -> 4k until the model fits. llama-server:
    the model's own context, shrunk by `--fit` to what fits but not below 4096. Others: fixed.
    """
    native = case.model.architecture.native_context
    if runtime.default_context_rule == "ollama_vram_tier":
        start = ollama_default_context(sum(g.capacity for g in hw.gpus), native)
        for tier in OLLAMA_CONTEXT_TIERS:
            ctx = min(tier, native)
            if ctx <= start and pooled_full_fit(case.but(context=ctx), hw):
                return ctx
        return min(OLLAMA_CONTEXT_TIERS[-1], native)
    if runtime.default_context_rule == "fixed":
        return min(runtime.fixed_context, native)
    fitted = max_full_context(case, hw)
    return max(min(fitted, native), min(FIT_MIN_CONTEXT, native))


def _measured(
    benchmarks: Sequence[BenchmarkEntry], model: ModelEntry, quant: str, hw: ParsedHardware
) -> tuple[list[str], list[Source]]:
    """Catalog measurements for exactly this model, quant and set of devices."""
    ids = {(d.hardware_id, d.count) for d in hw.devices if d.hardware_id}
    lines, sources = [], []
    units = {"decode_tps": "tokens/s generating", "prompt_tps": "tokens/s prompt"}
    for b in benchmarks:
        if b.model != model.id or b.quant.upper() != quant.upper() or b.metric not in units:
            continue
        if {(d.hardware, d.count) for d in b.devices} != ids:
            continue
        ctx = f", {b.context} ctx" if b.context else ""
        length = b.gen_tokens if b.metric == "decode_tps" else b.prompt_tokens
        what = "generated" if b.metric == "decode_tps" else "of prompt"
        run = f", {length} tokens {what}" if length else ""  # tg512 and tg8192 differ
        lines.append(f"{b.value:g} {units[b.metric]} ({b.runtime}{ctx}{run}; {b.sources[0].title})")
        sources.append(b.sources[0])
    return lines, sources


def _memory(ev: Evaluation, parsed: ParsedHardware) -> MemoryBreakdown:
    def row(d: DeviceUse, capacity: int) -> DeviceMemory:
        return DeviceMemory(
            device=d.label,
            capacity_bytes=capacity,
            weights_bytes=d.weights,
            kv_cache_bytes=d.kv,
            compute_bytes=d.compute,
            overhead_bytes=d.overhead,
            total_bytes=d.total,
            layers=d.blocks,
            holds_output=d.holds_output,
        )

    devices = [row(g, g.capacity) for g in ev.plan.gpus if g.total]
    devices.append(row(ev.plan.cpu, parsed.system_ram_bytes or 0))
    return MemoryBreakdown(
        weights_bytes=sum(d.weights_bytes for d in devices),
        kv_cache_bytes=sum(d.kv_cache_bytes for d in devices),
        compute_bytes=sum(d.compute_bytes for d in devices),
        overhead_bytes=sum(d.overhead_bytes for d in devices),
        total_bytes=sum(d.total_bytes for d in devices),
        per_device=devices,
        weights_basis="published_file" if ev.layout.scaled_to_published_file else "per_tensor",
    )


def _placement(ev: Evaluation) -> Placement:
    plan = ev.plan
    gpu_bytes = sum(g.weights + g.kv for g in plan.gpus)
    all_bytes = gpu_bytes + plan.cpu.weights + plan.cpu.kv
    units = [g.blocks + g.holds_output for g in plan.gpus]
    return Placement(
        gpu_layers=plan.ngl,
        total_layers=plan.total_units,
        percent_on_gpu=round(100 * gpu_bytes / all_bytes, 1) if all_bytes else 0.0,
        gpus_used=sum(1 for u in units if u),
        tensor_split=[round(u / sum(units), 3) for u in units] if sum(units) else [],
        n_cpu_moe=plan.n_cpu_moe,
    )


def _speed(ev: Evaluation, measured: list[str]) -> Speed:
    prompt = None
    if ev.prompt_low and ev.prompt_high:
        prompt = Range(low=round(ev.prompt_low), high=round(ev.prompt_high))
    return Speed(
        decode_tokens_per_s=Range(low=round(ev.decode_low, 1), high=round(ev.decode_high, 1)),
        prompt_tokens_per_s=prompt,
        bound_by=ev.bound_by,
        measured=measured,
    )


def _understood(
    case: Case, quant_source: str, parsed: ParsedHardware, runtime: RuntimeProfile, asked_ctx: bool
) -> Understood:
    m = case.model
    return Understood(
        model=UnderstoodModel(
            id=m.id,
            name=m.name,
            family=m.family,
            params_b=m.params_b,
            active_params_b=m.active_params_b,
            quant=case.quant,
            quant_source=quant_source,  # type: ignore[arg-type]
        ),
        hardware=UnderstoodHardware(
            devices=[
                UnderstoodDevice.model_validate(runtime_backend(d, runtime), from_attributes=True)
                for d in parsed.devices
            ],
            system_ram_bytes=parsed.system_ram_bytes,
            text=parsed.text,
        ),
        context=case.context,
        context_source="asked" if asked_ctx else "runtime_default",
        kv_cache=case.kv,
        runtime=runtime.id,
        runtime_name=runtime.name,
        flash_attention=case.fa,
    )


def _sources(
    model: ModelEntry, parsed: ParsedHardware, catalog: Catalog, extra: list[Source]
) -> list[Source]:
    hardware = catalog.hardware
    entries = hardware if isinstance(hardware, Mapping) else {h.id: h for h in hardware}
    out: list[Source] = list(model.sources[:2])
    for d in parsed.devices:
        if d.hardware_id in entries:
            out.extend(entries[d.hardware_id].sources[:1])
    return list(dict.fromkeys([*out, *extra, *METHOD_SOURCES]))


def _file_source(model: ModelEntry, quant: str, ev: Evaluation) -> list[Source]:
    """The page that published the file size the weights were scaled to, so the figure can be
    checked."""
    if not ev.layout.scaled_to_published_file:
        return []
    return [f.source for f in model.files if f.quant.upper() == quant.upper()][:1]


def _within_trained_context(case: Case, runtime: RuntimeProfile, notes: list[str]) -> Case:
    """Ollama caps the context at the trained length; other runtimes go past it with a warning
    (appended to `notes`)."""
    model, native = case.model, case.model.architecture.native_context
    if case.context <= native:
        return case
    if runtime.id == "ollama":
        notes.append(f"Ollama caps the context at the model's trained length, {native} tokens.")
        return case.but(context=native)
    notes.append(
        f"{model.name} was trained for {native} tokens; longer contexts need RoPE scaling and "
        "may lose quality."
    )
    return case


def _ollama_gpt_oss_build(model: ModelEntry, quant: str, runtime: RuntimeProfile) -> list[str]:
    """Ollama's own gpt-oss download keeps the weights outside the experts at 16 bits, so it is
    larger than llama.cpp's MXFP4 GGUF the estimate uses; the catalog lists it as BF16."""
    if runtime.id != "ollama" or quant != "MXFP4" or not is_gpt_oss(model.architecture.arch):
        return []
    sizes = {f.quant: f.size_gb for f in model.files}
    if "BF16" not in sizes or "MXFP4" not in sizes:
        return []
    return [
        f"Ollama's own {model.name} download is about {sizes['BF16']:g} GB (16-bit weights "
        f"outside the experts), against {sizes['MXFP4']:g} GB for the MXFP4 GGUF this estimate "
        "uses: allow the difference under Ollama."
    ]


def _assumed_size(text: str, model: ModelEntry, family: Sequence[ModelEntry]) -> list[str]:
    """Which size was picked when the question named none ("gpt oss on 5090")."""
    if len(family) < 2 or _SIZE_WORD.search(text):
        return []
    others = ", ".join(m.name for m in family if m is not model)
    return [f"No size was given, so {model.name} was assumed; the family also has {others}."]


def _confidence(ev: Evaluation, verdict: Verdict, parsed: ParsedHardware) -> str:
    guessed = any(d.assumed for d in parsed.devices)
    apu = any(d.kind == "unified" and d.vendor != "apple" for d in parsed.devices)
    if guessed or apu:
        return "low"
    if ev.layout.scaled_to_published_file and verdict == "runs_on_gpu":
        return "high"
    return "medium"


def _read_case(request: FitRequest, catalog: Catalog) -> tuple[ModelEntry, str, str, bool, float]:
    match = parse_model(request.model, catalog.models)
    model, quant_in_text = match.model, match.quant
    quant, source = (quant_in_text, "tag") if quant_in_text else (default_quant(model), "default")
    if request.quant:
        asked = normalize_quant(request.quant)
        if asked is None:
            raise UnknownQuant(
                request.quant,
                f"{request.quant!r} is not a llama.cpp quantization.",
                list(COMMON_QUANTS[:4]),
            )
        quant, source = asked, "asked"
    return model, quant, source, bool(quant_in_text), match.score


def estimate(request: FitRequest, catalog: Catalog) -> FitResult:
    """The `/willitrun` answer for one request. Raises `UnknownModel`, `UnreadableHardware` or
    `UnknownQuant` for input it cannot read (the handler turns them into answers)."""
    model, quant, quant_source, quant_in_text, score = _read_case(request, catalog)
    parsed = parse_hardware(request.hardware, catalog.hardware)
    runtime = resolve_runtime(request.runtime) or OLLAMA
    hw = build_hardware(
        parsed.devices, parsed.system_ram_bytes, parsed.system_ram_bandwidth_gbps, runtime
    )
    kv = parse_kv_type(request.kv_cache)
    backend = hw.gpus[0].backend if hw.gpus else "cpu"
    fa = runtime.flash_attention_default(model.architecture.arch, backend)  # type: ignore[arg-type]
    notes = list(parsed.notes)
    if kv != "f16" and not fa:
        fa = True
        notes.append("A quantized V cache needs flash attention; we assume it is on.")
    case = Case(model=model, quant=quant, context=request.context or 4096, kv=kv, fa=fa)
    if not request.context:
        case = case.but(context=default_context(runtime, case, hw))
    case = _within_trained_context(case, runtime, notes)
    ev = evaluate(case, hw, runtime)
    verdict = classify(ev)
    if verdict == "runs_with_offload" and not runtime.partial_offload:
        verdict = "does_not_run"
        notes.append(f"{runtime.name} cannot keep layers in system RAM, so it must fit the GPUs.")
    quants = quant_ladder(model)
    best = best_quant(case, hw, ("F16", *quants)) if hw.gpus else None
    table = context_table(case, hw, quants) if hw.gpus else []
    family = model_family(model, catalog.models)
    notes += _assumed_size(request.model, model, family)
    notes += _ollama_gpt_oss_build(model, quant, runtime)
    alts = alternatives(case, ev, hw, devices=parsed.devices, runtime=runtime, family=family,
                        best=best, table=table)  # fmt: skip
    measured, bench_sources = _measured(
        _entries(getattr(catalog, "benchmarks", ()) or ()), model, quant, parsed
    )
    memory = _memory(ev, parsed)
    tight = any(g.capacity - g.total < 1024**3 for g in ev.plan.gpus if g.total)
    caveats = [*platform_caveats(parsed.devices, not ev.plan.full, tight), *runtime.notes]
    usable = {b for d in parsed.devices for b in (d.backends or (d.backend,))}
    if runtime.backends.isdisjoint(usable):
        caveats.insert(0, f"{runtime.name} does not run on this hardware's backend.")
    asked_tag = request.model.strip() if ":" in request.model and quant_in_text else None
    hw_names = " + ".join(f"{d.count}x {d.name}" if d.count > 1 else d.name for d in parsed.devices)
    gpu_total = sum(g.capacity for g in hw.gpus)
    words = VERDICT_WORDS[verdict]
    if not hw.gpus and verdict == "runs_with_offload":
        words = "Runs on the CPU"
    on_gpu = sum(g.total for g in ev.plan.gpus)
    if gpu_total:
        where = (
            f"uses {gib(on_gpu)} of {gib(gpu_total)} GPU memory and "
            f"{gib(ev.plan.cpu.total)} of system RAM"
        )
    else:
        where = f"uses {gib(ev.plan.cpu.total)} of system RAM"
    summary = (
        f"{words}: {model.name} {quant} at {case.context} tokens {where}; about "
        f"{ev.decode_low:.0f}-{ev.decode_high:.0f} tokens/s."
    )
    return FitResult(
        title=f"{model.name} on {hw_names}",
        summary=summary,
        query=f"{request.model} | {request.hardware}",
        confidence=score,
        estimate_quality=_confidence(ev, verdict, parsed),  # type: ignore[arg-type]
        entry_id=model.id,
        understood=_understood(case, quant_source, parsed, runtime, bool(request.context)),
        verdict=verdict,
        memory=memory,
        placement=_placement(ev),
        speed=_speed(ev, measured),
        best_quant=best,
        context_table=table,
        alternatives=alts,
        caveats=caveats,
        recommendation=recommendation(ev, case, alts, parsed.system_ram_bytes),
        sources=_sources(model, parsed, catalog, [*_file_source(model, quant, ev), *bench_sources]),
        reproduce=reproduce_commands(case, ev, runtime, asked_tag),
        notes=notes,
    )


_SIZE_WORD = re.compile(r"(?i)(\d+x)?\d+(\.\d+)?b|a\d+b|mini|e\d+b")


ON_WORD = re.compile(r"(?i)\s+on\s+")
"""`MODEL on HARDWARE`, the way people ask ("gpt oss on 5090"): the one split needing no guess."""


def request_from_text(text: str) -> FitRequest:
    """A request from positional text, `MODEL HARDWARE` ("qwen2.5:72b 2x3090", "llama 3 70b q5
    2x3090") or `MODEL on HARDWARE`: the model runs up to its size word (and a quantization right
    after it), else it is the first word; the rest is the hardware."""
    if len(halves := ON_WORD.split(text, maxsplit=1)) == 2 and all(h.strip() for h in halves):
        return FitRequest(model=halves[0].strip(), hardware=halves[1].strip())
    words = text.split()
    if len(words) < 2:
        return FitRequest(model=text.strip() or "?", hardware="?")
    cut = 1
    for i, w in enumerate(words):
        if _SIZE_WORD.fullmatch(w) or re.search(r":|/", w):
            cut = i + 1
            if cut < len(words) and split_quant(words[cut])[1]:
                cut += 1
            break
    return FitRequest(model=" ".join(words[:cut]), hardware=" ".join(words[cut:]) or "?")
