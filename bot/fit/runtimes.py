"""Runtime profiles: what Ollama, llama.cpp, LM Studio, vLLM and MLX do differently.

The arithmetic of weights and cache is the same everywhere; what differs is how much memory each
runtime keeps back on a device, which context it picks when the user does not say, whether flash
attention (and so a quantized V cache) is on, and whether it can spill layers to system RAM.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.schema.catalog import Backend

MIB = 1024**2
GIB = 1024**3

GpuChoice = Literal["fewest", "all"]


@dataclass(frozen=True, slots=True)
class RuntimeProfile:
    """How one runtime loads a model by default."""

    id: str
    name: str
    reserve_bytes_cuda: int
    """Memory kept free on each GPU besides the model's buffers (CUDA/ROCm/Vulkan context and
    the runtime's own safety margin)."""
    reserve_bytes_metal: int
    gpu_choice: GpuChoice
    """Ollama packs a model onto the fewest GPUs that hold it; llama.cpp splits over all."""
    partial_offload: bool
    """Can run some layers from system RAM on the CPU."""
    flash_attention_archs: frozenset[str] | None
    """Architectures with flash attention on by default; None means on wherever supported."""
    backends: frozenset[Backend]
    default_context_rule: Literal["ollama_vram_tier", "fit_native", "fixed"]
    fixed_context: int = 4096
    memory_fraction: float = 1.0
    """Share of each GPU the runtime will fill (vLLM's `--gpu-memory-utilization`)."""
    notes: tuple[str, ...] = ()

    def reserve_bytes(self, backend: Backend) -> int:
        """Bytes this runtime keeps back on one device of `backend`."""
        if backend in {"metal", "mlx"}:
            return self.reserve_bytes_metal
        if backend == "cpu":
            return 0
        return self.reserve_bytes_cuda

    def flash_attention_default(self, arch: str, backend: Backend) -> bool:
        """Whether flash attention is on without the user asking (it gates a quantized V cache)."""
        if self.flash_attention_archs is None:
            return True
        return arch in self.flash_attention_archs


OLLAMA = RuntimeProfile(
    id="ollama",
    name="Ollama",
    # Ollama's per-GPU minimum (ml/device.go): 457 MiB on CUDA/ROCm/others, 512 MiB on Metal.
    reserve_bytes_cuda=457 * MIB,
    reserve_bytes_metal=512 * MIB,
    gpu_choice="fewest",
    partial_offload=True,
    # Current Ollama starts llama-server, whose flash attention is "auto" (on where the backend
    # supports it); older releases enabled it only for some models (gemma3, gpt-oss, qwen3).
    flash_attention_archs=None,
    backends=frozenset({"cuda", "rocm", "metal", "vulkan", "cpu"}),
    default_context_rule="ollama_vram_tier",
)

LLAMA_CPP = RuntimeProfile(
    id="llama-cpp",
    name="llama.cpp (llama-server)",
    # 250 MiB of CUDA context (gguf-parser-go's default device footprint) plus the 1024 MiB that
    # llama-server's --fit (on by default) keeps free on each device.
    reserve_bytes_cuda=(250 + 1024) * MIB,
    reserve_bytes_metal=1024 * MIB,
    gpu_choice="all",
    partial_offload=True,
    flash_attention_archs=None,
    backends=frozenset({"cuda", "rocm", "metal", "vulkan", "sycl", "cpu"}),
    default_context_rule="fit_native",
)

LM_STUDIO = RuntimeProfile(
    id="lm-studio",
    name="LM Studio (llama.cpp engine)",
    reserve_bytes_cuda=250 * MIB,
    reserve_bytes_metal=512 * MIB,
    gpu_choice="all",
    partial_offload=True,
    flash_attention_archs=None,
    backends=frozenset({"cuda", "rocm", "metal", "vulkan", "cpu"}),
    default_context_rule="fixed",
    fixed_context=4096,
    notes=("LM Studio's context is whatever the load dialog is set to; we assume 4096.",),
)

VLLM = RuntimeProfile(
    id="vllm",
    name="vLLM",
    reserve_bytes_cuda=0,
    reserve_bytes_metal=0,
    gpu_choice="all",
    partial_offload=False,
    flash_attention_archs=None,
    backends=frozenset({"cuda", "rocm"}),
    default_context_rule="fit_native",
    memory_fraction=0.9,
    notes=(
        "vLLM takes 90% of each GPU (--gpu-memory-utilization 0.9) and splits with tensor "
        "parallelism, so the GPU count must divide the attention heads.",
    ),
)

MLX_LM = RuntimeProfile(
    id="mlx-lm",
    name="MLX (mlx-lm)",
    reserve_bytes_cuda=0,
    reserve_bytes_metal=512 * MIB,
    gpu_choice="all",
    partial_offload=False,
    flash_attention_archs=None,
    backends=frozenset({"metal", "mlx"}),
    default_context_rule="fixed",
    fixed_context=4096,
    notes=("MLX grows the cache as the conversation grows; we size it at the context given.",),
)

RUNTIMES: dict[str, RuntimeProfile] = {
    r.id: r for r in (OLLAMA, LLAMA_CPP, LM_STUDIO, VLLM, MLX_LM)
}

_RUNTIME_WORDS = {
    "ollama": "ollama",
    "llama.cpp": "llama-cpp",
    "llamacpp": "llama-cpp",
    "llama-cpp": "llama-cpp",
    "llama cpp": "llama-cpp",
    "llama-server": "llama-cpp",
    "koboldcpp": "llama-cpp",
    "lm studio": "lm-studio",
    "lmstudio": "lm-studio",
    "lm-studio": "lm-studio",
    "vllm": "vllm",
    "mlx": "mlx-lm",
    "mlx-lm": "mlx-lm",
    "mlx_lm": "mlx-lm",
}


def resolve_runtime(text: str | None) -> RuntimeProfile | None:
    """The profile for a runtime name as people type it, or None if unknown or not given."""
    if not text:
        return None
    key = text.strip().lower()
    rid = _RUNTIME_WORDS.get(key) or _RUNTIME_WORDS.get(key.replace("_", "-"))
    return RUNTIMES.get(rid) if rid else None


OLLAMA_CONTEXT_TIERS = (262144, 32768, 4096)


def ollama_default_context(total_vram_bytes: int, native_context: int) -> int:
    """Ollama's context when none is set: 4k below 24 GiB of VRAM, 32k up to 48 GiB, 256k above,
    never beyond the model's own (Ollama docs, "Context length"). When the model does not fit at
    that size Ollama steps down 256k -> 32k -> 4k; the engine applies that step-down."""
    if total_vram_bytes < 24 * GIB:
        tier = 4096
    elif total_vram_bytes < 48 * GIB:
        tier = 32768
    else:
        tier = 262144
    return min(tier, native_context)


FIT_MIN_CONTEXT = 4096
"""llama-server's --fit shrinks an unset context toward the model's maximum but not below 4096
(`-fitc`)."""
