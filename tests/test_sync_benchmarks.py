"""bench/sync_benchmarks.py: reference rows become valid catalog benchmarks, once."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bench.sync_benchmarks import sync
from bot.content.loader import load_content

FIXTURE = Path(__file__).parent / "fixtures" / "content"
SOURCE = {"title": "Fixture source", "url": "https://example.org/bench"}

SPEED_ROWS = [
    {
        "id": "spd-901",
        "model": "llama3.1-8b",
        "quant": "Q4_K_M",
        "devices": [{"hardware": "rtx-3090", "count": 1}],
        "device_label": "RTX 3090 24GB",
        "ids_listed": True,
        "runtime": "llama-cpp",
        "backend": "cuda",
        "test": "tg512",
        "metric": "decode_tps",
        "value": 110.5,
        "gen_tokens": 512,
        "notes": "A fixture row",
        "source": SOURCE,
    },
    {
        "id": "spd-902",
        "model": "llama3.1-8b",
        "quant": "Q4_K_M",
        "devices": [{"hardware": "rtx-9999", "count": 1}],
        "ids_listed": False,
        "runtime": "llama-cpp",
        "backend": "cuda",
        "test": "tg128",
        "metric": "decode_tps",
        "value": 80.0,
        "source": SOURCE,
    },
]

MEMORY_ROWS = [
    {
        "id": "mem-901",
        "model": "llama3.1-8b",
        "quant": "Q4_K_M",
        "runtime": "llama-cpp",
        "context": 8192,
        "kv_type": "f16",
        "gpu_layers": "33/33",
        "devices": [{"hardware": "rtx-3090", "count": 1}],
        "ids_listed": True,
        "kv_buffer_mib": {"CUDA0": 1024.0},
        "kv_total_mib": 1024.0,
        "compute_buffer_mib": {"CUDA0": 560.0, "CUDA_Host": 24.01},
        "source": SOURCE,
    }
]


def _content(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    reference = tmp_path / "reference"
    reference.mkdir()
    for name, rows in (("speed.yaml", SPEED_ROWS), ("memory.yaml", MEMORY_ROWS)):
        (reference / name).write_text(yaml.safe_dump({"schema_version": 1, "rows": rows}))
    return root, reference


def test_rows_in_the_catalog_become_valid_entries(tmp_path: Path) -> None:
    root, reference = _content(tmp_path)
    before = (root / "catalog" / "benchmarks" / "fixture.yaml").read_text()

    plan = sync(root, reference)

    benchmarks = load_content(root).benchmarks
    speed = benchmarks["llama3.1-8b-q4_k_m-rtx-3090-llama-cpp-tg512"]
    assert (speed.metric, speed.value, speed.gen_tokens) == ("decode_tps", 110.5, 512)
    assert speed.notes.endswith("Reference row spd-901 in bench/reference/speed.yaml.")
    kv = benchmarks["llama3.1-8b-q4_k_m-rtx-3090-llama-cpp-c8192-kvf16-kv"]
    compute = benchmarks["llama3.1-8b-q4_k_m-rtx-3090-llama-cpp-c8192-kvf16-compute"]
    assert (kv.value, compute.value, compute.gpu_layers) == (1024.0, 560.0, None)
    assert sorted(plan.additions) == ["memory.yaml", "speed-nvidia.yaml"]
    assert not any("spd-902" in b.notes for b in benchmarks.values())
    assert plan.skipped["speed: not in the catalog (hardware rtx-9999)"] == 1
    assert (root / "catalog" / "benchmarks" / "fixture.yaml").read_text() == before


def test_a_second_run_adds_nothing(tmp_path: Path) -> None:
    root, reference = _content(tmp_path)
    assert sync(root, reference).count == 3
    files = {p: p.read_text() for p in (root / "catalog" / "benchmarks").iterdir()}

    again = sync(root, reference)

    assert again.count == 0
    assert again.skipped["speed: already in the catalog"] == 1
    assert {p: p.read_text() for p in (root / "catalog" / "benchmarks").iterdir()} == files


def test_new_entries_are_appended_after_the_existing_ones(tmp_path: Path) -> None:
    root, reference = _content(tmp_path)
    fixture = root / "catalog" / "benchmarks" / "fixture.yaml"
    # route the speed row into the fixture's file to check an append keeps what was there
    fixture.rename(fixture.with_name("speed-nvidia.yaml"))
    before = yaml.safe_load(fixture.with_name("speed-nvidia.yaml").read_text())["benchmarks"]

    sync(root, reference)

    after = yaml.safe_load(fixture.with_name("speed-nvidia.yaml").read_text())["benchmarks"]
    assert after[: len(before)] == before
    assert [e["id"] for e in after[len(before) :]] == [
        "llama3.1-8b-q4_k_m-rtx-3090-llama-cpp-tg512"
    ]
