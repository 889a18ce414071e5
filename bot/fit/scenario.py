"""One fully specified case (model, quant, context, cache type) on some hardware, and its numbers.

`evaluate` runs the terms in order: weights per tensor, KV per layer, compute buffers, placement,
speed. `max_full_context` answers the inverse question for the context table with a pooled check
that costs O(1) per step, so the table stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.fit import compute, kv_cache
from bot.fit.kv_cache import KvType
from bot.fit.placement import GpuSlot, ModelLoad, Plan, best_plan
from bot.fit.platform import OS_RESERVE_BYTES, gpu_capacity_bytes
from bot.fit.runtimes import RuntimeProfile
from bot.fit.speed import (
    SHORT_CHAT_TOKENS,
    DeviceRate,
    decode_seconds_per_token,
    prompt_tokens_per_second,
)
from bot.fit.weights import WeightLayout, scale_to_file, weight_layout
from bot.schema.catalog import Architecture, ModelEntry
from bot.schema.fit import DeviceSpec

GB = 10**9

UNIFIED_CPU_BANDWIDTH_SHARE = 0.5
"""On unified-memory chips the CPU cores reach only part of the memory bandwidth the GPU does
(on an M1 Max, about half); layers run by the CPU there are charged at this share."""


@dataclass(frozen=True, slots=True)
class Case:
    """What is being loaded: model, quantization, context, KV cache type, flash attention."""

    model: ModelEntry
    quant: str
    context: int
    kv: KvType = "f16"
    fa: bool = True

    def but(
        self,
        *,
        model: ModelEntry | None = None,
        quant: str | None = None,
        context: int | None = None,
        kv: KvType | None = None,
        fa: bool | None = None,
    ) -> Case:
        """The same case with some fields changed (hot path: no dataclasses.replace)."""
        return Case(
            model or self.model,
            quant or self.quant,
            context or self.context,
            kv or self.kv,
            self.fa if fa is None else fa,
        )


@dataclass(frozen=True, slots=True)
class Hardware:
    """Devices expanded to one slot per GPU, plus the CPU side."""

    gpus: tuple[GpuSlot, ...]
    gpu_specs: tuple[DeviceSpec, ...]
    """The spec behind each slot (same order)."""
    ram_bytes: int | None
    ram_bandwidth_gbps: float
    unified: bool
    """CPU and GPU share one memory (Apple, APUs): the CPU side gets what the GPU leaves."""


def build_hardware(
    devices: tuple[DeviceSpec, ...],
    ram_bytes: int | None,
    ram_bandwidth_gbps: float | None,
    runtime: RuntimeProfile,
) -> Hardware:
    """GPU slots with the runtime's reserve, and the RAM side (unified memory counted once)."""
    slots: list[GpuSlot] = []
    specs: list[DeviceSpec] = []
    unified = False
    for original in devices:
        if original.kind == "cpu":
            continue
        d = runtime_backend(original, runtime)
        unified = unified or d.kind == "unified"
        for i in range(d.count):
            slots.append(
                GpuSlot(
                    label=d.name if d.count == 1 else f"{d.name} #{i + 1}",
                    capacity=int(gpu_capacity_bytes(d) * runtime.memory_fraction),
                    reserve=runtime.reserve_bytes(d.backend),  # type: ignore[arg-type]
                    bandwidth_gbps=d.bandwidth_gbps,
                    backend=d.backend,
                )
            )
            specs.append(d)
    bw = ram_bandwidth_gbps
    if bw is None:
        cpu = [d for d in devices if d.kind in {"cpu", "unified"}]
        bw = cpu[0].bandwidth_gbps if cpu else 51.2
    return Hardware(tuple(slots), tuple(specs), ram_bytes, bw, unified)


def runtime_backend(device: DeviceSpec, runtime: RuntimeProfile) -> DeviceSpec:
    """The device as this runtime drives it: its usual backend if the runtime has it, else the
    first other backend both support (Ollama runs Intel Arc through Vulkan, not SYCL)."""
    if device.backend in runtime.backends or not device.backends:
        return device
    for backend in device.backends:
        if backend in runtime.backends:
            return device.model_copy(update={"backend": backend})
    return device


def published_size_bytes(model: ModelEntry, quant: str) -> int | None:
    """The catalog's published GGUF size for `quant`, in bytes, if it has one."""
    for f in model.files:
        if f.quant.upper() == quant.upper():
            return int(f.size_gb * GB)
    return None


_LAYOUTS: dict[tuple[int, str], tuple[ModelEntry, WeightLayout]] = {}


def model_layout(model: ModelEntry, quant: str) -> WeightLayout:
    """Weights for `model` at `quant`: per tensor, rescaled to the published file when the
    catalog has one. Cached per (entry, quant); entries are immutable."""
    key = (id(model), quant)
    hit = _LAYOUTS.get(key)
    if hit is not None and hit[0] is model:
        return hit[1]
    layout = weight_layout(model.architecture, quant, model.params_b)
    published = published_size_bytes(model, quant)
    if published:
        layout = scale_to_file(layout, published)
    if len(_LAYOUTS) > 4096:
        _LAYOUTS.clear()
    _LAYOUTS[key] = (model, layout)
    return layout


def model_load(case: Case, layout: WeightLayout) -> ModelLoad:
    """Everything placement distributes for this case."""
    arch = case.model.architecture
    ctx, fa = case.context, case.fa
    return ModelLoad(
        block_weights=layout.layer_bytes,
        block_kv=kv_cache.kv_cache_layers(arch, ctx, case.kv, flash_attention=fa),
        block_experts=layout.layer_expert_bytes,
        input_bytes=layout.input_bytes,
        output_bytes=layout.output_bytes,
        compute_gpu=compute.device_compute_bytes(arch, ctx, fa, holds_output=False),
        compute_gpu_output=compute.device_compute_bytes(arch, ctx, fa, holds_output=True),
        compute_host_idle=compute.host_compute_bytes(arch, ctx, fa, False, False),
        compute_host_busy=compute.host_compute_bytes(arch, ctx, fa, True, False),
    )


@dataclass(frozen=True, slots=True)
class Evaluation:
    layout: WeightLayout
    load: ModelLoad
    plan: Plan
    ram_ok: bool
    ram_needed: int
    decode_low: float
    decode_high: float
    prompt_low: float | None
    prompt_high: float | None
    bound_by: str


def ram_capacity(hw: Hardware, plan: Plan) -> int | None:
    """System RAM left for the CPU side: total minus what the OS keeps, and on unified memory
    minus what the GPU side already holds (the weights are mapped once, not copied)."""
    if hw.ram_bytes is None:
        return None
    cap = hw.ram_bytes - OS_RESERVE_BYTES
    if hw.unified:
        cap -= sum(g.total for g in plan.gpus)
    return cap


def _prompt_speed(
    case: Case, hw: Hardware, plan: Plan, layout: WeightLayout
) -> tuple[float | None, float | None]:
    active = (case.model.active_params_b or case.model.params_b) * 1e9
    busy = {p.label for p in plan.gpus if p.blocks or p.holds_output}
    used = [s for s, g in zip(hw.gpu_specs, hw.gpus, strict=True) if g.label in busy]
    tflops = min(s.fp16_tflops or 0 for s in used) if used else None
    cpu_weights = plan.cpu.weights - layout.input_bytes if hw.gpus else 0
    return (
        prompt_tokens_per_second(active, tflops, cpu_weights, optimistic=False),
        prompt_tokens_per_second(active, tflops, cpu_weights, optimistic=True),
    )


def evaluate(case: Case, hw: Hardware, runtime: RuntimeProfile) -> Evaluation:
    """Memory, placement and speed for one fully specified case."""
    layout = model_layout(case.model, case.quant)
    load = model_load(case, layout)

    def ram_ok(candidate: Plan) -> bool:
        cap = ram_capacity(hw, candidate)
        return cap is None or candidate.cpu.total <= cap

    plan = best_plan(load, hw.gpus, runtime.gpu_choice, runtime.partial_offload, ram_ok)
    cap = ram_capacity(hw, plan)
    rates = {g.label: DeviceRate(g.bandwidth_gbps, g.backend) for g in hw.gpus}
    plan_rates = tuple(rates[g.label] for g in plan.gpus)
    cpu_bw = hw.ram_bandwidth_gbps
    if hw.unified and hw.gpus:
        cpu_bw *= UNIFIED_CPU_BANDWIDTH_SHARE
    cpu_rate = DeviceRate(cpu_bw, "cpu")
    short = min(1.0, SHORT_CHAT_TOKENS / case.context)
    slow, bound = decode_seconds_per_token(
        plan, layout, plan_rates, cpu_rate, kv_fill=1.0, optimistic=False
    )
    fast, _ = decode_seconds_per_token(
        plan, layout, plan_rates, cpu_rate, kv_fill=short, optimistic=True
    )
    p_low, p_high = _prompt_speed(case, hw, plan, layout)
    return Evaluation(
        layout=layout,
        load=load,
        plan=plan,
        ram_ok=cap is None or plan.cpu.total <= cap,
        ram_needed=plan.cpu.total,
        decode_low=1 / slow if slow else 0.0,
        decode_high=1 / fast if fast else 0.0,
        prompt_low=p_low,
        prompt_high=p_high,
        bound_by=bound,
    )


@dataclass(frozen=True, slots=True)
class _ArchConstants:
    """Per (architecture, cache type, flash attention): what the context curve needs."""

    kv_per_token: int
    """KV bytes per cached token in one layer."""
    full_layers: int
    sliding_layers: int
    attn_at_ub: int
    attn_slope: float
    ffn: int
    logits: int
    resid: int


@lru_cache(maxsize=2048)
def _arch_constants(arch: Architecture, kv: KvType, fa: bool) -> _ArchConstants:
    k_per, v_per = kv_cache.values_per_token(arch)
    v_type = kv_cache.effective_v_type(kv, fa)
    per_token = kv_cache.kv_type_bytes(kv, k_per)
    if v_per:
        per_token += kv_cache.kv_type_bytes(v_type, v_per)
    sliding = sum(1 for i in range(arch.layers) if kv_cache.is_sliding_layer(arch, i))
    ub = compute.UBATCH
    a_lo = compute.attention_scratch_bytes(arch, ub, fa)
    return _ArchConstants(
        kv_per_token=per_token,
        full_layers=arch.layers - sliding,
        sliding_layers=sliding,
        attn_at_ub=a_lo,
        attn_slope=(compute.attention_scratch_bytes(arch, 2 * ub, fa) - a_lo) / ub,
        ffn=compute.ffn_scratch_bytes(arch, ub),
        logits=compute.logits_bytes(arch, ub),
        resid=compute.residual_bytes(arch, ub),
    )


def kv_total_bytes(case: Case) -> int:
    """The whole KV cache of a case, without listing layers (O(1))."""
    arch = case.model.architecture
    c = _arch_constants(arch, case.kv, case.fa)
    swa = kv_cache.cached_tokens(arch, 0, case.context) if c.sliding_layers else 0
    return c.kv_per_token * (case.context * c.full_layers + swa * c.sliding_layers)


def _compute_total(case: Case, gpus: int, context: int) -> int:
    """Compute buffers of `gpus` cards at `context` (one of them holds the logits)."""
    arch, fa = case.model.architecture, case.fa
    return compute.device_compute_bytes(arch, context, fa, True) + (
        gpus - 1
    ) * compute.device_compute_bytes(arch, context, fa, False)


def pooled_full_fit(case: Case, hw: Hardware) -> bool:
    """Quick check that everything fits on the GPUs, treating their free memory as one pool
    (each GPU still pays its reserve and compute buffer). Exact for one GPU; with several,
    whole layers do not fill every card to the brim, so one layer per extra card is kept free."""
    if not hw.gpus:
        return False
    return _pooled_fit_checker(case, hw)(case.context)


def _pooled_fit_checker(case: Case, hw: Hardware) -> Callable[[int], bool]:
    """`fits(context)` for a full offload, as plain arithmetic on constants worked out once.

    Above one micro-batch every term is linear in the context (KV; the attention scratch of
    compute.py), constant (weights, FFN scratch, logits) or capped (sliding-window cache), so
    the coefficients are read off compute.py and kv_cache.py rather than restated here.
    """
    arch = case.model.architecture
    layout = model_layout(case.model, case.quant)
    c = _arch_constants(arch, case.kv, case.fa)
    extra_cards = len(hw.gpus) - 1
    room = sum(g.capacity - g.reserve for g in hw.gpus)
    layers = arch.layers
    weights = layout.blocks_total + layout.output_bytes
    per_layer_weights = layout.blocks_total // layers
    ub = compute.UBATCH
    swa_cap = kv_cache.cached_tokens(arch, 0, 1 << 30) if c.sliding_layers else 0

    def fits(context: int) -> bool:
        kv = c.kv_per_token * (context * c.full_layers + min(context, swa_cap) * c.sliding_layers)
        if context < ub:
            comp = _compute_total(case, extra_cards + 1, context)
        else:
            attn = c.attn_at_ub + c.attn_slope * (context - ub)
            comp = c.resid + max(attn, c.ffn, c.logits) + extra_cards * (c.resid + max(attn, c.ffn))
        slack = extra_cards * (per_layer_weights + kv // layers)
        return weights + kv + comp + slack <= room

    return fits


def max_full_context(case: Case, hw: Hardware, step: int = 256) -> int:
    """Longest context (a multiple of `step`, at most the model's native one) at which the
    case fits fully on the GPUs by the pooled check; 0 if not even `step` tokens fit."""
    if not hw.gpus:
        return 0
    native = case.model.architecture.native_context
    fits = _pooled_fit_checker(case, hw)
    floor = max(step, compute.UBATCH)  # above one micro-batch the check is pure arithmetic
    if not fits(floor):
        return step if step < floor and fits(step) else 0
    if fits(native):
        return native
    lo, hi = floor // step, native // step
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid * step):
            lo = mid
        else:
            hi = mid - 1
    return lo * step
