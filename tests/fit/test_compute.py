"""Compute buffers: flash attention, long context, logits on the output device."""

from __future__ import annotations

from bot.fit.compute import device_compute_bytes
from tests.fit.conftest import FixtureCatalog

MIB = 1024**2


def test_without_flash_attention_scores_grow_with_context(catalog: FixtureCatalog) -> None:
    arch = catalog.model("llama3.1-8b").architecture
    short = device_compute_bytes(arch, 4096, flash_attention=False, holds_output=True)
    long = device_compute_bytes(arch, 32768, flash_attention=False, holds_output=True)
    # f32 scores ubatch x context x heads: 512 x 32768 x 32 x 4 bytes = 2 GiB
    assert long - short > 1500 * MIB


def test_flash_attention_keeps_the_buffer_small(catalog: FixtureCatalog) -> None:
    arch = catalog.model("llama3.1-8b").architecture
    fa = device_compute_bytes(arch, 32768, flash_attention=True, holds_output=True)
    assert fa < 400 * MIB


def test_output_device_carries_the_logits(catalog: FixtureCatalog) -> None:
    arch = catalog.model("llama3.1-8b").architecture
    with_out = device_compute_bytes(arch, 8192, flash_attention=True, holds_output=True)
    without = device_compute_bytes(arch, 8192, flash_attention=True, holds_output=False)
    # f32 logits for 512 tokens x 128256 vocab = 250.5 MiB
    assert with_out - without > 150 * MIB
