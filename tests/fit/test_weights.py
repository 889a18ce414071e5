"""Weights per tensor, and agreement with published GGUF sizes."""

from __future__ import annotations

import pytest

from bot.fit.weights import count_params, weight_layout
from tests.fit.conftest import FixtureCatalog, load_fixture_catalog


def test_llama_3_1_8b_parameter_count(catalog: FixtureCatalog) -> None:
    arch = catalog.model("llama3.1-8b").architecture
    assert count_params(arch) == pytest.approx(8.03e9, rel=0.002)


def test_llama_3_1_8b_q4_k_m_is_4_89_bits_per_weight(catalog: FixtureCatalog) -> None:
    # llama.cpp tools/quantize/README.md lists Llama-3.1-8B Q4_K_M at 4.89 bpw
    m = catalog.model("llama3.1-8b")
    layout = weight_layout(m.architecture, "Q4_K_M", m.params_b)
    assert layout.file_bytes * 8 / layout.params == pytest.approx(4.89, abs=0.02)


def test_f16_is_two_bytes_per_weight(catalog: FixtureCatalog) -> None:
    m = catalog.model("llama3.1-8b")
    layout = weight_layout(m.architecture, "F16", m.params_b)
    assert layout.file_bytes == pytest.approx(2 * layout.params, rel=1e-4)


def test_tied_embeddings_count_once_in_the_file_but_copy_to_the_output(
    catalog: FixtureCatalog,
) -> None:
    gemma = catalog.model("gemma3-27b")
    layout = weight_layout(gemma.architecture, "Q4_K_M", gemma.params_b)
    assert layout.file_bytes == layout.input_bytes + sum(layout.layer_bytes)
    assert layout.output_bytes >= layout.input_bytes


def test_moe_reads_only_active_experts(catalog: FixtureCatalog) -> None:
    m = catalog.model("qwen3-30b-a3b")
    layout = weight_layout(m.architecture, "Q4_K_M", m.params_b)
    active = sum(layout.layer_active_bytes)
    assert active < 0.2 * sum(layout.layer_bytes)
    assert all(e > 0 for e in layout.layer_expert_bytes)


def test_deepseek_dense_layers_have_no_experts(catalog: FixtureCatalog) -> None:
    m = catalog.model("deepseek-r1-671b")
    layout = weight_layout(m.architecture, "Q4_K_M", m.params_b)
    assert layout.layer_expert_bytes[:3] == (0, 0, 0)
    assert layout.layer_expert_bytes[3] > 0
    assert count_params(m.architecture) == pytest.approx(671e9, rel=0.01)


def _published_cases() -> list[tuple[str, str, float]]:
    cases = []
    for m in load_fixture_catalog().models:
        cases += [(m.id, f.quant, f.size_gb) for f in m.files]
    return cases


@pytest.mark.parametrize(("model_id", "quant", "size_gb"), _published_cases())
def test_per_tensor_size_agrees_with_published_file(
    catalog: FixtureCatalog, model_id: str, quant: str, size_gb: float
) -> None:
    m = catalog.model(model_id)
    computed = weight_layout(m.architecture, quant, m.params_b).file_bytes
    assert computed / 1e9 == pytest.approx(size_gb, rel=0.03)
