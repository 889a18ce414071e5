"""llama.cpp quantization: bytes per block of each ggml type, and which type each tensor gets.

A GGUF "quant" such as Q4_K_M is a recipe, not a single type: most weight matrices get the base
type (Q4_K), a few sensitive ones get more bits (Q6_K), norms stay F32. The recipe below restates
`llama_tensor_get_type_impl` in llama.cpp `src/llama-quant.cpp` for the recipes people download;
the block layouts are the structs in ggml `ggml-common.h` (a block of 32 or 256 weights and its
scales).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class GgmlType:
    """One ggml tensor type: `block_bytes` bytes store `block_weights` weights."""

    name: str
    block_weights: int
    block_bytes: int

    @property
    def bits_per_weight(self) -> float:
        """Bits per weight including the block's scales (Q4_K: 144 bytes / 256 = 4.5)."""
        return self.block_bytes * 8 / self.block_weights

    def row_bytes(self, weights: int) -> int:
        """Bytes of `weights` consecutive weights, whole blocks only (ggml's row size)."""
        blocks = -(-weights // self.block_weights)
        return blocks * self.block_bytes


def _t(name: str, weights: int, nbytes: int) -> GgmlType:
    return GgmlType(name, weights, nbytes)


GGML_TYPES: dict[str, GgmlType] = {
    t.name: t
    for t in (
        _t("F32", 1, 4),
        _t("F16", 1, 2),
        _t("BF16", 1, 2),
        _t("Q8_0", 32, 34),  # f16 scale + 32 int8
        _t("Q5_1", 32, 24),
        _t("Q5_0", 32, 22),
        _t("Q4_1", 32, 20),
        _t("Q4_0", 32, 18),  # f16 scale + 16 bytes of nibbles
        _t("MXFP4", 32, 17),  # e8m0 scale + 16 bytes of fp4
        _t("IQ4_NL", 32, 18),
        _t("Q6_K", 256, 210),
        _t("Q5_K", 256, 176),
        _t("Q4_K", 256, 144),
        _t("Q3_K", 256, 110),
        _t("Q2_K", 256, 84),
        _t("IQ4_XS", 256, 136),
        _t("IQ3_S", 256, 110),
        _t("IQ3_XXS", 256, 98),
        _t("IQ2_S", 256, 82),
        _t("IQ2_XS", 256, 74),
        _t("IQ2_XXS", 256, 66),
    )
}


class Role(StrEnum):
    """What a weight tensor does; the recipe keys its choice on this (llama.cpp's categories)."""

    TOKEN_EMBD = "token_embd"
    OUTPUT = "output"
    ATTN_Q = "attn_q"
    ATTN_K = "attn_k"
    ATTN_V = "attn_v"
    ATTN_KV_B = "attn_kv_b"
    ATTN_OUTPUT = "attn_output"
    FFN_GATE = "ffn_gate"
    FFN_UP = "ffn_up"
    FFN_DOWN = "ffn_down"
    EXPERT_GATE = "ffn_gate_exps"
    EXPERT_UP = "ffn_up_exps"
    EXPERT_DOWN = "ffn_down_exps"
    OTHER_MATRIX = "other_matrix"
    NORM = "norm"
    ROUTER = "ffn_gate_inp"


_UNQUANTIZED_ROLES = frozenset({Role.NORM, Role.ROUTER})
"""Norms (1-D) and the MoE router (`ffn_gate_inp`) stay F32 in every recipe (llama-quant.cpp)."""


@dataclass(frozen=True, slots=True)
class Recipe:
    """A downloadable quantization (a llama.cpp `ftype`) and its base ggml type."""

    name: str
    base: str
    nominal_bits: float
    """Base type's bits per weight, for ordering recipes from largest to smallest."""


RECIPES: dict[str, Recipe] = {
    r.name: r
    for r in (
        Recipe("F32", "F32", 32.0),
        Recipe("F16", "F16", 16.0),
        Recipe("BF16", "BF16", 16.0),
        Recipe("Q8_0", "Q8_0", 8.5),
        Recipe("Q6_K", "Q6_K", 6.5625),
        Recipe("Q5_K_M", "Q5_K", 5.5),
        Recipe("Q5_K_S", "Q5_K", 5.5),
        Recipe("Q5_0", "Q5_0", 5.5),
        Recipe("Q4_K_M", "Q4_K", 4.5),
        Recipe("Q4_K_S", "Q4_K", 4.5),
        Recipe("Q4_0", "Q4_0", 4.5),
        Recipe("Q4_1", "Q4_1", 5.0),
        Recipe("Q5_1", "Q5_1", 6.0),
        Recipe("IQ4_NL", "IQ4_NL", 4.5),
        Recipe("IQ4_XS", "IQ4_XS", 4.25),
        Recipe("MXFP4", "MXFP4", 4.25),
        Recipe("Q3_K_L", "Q3_K", 3.4375),
        Recipe("Q3_K_M", "Q3_K", 3.4375),
        Recipe("Q3_K_S", "Q3_K", 3.4375),
        Recipe("Q2_K", "Q2_K", 2.625),
    )
}

COMMON_QUANTS: tuple[str, ...] = ("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "IQ4_XS", "Q3_K_M", "Q2_K")
"""The quantizations the answer's tables walk, largest first (what GGUF repos usually offer)."""


@dataclass(frozen=True, slots=True)
class ModelTraits:
    """The few model facts the recipe looks at besides the tensor's role."""

    layers: int
    gqa: int
    """Query heads per KV head (`n_gqa()`)."""
    experts: int = 0
    seventy_b_class: bool = False
    """llama.cpp's `LLM_TYPE_70B` (80-layer Llama/Qwen2): attn_v Q4_K/Q3_K become Q5_K."""
    mxfp4_experts: bool = False
    """gpt-oss ships its experts in MXFP4; GGUF converters keep them so whatever the recipe
    (unsloth's "F16" gpt-oss-20b is 13.8 GB, not 42)."""


def more_bits_layer(layer: int, layers: int) -> bool:
    """True for the layers K-quant _M recipes give more bits to.

    llama.cpp `use_more_bits`: the first eighth, the last eighth, and every third layer in
    between. For 32 layers that is 0-3, 28-31 and 6, 9, ..., 27 (16 of 32).
    """
    eighth = layers // 8
    return layer < eighth or layer >= 7 * layers // 8 or (layer - eighth) % 3 == 2


def _fallback(type_name: str, row_weights: int) -> str:
    """Type used when a row is not a whole number of blocks (llama.cpp `tensor_type_fallback`)."""
    if row_weights % GGML_TYPES[type_name].block_weights == 0:
        return type_name
    replacement = {
        "Q2_K": "Q4_0",
        "Q3_K": "Q4_0",
        "Q4_K": "Q5_0",
        "Q5_K": "Q5_1",
        "Q6_K": "Q8_0",
        "IQ4_XS": "IQ4_NL",
        "IQ3_S": "IQ4_NL",
        "IQ3_XXS": "IQ4_NL",
        "IQ2_S": "IQ4_NL",
        "IQ2_XS": "IQ4_NL",
        "IQ2_XXS": "IQ4_NL",
    }.get(type_name, "F16")
    if row_weights % GGML_TYPES[replacement].block_weights:
        return "F16"
    return replacement


def _output_type(recipe: Recipe, row_weights: int) -> str:
    """The output matrix (and tied embeddings): Q6_K unless the base is already Q8_0 or wider."""
    if recipe.name == "MXFP4":
        return "Q8_0"
    if recipe.base in {"F32", "F16", "BF16", "Q8_0"}:
        return recipe.base
    if row_weights % GGML_TYPES[recipe.base].block_weights:
        return "Q8_0"
    return "Q6_K"


def _attn_v_type(recipe: Recipe, layer: int, traits: ModelTraits) -> str:
    name = recipe.name
    new = recipe.base
    if name == "Q2_K":
        new = "Q4_K" if traits.gqa >= 4 else "Q3_K"
    elif name == "Q3_K_M":
        new = "Q5_K" if layer < 2 else "Q4_K"
    elif name == "Q3_K_L" or (name in {"IQ4_NL", "IQ4_XS"} and traits.gqa >= 4):
        new = "Q5_K"
    elif name in {"Q4_K_M", "Q5_K_M"} and more_bits_layer(layer, traits.layers):
        new = "Q6_K"
    elif name == "Q4_K_S" and layer < 4:
        new = "Q5_K"
    if traits.seventy_b_class and new in {"Q3_K", "Q4_K"}:
        new = "Q5_K"
    if traits.experts == 8:
        new = "Q8_0"
    return new


def _ffn_down_type(recipe: Recipe, layer: int, traits: ModelTraits) -> str:
    name, n = recipe.name, traits.layers
    rules = (
        (name == "Q2_K", "Q3_K"),
        (name == "Q3_K_M", "Q5_K" if layer < n // 16 else "Q4_K"),
        (name == "Q3_K_L", "Q5_K"),
        (name in {"Q4_K_M", "Q5_K_M"} and more_bits_layer(layer, n), "Q6_K"),
        (name in {"IQ4_NL", "IQ4_XS", "Q4_K_S"} and layer < n // 8, "Q5_K"),
    )
    return next((chosen for applies, chosen in rules if applies), recipe.base)


def _attn_output_type(recipe: Recipe, traits: ModelTraits) -> str:
    name = recipe.name
    if traits.experts == 8:
        eight_expert_bump = {"Q2_K", "Q3_K_S", "Q3_K_M", "IQ4_NL", "Q4_K_S", "Q4_K_M", "IQ4_XS"}
        return "Q5_K" if name in eight_expert_bump else recipe.base
    return {"Q2_K": "Q3_K", "Q3_K_M": "Q4_K", "Q3_K_L": "Q5_K"}.get(name, recipe.base)


def tensor_type(
    recipe_name: str, role: Role, layer: int, row_weights: int, traits: ModelTraits
) -> str:
    """The ggml type `llama-quantize` gives one tensor under a recipe.

    Follows `llama_tensor_get_type_impl` in llama.cpp `src/llama-quant.cpp` for the K-quant,
    legacy, IQ4 and MXFP4 recipes: output (and tied embeddings) to Q6_K; attn_v and ffn_down bumped
    on the `use_more_bits` layers for _M; 8-expert models (Mixtral) get Q8_0 attn_k/attn_v and
    Q5_K attn_output; 80-layer dense models get Q5_K attn_v; gpt-oss style MXFP4 keeps experts in
    MXFP4 and everything else Q8_0. Rows that are not whole blocks fall back as llama.cpp does.
    """
    recipe = RECIPES[recipe_name]
    if role in _UNQUANTIZED_ROLES:
        return "F32"
    if traits.mxfp4_experts and role in {Role.EXPERT_GATE, Role.EXPERT_UP, Role.EXPERT_DOWN}:
        return "MXFP4"
    if recipe.base in {"F32", "F16", "BF16"}:
        return recipe.base
    if role is Role.OUTPUT:
        return _fallback(_output_type(recipe, row_weights), row_weights)
    if recipe.name == "MXFP4":
        chosen = "MXFP4" if role in {Role.EXPERT_GATE, Role.EXPERT_UP, Role.EXPERT_DOWN} else "Q8_0"
        return _fallback(chosen, row_weights)
    chosen = recipe.base
    if role is Role.TOKEN_EMBD:
        chosen = recipe.base
    elif role in {Role.ATTN_V, Role.ATTN_KV_B}:
        chosen = _attn_v_type(recipe, layer, traits)
    elif role is Role.ATTN_K and traits.experts == 8:
        chosen = "Q8_0"
    elif role in {Role.FFN_DOWN, Role.EXPERT_DOWN}:
        chosen = _ffn_down_type(recipe, layer, traits)
    elif role is Role.ATTN_OUTPUT:
        chosen = _attn_output_type(recipe, traits)
    return _fallback(chosen, row_weights)


_QUANT_WORD = re.compile(
    r"^(?:(?P<iq>iq[1-4]_(?:xxs|xs|s|m|nl))|(?P<k>q[2-8]_k(?:_[sml])?)|(?P<legacy>q[4-8]_[01])"
    r"|(?P<float>f16|fp16|bf16|f32|fp32|float16)|(?P<mx>mxfp4)|(?P<short>q[2-8]))$"
)

_SHORT_QUANTS = {
    "q2": "Q2_K",
    "q3": "Q3_K_M",
    "q4": "Q4_K_M",
    "q5": "Q5_K_M",
    "q6": "Q6_K",
    "q8": "Q8_0",
}


def normalize_quant(word: str) -> str | None:
    """A recipe name from how people type it (`q4_K_M`, `Q5`, `q8`, `fp16`, `4bit`), else None.

    A bare `q4`/`q5`/`q3` means the _M recipe, the one Ollama and most GGUF repos default to.
    """
    text = word.strip().lower().replace("-", "_")
    bit_words = {"4bit": "Q4_K_M", "4_bit": "Q4_K_M", "8bit": "Q8_0", "8_bit": "Q8_0"}
    if text in bit_words:
        return bit_words[text]
    match = _QUANT_WORD.match(text)
    if not match:
        return None
    if match["float"]:
        return {"f16": "F16", "fp16": "F16", "float16": "F16", "bf16": "BF16"}.get(text, "F32")
    if match["short"]:
        return _SHORT_QUANTS.get(text)
    upper = text.upper()
    if upper in {"Q6_K_M", "Q6_K_S"}:
        upper = "Q6_K"
    if upper in {"Q8_K", "Q4_K", "Q5_K", "Q3_K"}:
        upper = {"Q8_K": "Q8_0", "Q4_K": "Q4_K_M", "Q5_K": "Q5_K_M", "Q3_K": "Q3_K_M"}[upper]
    if upper == "Q2_K_S":
        upper = "Q2_K"
    return upper if upper in RECIPES else None
