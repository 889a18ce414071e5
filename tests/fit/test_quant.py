"""Quantization: block layouts and which type each tensor gets (llama.cpp src/llama-quant.cpp)."""

from __future__ import annotations

import pytest

from bot.fit.quant import (
    GGML_TYPES,
    ModelTraits,
    Role,
    more_bits_layer,
    normalize_quant,
    tensor_type,
)


@pytest.mark.parametrize(
    ("name", "bits"),
    [
        ("F16", 16.0),
        ("BF16", 16.0),
        ("Q8_0", 8.5),  # 34 bytes / 32
        ("Q4_0", 4.5),  # 18 bytes / 32
        ("MXFP4", 4.25),  # 17 bytes / 32
        ("Q6_K", 6.5625),  # 210 bytes / 256
        ("Q5_K", 5.5),  # 176 bytes / 256
        ("Q4_K", 4.5),  # 144 bytes / 256
        ("Q3_K", 3.4375),  # 110 bytes / 256
        ("Q2_K", 2.625),  # 84 bytes / 256
        ("IQ4_XS", 4.25),  # 136 bytes / 256
    ],
)
def test_bits_per_weight_from_block_layout(name: str, bits: float) -> None:
    assert GGML_TYPES[name].bits_per_weight == bits


def test_row_bytes_rounds_up_to_whole_blocks() -> None:
    assert GGML_TYPES["Q8_0"].row_bytes(32) == 34
    assert GGML_TYPES["Q8_0"].row_bytes(33) == 68


def test_more_bits_layers_for_32_layers() -> None:
    bumped = [i for i in range(32) if more_bits_layer(i, 32)]
    # first eighth (0-3), last eighth (28-31), every third layer in between starting at 6
    assert bumped == [0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31]


def test_more_bits_layers_for_28_layers() -> None:
    bumped = [i for i in range(28) if more_bits_layer(i, 28)]
    assert bumped == [0, 1, 2, 5, 8, 11, 14, 17, 20, 23, 24, 25, 26, 27]


LLAMA_8B = ModelTraits(layers=32, gqa=4)


def test_q4_k_m_bumps_attn_v_and_ffn_down_on_more_bits_layers() -> None:
    assert tensor_type("Q4_K_M", Role.ATTN_V, 0, 4096, LLAMA_8B) == "Q6_K"
    assert tensor_type("Q4_K_M", Role.ATTN_V, 4, 4096, LLAMA_8B) == "Q4_K"
    assert tensor_type("Q4_K_M", Role.FFN_DOWN, 6, 14336, LLAMA_8B) == "Q6_K"
    assert tensor_type("Q4_K_M", Role.FFN_DOWN, 7, 14336, LLAMA_8B) == "Q4_K"
    assert tensor_type("Q4_K_M", Role.ATTN_Q, 0, 4096, LLAMA_8B) == "Q4_K"
    assert tensor_type("Q4_K_M", Role.FFN_UP, 0, 4096, LLAMA_8B) == "Q4_K"


def test_output_gets_q6_k_and_untied_embeddings_the_base_type() -> None:
    assert tensor_type("Q4_K_M", Role.OUTPUT, 0, 4096, LLAMA_8B) == "Q6_K"
    assert tensor_type("Q4_K_M", Role.TOKEN_EMBD, 0, 4096, LLAMA_8B) == "Q4_K"
    assert tensor_type("Q8_0", Role.OUTPUT, 0, 4096, LLAMA_8B) == "Q8_0"


def test_norms_and_router_stay_f32() -> None:
    assert tensor_type("Q4_K_M", Role.NORM, 0, 4096, LLAMA_8B) == "F32"
    assert tensor_type("Q2_K", Role.ROUTER, 0, 4096, LLAMA_8B) == "F32"


def test_eight_expert_models_get_q8_0_attention_kv_and_q5_k_output() -> None:
    mixtral = ModelTraits(layers=32, gqa=4, experts=8)
    assert tensor_type("Q4_K_M", Role.ATTN_V, 5, 4096, mixtral) == "Q8_0"
    assert tensor_type("Q4_K_M", Role.ATTN_K, 5, 4096, mixtral) == "Q8_0"
    assert tensor_type("Q4_K_M", Role.ATTN_OUTPUT, 5, 4096, mixtral) == "Q5_K"


def test_seventy_b_class_attn_v_is_at_least_q5_k() -> None:
    seventy = ModelTraits(layers=80, gqa=8, seventy_b_class=True)
    assert tensor_type("Q4_K_M", Role.ATTN_V, 20, 8192, seventy) == "Q5_K"
    assert tensor_type("Q4_K_M", Role.ATTN_V, 0, 8192, seventy) == "Q6_K"


def test_rows_not_a_multiple_of_256_fall_back() -> None:
    # gpt-oss hidden size 2880 = 11.25 blocks of 256
    assert tensor_type("Q4_K_M", Role.ATTN_Q, 0, 2880, LLAMA_8B) == "Q5_0"
    assert tensor_type("Q6_K", Role.ATTN_Q, 0, 2880, LLAMA_8B) == "Q8_0"
    assert tensor_type("Q4_K_M", Role.ATTN_Q, 0, 100, LLAMA_8B) == "F16"


def test_mxfp4_keeps_experts_in_mxfp4_and_the_rest_in_q8_0() -> None:
    oss = ModelTraits(layers=24, gqa=8, experts=32)
    assert tensor_type("MXFP4", Role.EXPERT_UP, 0, 2880, oss) == "MXFP4"
    assert tensor_type("MXFP4", Role.ATTN_Q, 0, 2880, oss) == "Q8_0"


@pytest.mark.parametrize(
    ("text", "quant"),
    [
        ("q4_K_M", "Q4_K_M"),
        ("Q4_K_M", "Q4_K_M"),
        ("q5", "Q5_K_M"),
        ("q8", "Q8_0"),
        ("Q8_0", "Q8_0"),
        ("fp16", "F16"),
        ("bf16", "BF16"),
        ("iq4_xs", "IQ4_XS"),
        ("mxfp4", "MXFP4"),
        ("q6_k", "Q6_K"),
        ("4bit", "Q4_K_M"),
        ("q3_k_m", "Q3_K_M"),
        ("banana", None),
        ("q9", None),
    ],
)
def test_normalize_quant(text: str, quant: str | None) -> None:
    assert normalize_quant(text) == quant
