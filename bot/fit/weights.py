"""Weight bytes, tensor by tensor, from a model's architecture and a quantization recipe.

The tensor list mirrors the GGUF tensors llama.cpp loads for a decoder-only model (names as in
llama.cpp `src/llama-arch.cpp`): `token_embd`, per block `attn_q/k/v/output` (or the MLA
`attn_q_a/q_b/kv_a_mqa/kv_b` set), `ffn_gate/up/down` or the expert tensors `ffn_*_exps` plus
shared experts and the F32 router, norms, and `output`. Each tensor's bytes are whole ggml blocks
of the type the recipe gives it (see `quant.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.fit.quant import GGML_TYPES, ModelTraits, Role, tensor_type
from bot.schema.catalog import Architecture

PARAMS_TOLERANCE = 0.03
"""If the tensors we list miss the published parameter count by more than this, the block
tensors are scaled to match it (architectures with extra projections, biases or sinks)."""


@dataclass(frozen=True, slots=True)
class TensorShape:
    """One weight tensor: `rows` rows of `row_weights` weights (ggml ne0), in `copies` experts."""

    role: Role
    row_weights: int
    rows: int
    copies: int = 1

    @property
    def weights(self) -> int:
        return self.row_weights * self.rows * self.copies


@dataclass(frozen=True, slots=True)
class WeightLayout:
    """Bytes of every part of the model that placement and speed need, for one recipe."""

    recipe: str
    input_bytes: int
    """`token_embd`: stays in system RAM in llama.cpp (the input layer is never offloaded)."""
    layer_bytes: tuple[int, ...]
    """All weights of each repeating block."""
    layer_expert_bytes: tuple[int, ...]
    """The routed-expert part of each block (0 for dense blocks): what `--n-cpu-moe` moves."""
    layer_active_bytes: tuple[int, ...]
    """Bytes read per generated token in each block: dense part plus the active experts."""
    output_bytes: int
    """`output` + `output_norm`, the layer offloaded first; for tied embeddings the copy of
    `token_embd` llama.cpp places on the output device."""
    file_bytes: int
    """Size of the GGUF's tensor data (input + blocks + untied output)."""
    params: int
    """Parameters counted from the tensors (after calibration to the published count)."""
    scaled_to_published_file: bool = False
    blocks_total: int = -1
    """Sum of `layer_bytes` (filled in on construction; the context table reads it often)."""

    def __post_init__(self) -> None:
        if self.blocks_total < 0:
            object.__setattr__(self, "blocks_total", sum(self.layer_bytes))

    @property
    def total_bytes(self) -> int:
        return self.file_bytes


def _traits(arch: Architecture) -> ModelTraits:
    experts = arch.moe.experts if arch.moe else 0
    seventy_b = arch.layers == 80 and arch.arch in {"llama", "qwen2"} and not arch.moe
    return ModelTraits(
        layers=arch.layers,
        gqa=arch.heads // arch.kv_heads,
        experts=experts,
        seventy_b_class=seventy_b,
        mxfp4_experts=is_gpt_oss(arch.arch),
    )


def is_gpt_oss(arch_name: str) -> bool:
    """gpt-oss's GGUF architecture name ("gpt-oss"; some tools write "gptoss")."""
    return arch_name.replace("-", "").replace("_", "") == "gptoss"


def attention_tensors(arch: Architecture) -> list[TensorShape]:
    """The attention projections of one block.

    Ordinary (grouped-query) attention: q and o are `hidden x heads*head_dim`, k and v are
    `hidden x kv_heads*head_dim` (this is where GQA saves weights as well as cache). MLA
    (DeepSeek V2/V3) replaces k/v by a down-projection to the latent (`kv_lora_rank` plus the
    rope key part) and an up-projection `attn_kv_b` back to per-head keys and values.
    """
    d, h, hd = arch.hidden_size, arch.heads, arch.head_dim
    mla = arch.latent_attention
    if mla is None:
        return [
            TensorShape(Role.ATTN_Q, d, h * hd),
            TensorShape(Role.ATTN_K, d, arch.kv_heads * hd),
            TensorShape(Role.ATTN_V, d, arch.kv_heads * hd),
            TensorShape(Role.ATTN_OUTPUT, h * hd, d),
        ]
    q_head = hd + mla.rope_head_dim
    if mla.q_lora_rank:
        query = [
            TensorShape(Role.OTHER_MATRIX, d, mla.q_lora_rank),
            TensorShape(Role.ATTN_Q, mla.q_lora_rank, h * q_head),
        ]
    else:
        query = [TensorShape(Role.ATTN_Q, d, h * q_head)]
    return [
        *query,
        TensorShape(Role.OTHER_MATRIX, d, mla.kv_lora_rank + mla.rope_head_dim),
        TensorShape(Role.ATTN_KV_B, mla.kv_lora_rank, h * 2 * hd),
        TensorShape(Role.ATTN_OUTPUT, h * hd, d),
    ]


def ffn_tensors(arch: Architecture, layer: int) -> list[TensorShape]:
    """The feed-forward part of one block: dense SwiGLU (gate, up, down) or routed experts.

    MoE blocks hold `experts` copies of gate/up/down at `expert_ffn_size`, an F32 router
    `hidden x experts`, and optional shared experts; DeepSeek-style models keep their first
    `dense_layers` blocks dense.
    """
    d = arch.hidden_size
    moe = arch.moe
    if moe is None or layer < moe.dense_layers:
        ff = arch.ffn_size
        return [
            TensorShape(Role.FFN_GATE, d, ff),
            TensorShape(Role.FFN_UP, d, ff),
            TensorShape(Role.FFN_DOWN, ff, d),
        ]
    e, eff = moe.experts, moe.expert_ffn_size
    tensors = [
        TensorShape(Role.ROUTER, d, e),
        TensorShape(Role.EXPERT_GATE, d, eff, e),
        TensorShape(Role.EXPERT_UP, d, eff, e),
        TensorShape(Role.EXPERT_DOWN, eff, d, e),
    ]
    if moe.shared_experts and moe.shared_expert_ffn_size:
        sff = moe.shared_experts * moe.shared_expert_ffn_size
        tensors += [
            TensorShape(Role.FFN_GATE, d, sff),
            TensorShape(Role.FFN_UP, d, sff),
            TensorShape(Role.FFN_DOWN, sff, d),
        ]
    return tensors


def block_tensors(arch: Architecture, layer: int) -> list[TensorShape]:
    """Every tensor of block `layer`: two norms, attention, feed-forward."""
    norms = [
        TensorShape(Role.NORM, arch.hidden_size, 1),
        TensorShape(Role.NORM, arch.hidden_size, 1),
    ]
    return norms + attention_tensors(arch) + ffn_tensors(arch, layer)


def tensor_bytes(tensor: TensorShape, recipe: str, layer: int, traits: ModelTraits) -> int:
    """Bytes of one tensor: rows x whole blocks of the type the recipe picks for it."""
    type_name = tensor_type(recipe, tensor.role, layer, tensor.row_weights, traits)
    return GGML_TYPES[type_name].row_bytes(tensor.row_weights) * tensor.rows * tensor.copies


def count_params(arch: Architecture) -> int:
    """Parameters implied by the tensor list (embeddings, blocks and an untied output)."""
    embd = arch.vocab * arch.hidden_size
    blocks = sum(t.weights for i in range(arch.layers) for t in block_tensors(arch, i))
    return embd * (1 if arch.tied_embeddings else 2) + blocks + arch.hidden_size


_EXPERT_ROLES = frozenset({Role.EXPERT_GATE, Role.EXPERT_UP, Role.EXPERT_DOWN})


@lru_cache(maxsize=512)
def weight_layout(arch: Architecture, recipe: str, params_b: float | None = None) -> WeightLayout:
    """Per-part weight bytes of `arch` quantized with `recipe`.

    When `params_b` (the published parameter count) differs from our tensor count by more than
    `PARAMS_TOLERANCE`, the block bytes are scaled to it: the published count is the better
    total, our tensor list the better distribution between layers and parts.
    """
    traits = _traits(arch)
    d, v = arch.hidden_size, arch.vocab
    counted = count_params(arch)
    scale = 1.0
    if params_b:
        embd_params = v * d * (1 if arch.tied_embeddings else 2)
        block_params = counted - embd_params
        target_blocks = params_b * 1e9 - embd_params
        if block_params > 0 and target_blocks > 0:
            ratio = target_blocks / block_params
            if abs(ratio - 1) > PARAMS_TOLERANCE:
                scale = ratio
    embd_role = Role.OUTPUT if arch.tied_embeddings else Role.TOKEN_EMBD
    input_bytes = tensor_bytes(TensorShape(embd_role, d, v), recipe, 0, traits)
    output_bytes = tensor_bytes(TensorShape(Role.OUTPUT, d, v), recipe, 0, traits) + 4 * d
    layers, experts, active = [], [], []
    for i in range(arch.layers):
        total = expert = 0
        for t in block_tensors(arch, i):
            b = tensor_bytes(t, recipe, i, traits)
            total += b
            if t.role in _EXPERT_ROLES:
                expert += b
        total, expert = round(total * scale), round(expert * scale)
        layers.append(total)
        experts.append(expert)
        moe = arch.moe
        share = moe.active_experts / moe.experts if moe and expert else 0.0
        active.append(total - expert + round(expert * share))
    untied_output = 0 if arch.tied_embeddings else output_bytes
    file_bytes = input_bytes + sum(layers) + untied_output
    params = round(
        v * d * (1 if arch.tied_embeddings else 2)
        + (counted - v * d * (1 if arch.tied_embeddings else 2)) * scale
    )
    return WeightLayout(
        recipe=recipe,
        input_bytes=input_bytes,
        layer_bytes=tuple(layers),
        layer_expert_bytes=tuple(experts),
        layer_active_bytes=tuple(active),
        output_bytes=output_bytes,
        file_bytes=file_bytes,
        params=params,
    )


def scale_to_file(layout: WeightLayout, published_bytes: int) -> WeightLayout:
    """The same layout rescaled so its total matches a published GGUF size.

    A published file is the ground truth for its own recipe (it also reflects the exact
    converter version and any tensors our list lacks); we keep our split between parts.
    """
    if layout.file_bytes <= 0:
        return layout
    f = published_bytes / layout.file_bytes

    def s(values: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(round(x * f) for x in values)

    return WeightLayout(
        recipe=layout.recipe,
        input_bytes=round(layout.input_bytes * f),
        layer_bytes=s(layout.layer_bytes),
        layer_expert_bytes=s(layout.layer_expert_bytes),
        layer_active_bytes=s(layout.layer_active_bytes),
        output_bytes=round(layout.output_bytes * f),
        file_bytes=published_bytes,
        params=layout.params,
        scaled_to_published_file=True,
    )
