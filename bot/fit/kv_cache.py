"""KV cache bytes, layer by layer, as llama.cpp allocates them.

Per attention layer and token the cache holds one key and one value vector per KV head
(`kv_heads x head_dim` each), so grouped-query attention divides it by `heads / kv_heads`.
Sliding-window layers keep only the window (plus one micro-batch), MLA models keep a compressed
latent, and a quantized cache stores ggml blocks (q8_0: 34 bytes per 32 values).
"""

from __future__ import annotations

from typing import Literal

from bot.fit.quant import GGML_TYPES
from bot.schema.catalog import Architecture

KvType = Literal["f16", "q8_0", "q4_0"]

UBATCH = 512
"""llama.cpp's default physical batch (`-ub 512`); Ollama uses the same for most models."""

SWA_PAD = 256
"""llama.cpp pads a sliding-window cache to a multiple of 256 cells."""


def kv_type_bytes(kv_type: KvType, values: int) -> int:
    """Bytes of `values` cache values stored as `kv_type` (f16: 2 each; q8_0 and q4_0 in blocks
    of 32 at 34 and 18 bytes, the ggml block layouts)."""
    return GGML_TYPES[kv_type.upper()].row_bytes(values)


def is_sliding_layer(arch: Architecture, layer: int) -> bool:
    """True if `layer` attends only to the sliding window.

    The catalog's `global_every` N means every Nth layer (counting from 1) is global: Gemma 2
    alternates (N=2, first layer local), Gemma 3 has five local layers per global one (N=6),
    gpt-oss alternates starting with a sliding layer (N=2).
    """
    sw = arch.sliding_window
    if sw is None:
        return False
    return (layer + 1) % sw.global_every != 0


def cached_tokens(arch: Architecture, layer: int, context: int, parallel: int = 1) -> int:
    """Cells the cache of `layer` holds: the full context, or for a sliding layer the window
    for every sequence plus one micro-batch, rounded up to 256 and never above the context
    (llama.cpp's SWA cache size, as gguf-parser-go replays it)."""
    if not is_sliding_layer(arch, layer):
        return context * parallel
    assert arch.sliding_window is not None
    want = arch.sliding_window.window * parallel + UBATCH
    padded = -(-want // SWA_PAD) * SWA_PAD
    return min(context * parallel, padded)


def values_per_token(arch: Architecture) -> tuple[int, int]:
    """Key and value elements cached per token per layer.

    GQA: `kv_heads x head_dim` for K and again for V. MLA (DeepSeek V2/V3): the latent of
    `kv_lora_rank` plus the shared rope key of `rope_head_dim`, stored once; llama.cpp's MLA
    cache reads V back out of that latent, so there is no separate V tensor.
    """
    mla = arch.latent_attention
    if mla is not None:
        return mla.kv_lora_rank + mla.rope_head_dim, 0
    per = arch.kv_heads * arch.head_dim
    return per, per


def effective_v_type(kv_type: KvType, flash_attention: bool) -> KvType:
    """The V cache type actually used: llama.cpp can only quantize V with flash attention on,
    so without it a quantized request keeps V at f16 (gguf-parser-go applies the same rule)."""
    if kv_type != "f16" and not flash_attention:
        return "f16"
    return kv_type


def layer_kv_bytes(
    arch: Architecture,
    layer: int,
    context: int,
    kv_type: KvType = "f16",
    *,
    flash_attention: bool = True,
    parallel: int = 1,
) -> int:
    """Bytes of the K and V cache of one layer at `context` tokens."""
    tokens = cached_tokens(arch, layer, context, parallel)
    k_per, v_per = values_per_token(arch)
    v_type = effective_v_type(kv_type, flash_attention)
    return tokens * (kv_type_bytes(kv_type, k_per) + (kv_type_bytes(v_type, v_per) if v_per else 0))


def kv_cache_layers(
    arch: Architecture,
    context: int,
    kv_type: KvType = "f16",
    *,
    flash_attention: bool = True,
    parallel: int = 1,
) -> tuple[int, ...]:
    """KV bytes of every layer, in layer order (placement puts each with its layer)."""
    k_per, v_per = values_per_token(arch)
    v_type = effective_v_type(kv_type, flash_attention)
    per_token = kv_type_bytes(kv_type, k_per) + (kv_type_bytes(v_type, v_per) if v_per else 0)
    full = per_token * context * parallel
    if arch.sliding_window is None:
        return (full,) * arch.layers
    sliding = per_token * cached_tokens(arch, 0, context, parallel)  # layer 0 always slides
    return tuple(sliding if is_sliding_layer(arch, i) else full for i in range(arch.layers))


def kv_bytes_per_token(arch: Architecture, kv_type: KvType = "f16") -> int:
    """Cache bytes one more token of context adds across all full-attention layers; what decode
    reads per token of context already filled (sliding layers stop growing at the window)."""
    k_per, v_per = values_per_token(arch)
    per_layer = kv_type_bytes(kv_type, k_per) + (kv_type_bytes(kv_type, v_per) if v_per else 0)
    full_layers = sum(1 for i in range(arch.layers) if not is_sliding_layer(arch, i))
    return per_layer * full_layers
