"""Types that cross the fit engine's boundary: what it was asked, what it understood, its answer.

All frozen. `FitResult` is the `/willitrun` answer object; its field names are a public contract
(`--json` prints it and scripts read it), so add fields rather than rename them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bot.schema.answers import Answer
from bot.schema.common import Frozen

KvCacheType = Literal["f16", "q8_0", "q4_0"]
Verdict = Literal["runs_on_gpu", "runs_with_offload", "does_not_run"]
DeviceKind = Literal["gpu", "unified", "cpu"]


class FitRequest(Frozen):
    """One `/willitrun` question, options as the user gave them (None: not given)."""

    model: Annotated[str, Field(min_length=1, max_length=300)]
    hardware: Annotated[str, Field(min_length=1, max_length=300)]
    context: Annotated[int, Field(gt=0, le=10_000_000)] | None = None
    quant: str | None = None
    kv_cache: str | None = None
    runtime: str | None = None


class DeviceSpec(Frozen):
    """One kind of device the user has (a count of identical cards is one spec)."""

    name: str
    hardware_id: str | None = None
    count: Annotated[int, Field(ge=1, le=64)] = 1
    memory_bytes: Annotated[int, Field(gt=0)]
    """Memory of one unit (VRAM, or the whole unified memory)."""
    bandwidth_gbps: Annotated[float, Field(gt=0)]
    backend: str
    """The backend llama.cpp would normally use on it (CUDA before Vulkan, and so on)."""
    backends: tuple[str, ...] = ()
    """Every backend the device supports, best first (a runtime picks the first it has)."""
    kind: DeviceKind
    vendor: str = "other"
    fp16_tflops: float | None = None
    assumed: bool = False
    """True when the device came from a bare memory size ("16gb vram"), not a named product."""


class ParsedHardware(Frozen):
    """Everything read from the hardware text."""

    text: str
    devices: tuple[DeviceSpec, ...]
    system_ram_bytes: int | None = None
    system_ram_bandwidth_gbps: float | None = None
    notes: tuple[str, ...] = ()


class UnderstoodModel(Frozen):
    id: str
    name: str
    family: str
    params_b: float
    active_params_b: float | None = None
    quant: str
    quant_source: Literal["asked", "tag", "default", "best_fit"]


class UnderstoodDevice(Frozen):
    name: str
    hardware_id: str | None
    count: int
    memory_bytes: int
    bandwidth_gbps: float
    backend: str


class UnderstoodHardware(Frozen):
    devices: list[UnderstoodDevice]
    system_ram_bytes: int | None
    text: str


class Understood(Frozen):
    """What the engine read from the question, so a user sees a misreading at once."""

    model: UnderstoodModel
    hardware: UnderstoodHardware
    context: int
    context_source: Literal["asked", "runtime_default"]
    kv_cache: KvCacheType
    runtime: str
    runtime_name: str
    flash_attention: bool


class DeviceMemory(Frozen):
    """What one device (or the CPU side) holds."""

    device: str
    capacity_bytes: int
    weights_bytes: int
    kv_cache_bytes: int
    compute_bytes: int
    overhead_bytes: int
    total_bytes: int
    layers: int
    """Repeating blocks on this device (the output layer is counted separately)."""
    holds_output: bool = False


class MemoryBreakdown(Frozen):
    weights_bytes: int
    kv_cache_bytes: int
    compute_bytes: int
    overhead_bytes: int
    total_bytes: int
    per_device: list[DeviceMemory]
    """The GPUs that hold something, then the CPU side (system RAM) last."""
    weights_basis: Literal["published_file", "per_tensor"]


class Placement(Frozen):
    """Where the layers went, in the terms llama.cpp and `ollama ps` use."""

    gpu_layers: int
    """Layers on GPUs counting the output layer, like `-ngl` / Ollama's `num_gpu`."""
    total_layers: int
    """Blocks + 1 (the output layer)."""
    percent_on_gpu: float
    """Share of the loaded bytes on GPUs, as `ollama ps` prints it."""
    gpus_used: int
    tensor_split: list[float]
    n_cpu_moe: int | None = None
    """For MoE models that only fit with experts in RAM: `--n-cpu-moe N`."""


class Range(Frozen):
    low: float
    high: float


class Speed(Frozen):
    decode_tokens_per_s: Range
    prompt_tokens_per_s: Range | None
    bound_by: str
    """Which device's memory the decode time is mostly spent reading."""
    measured: list[str] = Field(default_factory=list)
    """Catalog benchmarks for this model and hardware, quoted as they were published."""


class ContextRow(Frozen):
    """Longest context that fits fully on the GPU(s) at one quantization."""

    quant: str
    weights_bytes: int
    max_context_f16: int
    max_context_q8_0: int


class Alternative(Frozen):
    kind: Literal[
        "smaller_quant",
        "smaller_model",
        "quantized_kv",
        "shorter_context",
        "more_hardware",
        "moe_offload",
        "raise_limit",
    ]
    text: str


class FitResult(Answer):
    """The `/willitrun` answer object (stable field names; see the issue's contract).

    `confidence` (from `Answer`) is how sure the engine is that it read the model and hardware
    right; `estimate_quality` is how much to trust the numbers themselves."""

    kind: Literal["willitrun"] = "willitrun"
    answered: bool = True
    estimate_quality: Literal["high", "medium", "low"] = "medium"
    understood: Understood
    verdict: Verdict
    memory: MemoryBreakdown
    placement: Placement
    speed: Speed
    best_quant: str | None
    """Largest common quantization that fits fully on the GPU(s) at this context."""
    context_table: list[ContextRow]
    alternatives: list[Alternative]
    caveats: list[str]
    recommendation: str
    reproduce: list[str]
    notes: list[str] = Field(default_factory=list)
