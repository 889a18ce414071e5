"""KV cache per layer: GQA, quantized caches, sliding windows, MLA."""

from __future__ import annotations

from bot.fit.kv_cache import cached_tokens, kv_bytes_per_token, kv_cache_layers, layer_kv_bytes
from tests.fit.conftest import FixtureCatalog

GIB = 1024**3


def test_llama_3_1_8b_f16_at_8192_is_one_gib(catalog: FixtureCatalog) -> None:
    # 2 (K and V) x 32 layers x 8 KV heads x 128 dims x 8192 tokens x 2 bytes
    arch = catalog.model("llama3.1-8b").architecture
    assert sum(kv_cache_layers(arch, 8192, "f16")) == 2 * 32 * 8 * 128 * 8192 * 2 == GIB


def test_q8_0_and_q4_0_caches_use_block_sizes(catalog: FixtureCatalog) -> None:
    arch = catalog.model("llama3.1-8b").architecture
    f16 = sum(kv_cache_layers(arch, 8192, "f16"))
    assert sum(kv_cache_layers(arch, 8192, "q8_0")) == f16 * 34 // 64
    assert sum(kv_cache_layers(arch, 8192, "q4_0")) == f16 * 18 // 64


def test_quantized_v_needs_flash_attention(catalog: FixtureCatalog) -> None:
    arch = catalog.model("llama3.1-8b").architecture
    with_fa = layer_kv_bytes(arch, 0, 4096, "q8_0", flash_attention=True)
    without = layer_kv_bytes(arch, 0, 4096, "q8_0", flash_attention=False)
    k = 4096 * 8 * 128 * 34 // 32
    assert with_fa == 2 * k
    assert without == k + 4096 * 8 * 128 * 2


def test_sliding_window_layers_are_capped(catalog: FixtureCatalog) -> None:
    arch = catalog.model("gemma3-27b").architecture
    # layers 0-4 slide (window 1024 + a 512-token batch), layer 5 is global
    assert cached_tokens(arch, 0, 32768) == 1536
    assert cached_tokens(arch, 5, 32768) == 32768
    assert cached_tokens(arch, 0, 1000) == 1000
    per_layer_full = 32768 * 16 * 128 * 2 * 2
    total = sum(kv_cache_layers(arch, 32768))
    assert total < 0.3 * 62 * per_layer_full


def test_mla_caches_the_latent_once(catalog: FixtureCatalog) -> None:
    arch = catalog.model("deepseek-r1-671b").architecture
    # (kv_lora_rank 512 + rope 64) x 2 bytes x 61 layers per token
    assert kv_bytes_per_token(arch) == 576 * 2 * 61


def test_longer_context_never_needs_less_cache(catalog: FixtureCatalog) -> None:
    for m in catalog.models:
        sizes = [sum(kv_cache_layers(m.architecture, c)) for c in (512, 2048, 8192, 32768)]
        assert sizes == sorted(sizes)
