"""The catalog: models, hardware, tools and measured benchmarks, as editors write them in YAML.

Each YAML file under `catalog/<kind>/` holds a list of entries under a top-level key named after
the kind (`models:`, `hardware:`, `tools:`, `benchmarks:`), plus the review stamp for the file.
`catalog/README.md` shows examples. Units are in the field names so no number is ambiguous.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, model_validator

from bot.schema.common import EntryId, Frozen, Reviewed, Source

PositiveInt = Annotated[int, Field(gt=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class MixtureOfExperts(Frozen):
    """Expert layout of an MoE model; only the active experts are read per token."""

    experts: PositiveInt
    active_experts: PositiveInt
    expert_ffn_size: PositiveInt
    shared_experts: Annotated[int, Field(ge=0)] = 0
    shared_expert_ffn_size: Annotated[int, Field(ge=0)] = 0
    dense_layers: Annotated[int, Field(ge=0)] = 0
    """Leading layers with an ordinary dense FFN (DeepSeek V3 has 3)."""

    @model_validator(mode="after")
    def _active_within_total(self) -> MixtureOfExperts:
        if self.active_experts > self.experts:
            raise ValueError("active_experts cannot exceed experts")
        return self


class SlidingWindow(Frozen):
    """Layers that attend to a window of recent tokens keep only that window in the KV cache."""

    window: PositiveInt
    global_every: PositiveInt
    """Every Nth layer attends globally (Gemma 2: 2, Gemma 3: 6, gpt-oss: 2); the rest slide."""


class LatentAttention(Frozen):
    """Multi-head latent attention (DeepSeek V2/V3): the cache holds a compressed latent."""

    kv_lora_rank: PositiveInt
    rope_head_dim: PositiveInt
    q_lora_rank: PositiveInt | None = None
    """Rank of the compressed query projection (DeepSeek V3: 1536); None when queries are direct."""


class Architecture(Frozen):
    """The numbers memory and speed are computed from (the model's config.json / GGUF header)."""

    arch: Name
    """GGUF `general.architecture`, e.g. llama, qwen2, gemma3, deepseek2, gptoss."""
    layers: PositiveInt
    hidden_size: PositiveInt
    ffn_size: PositiveInt
    """Intermediate size of a dense FFN layer (for MoE models, of the dense layers if any)."""
    heads: PositiveInt
    kv_heads: PositiveInt
    head_dim: PositiveInt
    vocab: PositiveInt
    native_context: PositiveInt
    """The longest context the model was trained or extended to (GGUF `context_length`)."""
    tied_embeddings: bool = False
    moe: MixtureOfExperts | None = None
    sliding_window: SlidingWindow | None = None
    latent_attention: LatentAttention | None = None

    @model_validator(mode="after")
    def _heads_divide(self) -> Architecture:
        if self.heads % self.kv_heads:
            raise ValueError("heads must be a multiple of kv_heads")
        return self


class PublishedFile(Frozen):
    """A published GGUF file size: the check on the engine's own weight arithmetic."""

    quant: Name
    size_gb: PositiveFloat
    """Decimal gigabytes (10^9 bytes) as the source prints them."""
    source: Source


class ModelEntry(Reviewed):
    """One size of one model (e.g. Qwen2.5 72B), with every spelling people use for it."""

    kind: Literal["model"] = "model"
    id: EntryId
    name: Name
    family: EntryId
    params_b: PositiveFloat
    """Total parameters in billions."""
    active_params_b: PositiveFloat | None = None
    """Parameters read per token, for MoE models."""
    ollama_tags: list[Name] = []
    hf_ids: list[Name] = []
    gguf_repos: list[Name] = []
    aliases: list[Name] = []
    license: Name
    released: Annotated[str, Field(pattern=r"^\d{4}(-\d{2})?(-\d{2})?$")] | None = None
    architecture: Architecture
    files: list[PublishedFile] = []

    @property
    def names(self) -> list[str]:
        return [self.name, *self.ollama_tags, *self.hf_ids, *self.gguf_repos, *self.aliases]


HardwareKind = Literal["gpu", "apu", "soc", "cpu", "ram"]
Vendor = Literal["nvidia", "amd", "intel", "apple", "qualcomm", "raspberry-pi", "other"]
Backend = Literal["cuda", "rocm", "metal", "vulkan", "sycl", "mlx", "cpu"]


class Price(Frozen):
    """A dated, cited price; prices move, so the date is part of the fact."""

    usd: PositiveFloat
    condition: Literal["msrp", "new", "used"]
    as_of: dt.date = Field(validation_alias=AliasChoices("as_of", "on"))
    """The day the price was seen (`on:` is accepted too, quoted, since YAML reads a bare
    `on` as true)."""
    source: Source


class HardwareEntry(Reviewed):
    """A GPU, an Apple chip, an APU, a CPU or a system-RAM configuration."""

    kind: Literal["hardware"] = "hardware"
    id: EntryId
    name: Name
    device_kind: HardwareKind
    vendor: Vendor
    segment: Literal["desktop", "laptop", "workstation", "datacenter", "embedded", "mini-pc"]
    memory_gib: PositiveFloat | None = None
    """Memory on the device (VRAM, or the smallest unified-memory option). Left out for
    system-RAM configurations, whose size comes from what the user says they have."""
    memory_options_gib: list[PositiveFloat] = []
    """For chips sold with several memory sizes (Apple, Strix Halo): every size offered."""
    memory_type: Name
    bandwidth_gbps: PositiveFloat
    """Peak memory bandwidth in GB/s (10^9 bytes per second)."""
    fp16_tflops: PositiveFloat | None = None
    """Dense FP16 throughput (tensor/matrix units where present), for prompt processing."""
    tdp_w: PositiveInt | None = None
    backends: Annotated[list[Backend], Field(min_length=1)]
    released: Annotated[str, Field(pattern=r"^\d{4}(-\d{2})?$")] | None = None
    aliases: list[Name] = []
    prices: list[Price] = []

    @model_validator(mode="after")
    def _memory_consistent(self) -> HardwareEntry:
        if self.memory_gib is None and self.device_kind != "ram":
            raise ValueError("memory_gib is required for every device except system RAM")
        if self.memory_options_gib and self.memory_gib not in self.memory_options_gib:
            raise ValueError("memory_gib must be one of memory_options_gib")
        return self

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class ToolEntry(Reviewed):
    """A runtime or front end people use to run models locally."""

    kind: Literal["tool"] = "tool"
    id: EntryId
    name: Name
    tool_kind: Literal["runtime", "frontend", "library", "server"]
    summary: Annotated[str, Field(min_length=20, max_length=700)]
    backends: list[Backend] = []
    platforms: list[Literal["linux", "windows", "macos", "android", "ios", "docker"]] = []
    formats: list[Name] = []
    licence: Name
    docs_url: str
    repo_url: str | None = None
    aliases: list[Name] = []

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class DeviceCount(Frozen):
    hardware: EntryId
    count: PositiveInt = 1


BenchmarkMetric = Literal[
    "decode_tps", "prompt_tps", "vram_used_gib", "kv_cache_mib", "compute_mib"
]


class BenchmarkEntry(Reviewed):
    """A measured figure, with where it came from or the command that reproduces it."""

    kind: Literal["benchmark"] = "benchmark"
    id: EntryId
    model: EntryId
    quant: Name
    devices: Annotated[list[DeviceCount], Field(min_length=1)]
    runtime: EntryId
    metric: BenchmarkMetric
    value: PositiveFloat
    context: PositiveInt | None = None
    kv_cache: Literal["f16", "q8_0", "q4_0"] = "f16"
    prompt_tokens: PositiveInt | None = None
    """For pp-style figures (llama-bench pp512: 512)."""
    gen_tokens: PositiveInt | None = None
    """For tg-style figures (llama-bench tg128: 128)."""
    gpu_layers: int | None = None
    """Layers on the GPU when the run was partly offloaded; None means all."""
    command: str | None = None
    measured_on: dt.date | None = None
    notes: str = ""


CatalogEntry = ModelEntry | HardwareEntry | ToolEntry | BenchmarkEntry
