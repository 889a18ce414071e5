"""Tokens per second: decode from memory bandwidth, prompt processing from compute.

Generating one token reads every active weight once plus the filled part of the KV cache, and
at batch size one that reading, not arithmetic, sets the pace. So the time per token is a sum
over the devices the layers live on of `bytes read there / (bandwidth x efficiency)`. A layer
split over two cards runs them one after the other (the times add; bandwidths do not), layers
left in system RAM run at RAM speed, and an MoE model reads only its active experts. Efficiency
(the share of peak bandwidth llama.cpp reaches) ranges widely between builds, quants and cards,
so every figure is a low-high range.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.fit.placement import DeviceUse, Plan
from bot.fit.weights import WeightLayout

BANDWIDTH_EFFICIENCY: dict[tuple[str, str], tuple[float, float]] = {
    ("cuda", "float"): (0.75, 0.93),
    ("cuda", "quant"): (0.65, 0.88),
    ("metal", "float"): (0.80, 0.95),
    ("metal", "quant"): (0.68, 0.88),
    ("rocm", "float"): (0.55, 0.85),
    ("rocm", "quant"): (0.45, 0.75),
    ("vulkan", "float"): (0.50, 0.80),
    ("vulkan", "quant"): (0.45, 0.75),
    ("sycl", "float"): (0.45, 0.75),
    ("sycl", "quant"): (0.40, 0.70),
    ("cpu", "float"): (0.45, 0.75),
    ("cpu", "quant"): (0.45, 0.75),
}
"""Share of peak memory bandwidth decode reaches (low, high), by backend and by weight format
("float": F16/BF16/Q8_0, simple to stream; "quant": K-quants, IQ and MXFP4, which cost more
arithmetic per byte). Calibrated on the public llama.cpp measurements in bench/reference (the
middle of each range is the best fit with `PER_LAYER_OVERHEAD_S`, the ends roughly its
quartiles): CUDA F16 7-70B runs at 0.75-0.9 of peak, Q4 at 0.65-0.85, Metal a little higher.
ROCm, Vulkan, SYCL and CPU have few public rows; their ranges are wider and lower."""

PER_LAYER_OVERHEAD_S = 60e-6
"""Fixed time per layer per token on a GPU (kernel launches and synchronisation), fitted on the
same measurements; it is why a 7B model on an H100 is far slower than bandwidth alone says."""

MULTI_GPU_PENALTY = 0.02
"""Extra time per additional card in a layer split: the cards run one after the other, so they
add no bandwidth; llama-bench on 1 to 8 RTX 4090s loses about 1-2% per extra card."""

PROMPT_COMPUTE_EFFICIENCY = (0.35, 0.85)
"""Share of the card's dense FP16 throughput prompt processing reaches in llama.cpp: llama-bench
pp512 on an RTX 4090 implies about 0.7 (Q4_K_M) to 0.9 (F16) of its 165 TFLOPS; short prompts
and older builds in bench/reference sit at 0.2-0.4, so the range is wide."""

PCIE_GBPS = (12.0, 25.0)
"""Effective host-to-GPU copy rate for layers left in RAM during prompt processing (llama.cpp
copies them to the GPU for large batches); PCIe 4.0 x16 peaks at 31.5 GB/s."""

SHORT_CHAT_TOKENS = 512
"""The 'high' speed assumes a short conversation; the 'low' one a full context."""


_FALLBACK = (0.40, 0.70)


def weight_family(recipe: str) -> str:
    """ "float" for formats that stream without much arithmetic (F16, BF16, F32, Q8_0), else
    "quant"; decode reaches a different share of bandwidth on each."""
    return "float" if recipe in {"F16", "BF16", "F32", "Q8_0"} else "quant"


@dataclass(frozen=True, slots=True)
class DeviceRate:
    """Bandwidth and backend of one place layers can run."""

    bandwidth_gbps: float
    backend: str


def _active_bytes(device: DeviceUse, layout: WeightLayout, n_cpu_moe: int | None) -> int:
    """Weight bytes this device reads per token: its blocks' active bytes (all of a dense
    block, the dense part plus active experts of an MoE block), minus experts moved to RAM."""
    b0, b1 = device.first_block, device.first_block + device.blocks
    total = sum(layout.layer_active_bytes[b0:b1])
    if n_cpu_moe:
        for i in range(b0, min(b1, n_cpu_moe)):
            total -= layout.layer_active_bytes[i] - (
                layout.layer_bytes[i] - layout.layer_expert_bytes[i]
            )
    if device.holds_output:
        total += layout.output_bytes
    return total


def _moved_expert_bytes(plan: Plan, layout: WeightLayout) -> int:
    """Active expert bytes read from RAM per token when experts of the first N blocks sit there."""
    if not plan.n_cpu_moe:
        return 0
    return sum(
        layout.layer_active_bytes[i] - (layout.layer_bytes[i] - layout.layer_expert_bytes[i])
        for i in range(min(plan.n_cpu_moe, len(layout.layer_bytes)))
    )


def decode_seconds_per_token(
    plan: Plan,
    layout: WeightLayout,
    gpu_rates: tuple[DeviceRate, ...],
    cpu_rate: DeviceRate,
    *,
    kv_fill: float,
    optimistic: bool,
) -> tuple[float, str]:
    """Seconds per generated token, and the device that dominates it.

    `kv_fill` is the filled share of the allocated cache (the cache read grows with it);
    `optimistic` picks the high end of the efficiency range.
    """
    pick = 1 if optimistic else 0
    family = weight_family(layout.recipe)
    times: list[tuple[float, str]] = []
    used = [g for g in plan.gpus if g.blocks or g.holds_output]
    for g, rate in zip(plan.gpus, gpu_rates, strict=True):
        if not (g.blocks or g.holds_output):
            continue
        eff = BANDWIDTH_EFFICIENCY.get((rate.backend, family), _FALLBACK)[pick]
        nbytes = _active_bytes(g, layout, plan.n_cpu_moe) + g.kv * kv_fill
        seconds = nbytes / (rate.bandwidth_gbps * 1e9 * eff)
        seconds += PER_LAYER_OVERHEAD_S * (g.blocks + (1 if g.holds_output else 0))
        times.append((seconds, g.label))
    cpu = plan.cpu
    cpu_bytes = (
        sum(layout.layer_active_bytes[: cpu.blocks])
        + _moved_expert_bytes(plan, layout)
        + (layout.output_bytes if cpu.holds_output else 0)
        + cpu.kv * kv_fill
    )
    if cpu_bytes:
        eff = BANDWIDTH_EFFICIENCY[("cpu", family)][pick]
        times.append((cpu_bytes / (cpu_rate.bandwidth_gbps * 1e9 * eff), cpu.label))
    total = sum(t for t, _ in times)
    total *= 1 + MULTI_GPU_PENALTY * max(len(used) - 1, 0)
    slowest = max(times, key=lambda t: t[0])[1] if times else "none"
    return total, slowest


def prompt_tokens_per_second(
    active_params: float,
    gpu_tflops: float | None,
    cpu_weight_bytes: int,
    *,
    optimistic: bool,
) -> float | None:
    """Prompt (prefill) tokens per second: about 2 FLOPs per active parameter per token at the
    card's FP16 rate times an efficiency, plus the time to copy RAM-resident layers to the GPU
    once per 512-token micro-batch. None when the device's compute is not in the catalog."""
    if not gpu_tflops:
        return None
    pick = 1 if optimistic else 0
    flops = gpu_tflops * 1e12 * PROMPT_COMPUTE_EFFICIENCY[pick]
    seconds = 2 * active_params / flops
    if cpu_weight_bytes:
        seconds += cpu_weight_bytes / (PCIE_GBPS[pick] * 1e9) / 512
    return 1 / seconds
