"""Hardware as people write it in chat, resolved against the catalog."""

from __future__ import annotations

import pytest

from bot.fit.errors import UnreadableHardware
from bot.fit.hardware_parser import parse_hardware
from tests.fit.conftest import FixtureCatalog

GIB = 1024**3

SPELLINGS = [
    ("2x3090", [("rtx-3090", 2, 24)], None),
    ("2 x RTX 3090", [("rtx-3090", 2, 24)], None),
    ("dual 3090s", [("rtx-3090", 2, 24)], None),
    ("3090*2", [("rtx-3090", 2, 24)], None),
    ("rtx 3090 x2", [("rtx-3090", 2, 24)], None),
    ("3090 + 3060 12gb", [("rtx-3090", 1, 24), ("rtx-3060-12gb", 1, 12)], None),
    ("4090 + 64GB DDR5", [("rtx-4090", 1, 24)], 64),
    ("M3 Max 128GB", [("apple-m3-max-40c", 1, 128)], 128),
    ("mac studio m2 ultra 192gb", [("apple-m2-ultra-76c", 1, 192)], 192),
    ("7900 xtx", [("rx-7900-xtx", 1, 24)], None),
    ("7900 xt", [("rx-7900-xt", 1, 20)], None),
    ("arc a770", [("arc-a770-16gb", 1, 16)], None),
    ("cpu only 64gb ddr5", [(None, 1, 64)], 64),
    ("16gb vram", [(None, 1, 16)], None),
    ("strix halo 128gb", [("ryzen-ai-max-395", 1, 128)], 128),
    ("4060 laptop 8gb", [("rtx-4060-laptop", 1, 8)], None),
    ("raspberry pi 5 8gb", [("raspberry-pi-5-8gb", 1, 8)], 8),
    ("8x h100", [("h100-sxm", 8, 80)], None),
    ("4x p40", [("tesla-p40", 4, 24)], None),
    ("3060 12gb + 64gb ram", [("rtx-3060-12gb", 1, 12)], 64),
    ("dgx spark", [("dgx-spark", 1, 128)], 128),
    ("3090 ti", [("rtx-3090-ti", 1, 24)], None),
    ("macbook air m2 8gb", [("apple-m2-8c", 1, 8)], 8),
    ("2x 4060 ti 16gb", [("rtx-4060-ti-16gb", 2, 16)], None),
    # A bare size after a device: its memory where it can be, else system RAM; "+" adds a card.
    ("M3 Max with 128GB", [("apple-m3-max-40c", 1, 128)], 128),
    ("ryzen ai max+ 395 64gb", [("ryzen-ai-max-395", 1, 64)], 64),
    ("Ryzen AI Max+395 with 128GB", [("ryzen-ai-max-395", 1, 128)], 128),
    ("3060, 8gb", [("rtx-3060-8gb", 1, 8)], None),
    ("4090 with 64gb", [("rtx-4090", 1, 24)], 64),
    ("3090 + 24gb", [("rtx-3090", 1, 24), (None, 1, 24)], None),
    ("M3 Max 30 core", [("apple-m3-max-30c", 1, 36)], 36),
    ("2 3090s", [("rtx-3090", 2, 24)], None),
    ("4 p40s", [("tesla-p40", 4, 24)], None),
    ("m3 max 30-cores 96gb", [("apple-m3-max-30c", 1, 96)], 96),
]


@pytest.mark.parametrize(("text", "devices", "ram_gib"), SPELLINGS)
def test_spellings(
    catalog: FixtureCatalog,
    text: str,
    devices: list[tuple[str | None, int, int]],
    ram_gib: int | None,
) -> None:
    parsed = parse_hardware(text, catalog.hardware)
    got = [(d.hardware_id, d.count, round(d.memory_bytes / GIB)) for d in parsed.devices]
    assert got == devices
    assert (parsed.system_ram_bytes and parsed.system_ram_bytes // GIB) == ram_gib


def test_memory_size_picks_the_variant(catalog: FixtureCatalog) -> None:
    eight = parse_hardware("rtx 3060 8gb", catalog.hardware).devices[0]
    assert eight.hardware_id == "rtx-3060-8gb"
    assert eight.bandwidth_gbps == 240


def test_ambiguous_names_say_what_was_assumed(catalog: FixtureCatalog) -> None:
    parsed = parse_hardware("m3 max", catalog.hardware)
    assert parsed.devices[0].hardware_id == "apple-m3-max-40c"
    assert any("30-core" in n for n in parsed.notes)


def test_a_size_read_as_system_ram_says_so(catalog: FixtureCatalog) -> None:
    parsed = parse_hardware("4090 with 64gb", catalog.hardware)
    assert any("64 GB after the NVIDIA GeForce RTX 4090 as system RAM" in n for n in parsed.notes)


def test_a_bare_3090_is_not_the_ti(catalog: FixtureCatalog) -> None:
    assert parse_hardware("3090", catalog.hardware).devices[0].hardware_id == "rtx-3090"


def test_ram_bandwidth_from_the_generation(catalog: FixtureCatalog) -> None:
    # a desktop's two channels, never the 12-channel server entry the catalog also has
    assert parse_hardware("4090 + 64gb ddr5", catalog.hardware).system_ram_bandwidth_gbps == 89.6
    assert parse_hardware("4090 + 64gb ram", catalog.hardware).system_ram_bandwidth_gbps == 51.2
    server = parse_hardware("cpu only 384gb ddr5-4800 12 channel", catalog.hardware)
    assert server.system_ram_bandwidth_gbps == 460.8


@pytest.mark.parametrize("text", ["rtx 9999", "my toaster", ""])
def test_unreadable_hardware_is_a_typed_error(catalog: FixtureCatalog, text: str) -> None:
    with pytest.raises(UnreadableHardware):
        parse_hardware(text, catalog.hardware)


def test_unreadable_hardware_suggests_close_names(catalog: FixtureCatalog) -> None:
    with pytest.raises(UnreadableHardware) as info:
        parse_hardware("rtx 3099", catalog.hardware)
    assert info.value.suggestions
    assert len(info.value.suggestions) == len(info.value.suggestion_ids)


def test_a_mac_size_the_catalog_does_not_list_is_taken_from_the_user() -> None:
    from bot.fit.hardware_parser import takes_stated_memory
    from bot.schema.catalog import HardwareEntry

    base = {
        "id": "chip",
        "name": "Chip",
        "vendor": "apple",
        "segment": "laptop",
        "memory_type": "LPDDR5",
        "bandwidth_gbps": 400,
        "backends": ["metal"],
        "sources": [{"title": "A page", "url": "https://example.org"}],
        "reviewed_on": "2026-11-22",
    }
    soc = HardwareEntry(device_kind="soc", memory_gib=48, **base)
    gpu = HardwareEntry(device_kind="gpu", memory_gib=24, **base)
    listed = HardwareEntry(device_kind="soc", memory_gib=48, memory_options_gib=[48, 64], **base)
    assert takes_stated_memory(soc, 128)
    assert not takes_stated_memory(soc, 32)  # smaller than any configuration sold: a typo
    assert not takes_stated_memory(gpu, 48)  # a card's VRAM is what it is
    assert not takes_stated_memory(listed, 128)  # listed options decide


def test_a_plural_looking_alias_is_its_own_card_unless_counted(catalog: FixtureCatalog) -> None:
    plain = next(h for h in catalog.hardware if h.id == "rtx-4090")
    plain_card = plain.model_copy(
        update={"id": "rtx-4070", "name": "RTX 4070", "aliases": ["4070"]}
    )
    super_card = plain_card.model_copy(
        update={
            "id": "rtx-4070-super",
            "name": "RTX 4070 SUPER",
            "aliases": ["4070 super", "4070s"],
        }
    )
    hardware = [plain_card, super_card]
    assert parse_hardware("4070", hardware).devices[0].hardware_id == "rtx-4070"
    assert parse_hardware("4070s", hardware).devices[0].hardware_id == "rtx-4070-super"
    dual = parse_hardware("dual 4070s", hardware).devices[0]
    assert (dual.hardware_id, dual.count) == ("rtx-4070", 2)


def test_an_alias_written_out_in_full_wins_a_tie(catalog: FixtureCatalog) -> None:
    sixteen = next(h for h in catalog.hardware if h.id == "rtx-4060-ti-16gb")
    eight = sixteen.model_copy(
        update={"id": "rtx-4060-ti-8gb", "memory_gib": 8, "aliases": ["4060 ti"]}
    )
    # Same bandwidth, so without the exact alias the ids' order would decide (16gb first).
    parsed = parse_hardware("4060 ti", [sixteen, eight])
    assert parsed.devices[0].hardware_id == "rtx-4060-ti-8gb"
    assert any("RTX 4060 Ti 16 GB" in n for n in parsed.notes)


def test_a_chip_sold_in_several_sizes_says_which_size_was_assumed(catalog: FixtureCatalog) -> None:
    bare = parse_hardware("m3 max", catalog.hardware)
    assert any("No memory size was given" in n and "64, 128 GB" in n for n in bare.notes)
    for sized in ("m3 max 128gb", "m3 max with 64gb"):
        assert not any("No memory size" in n for n in parse_hardware(sized, catalog.hardware).notes)
