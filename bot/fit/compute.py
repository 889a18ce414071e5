"""Compute (scratch) buffers: the activations llama.cpp reserves on each device for one batch.

llama.cpp reserves a graph for the worst case of one micro-batch (`-ub`, 512 tokens) at the full
context and reuses it for every layer, so the buffer is the largest single step, not a sum over
layers. The dominant steps, as gguf-parser-go's estimator replays them:

- attention without flash attention materialises f32 scores `context x ubatch x heads`
  (this is what explodes at long context); with flash attention only a tile and an f16 mask;
- the feed-forward intermediate `ubatch x ffn` (for MoE, the active experts' width);
- on the device holding the output layer, f32 logits `ubatch x vocab`.
"""

from __future__ import annotations

from bot.fit.kv_cache import UBATCH
from bot.schema.catalog import Architecture

F32 = 4
F16 = 2


def micro_batch(context: int, ubatch: int = UBATCH) -> int:
    """Tokens per micro-batch: `-ub` (512 by default), or the whole context if shorter."""
    return min(ubatch, context)


def attention_scratch_bytes(
    arch: Architecture, context: int, flash_attention: bool, ubatch: int = UBATCH
) -> int:
    """Largest attention intermediate for one micro-batch.

    Without flash attention: f32 scores `ubatch x context x heads` plus an f32 mask. With it:
    an f16 mask `ubatch x context` and q/k/v views of `ubatch x heads x head_dim` in f32.
    """
    u = micro_batch(context, ubatch)
    if flash_attention:
        return u * context * F16 + 3 * u * arch.heads * arch.head_dim * F32
    return u * context * arch.heads * F32 + u * context * F32


def ffn_scratch_bytes(arch: Architecture, context: int, ubatch: int = UBATCH) -> int:
    """Largest feed-forward intermediate: gate and up outputs, f32, for one micro-batch."""
    u = micro_batch(context, ubatch)
    width = arch.ffn_size
    if arch.moe is not None:
        moe = arch.moe
        routed = moe.expert_ffn_size * moe.active_experts
        shared = moe.shared_experts * moe.shared_expert_ffn_size
        width = max(width if moe.dense_layers else 0, routed + shared)
    return 2 * u * width * F32


def logits_bytes(arch: Architecture, context: int, ubatch: int = UBATCH) -> int:
    """f32 logits for one micro-batch, on the device that holds the output layer."""
    return micro_batch(context, ubatch) * arch.vocab * F32


def residual_bytes(arch: Architecture, context: int, ubatch: int = UBATCH) -> int:
    """Hidden-state buffers that live alongside every step (input, residual, norm output)."""
    return 3 * micro_batch(context, ubatch) * arch.hidden_size * F32


def device_compute_bytes(
    arch: Architecture,
    context: int,
    flash_attention: bool,
    holds_output: bool,
    ubatch: int = UBATCH,
) -> int:
    """Compute buffer of one device that runs layers: residuals plus its largest step."""
    largest = max(
        attention_scratch_bytes(arch, context, flash_attention, ubatch),
        ffn_scratch_bytes(arch, context, ubatch),
        logits_bytes(arch, context, ubatch) if holds_output else 0,
    )
    return residual_bytes(arch, context, ubatch) + largest


def host_compute_bytes(
    arch: Architecture,
    context: int,
    flash_attention: bool,
    runs_layers: bool,
    holds_output: bool,
) -> int:
    """Compute buffer in system RAM: small when everything is offloaded (input embeddings for
    one batch), a full device buffer when the CPU runs layers itself."""
    if runs_layers or holds_output:
        return device_compute_bytes(arch, context, flash_attention, holds_output)
    return residual_bytes(arch, context)
