"""Decode speed: a time sum over the bytes each device reads."""

from __future__ import annotations

import pytest

from bot.fit.placement import GpuSlot, ModelLoad, best_plan
from bot.fit.speed import (
    BANDWIDTH_EFFICIENCY,
    PER_LAYER_OVERHEAD_S,
    DeviceRate,
    decode_seconds_per_token,
)
from bot.fit.weights import WeightLayout

GB = 10**9


def _layout(blocks: int = 10) -> WeightLayout:
    return WeightLayout(
        recipe="Q4_K_M",
        input_bytes=0,
        layer_bytes=(GB,) * blocks,
        layer_expert_bytes=(0,) * blocks,
        layer_active_bytes=(GB,) * blocks,
        output_bytes=0,
        file_bytes=blocks * GB,
        params=blocks * GB,
    )


def _load(layout: WeightLayout) -> ModelLoad:
    n = len(layout.layer_bytes)
    return ModelLoad(layout.layer_bytes, (0,) * n, layout.layer_expert_bytes, 0, 0, 0, 0, 0, 0)


def test_all_on_gpu_is_bytes_over_bandwidth() -> None:
    layout = _layout()
    gpu = GpuSlot("g", 100 * GB, 0, 1000, "cuda")
    plan = best_plan(_load(layout), (gpu,))
    seconds, bound = decode_seconds_per_token(
        plan, layout, (DeviceRate(1000, "cuda"),), DeviceRate(50, "cpu"),
        kv_fill=1.0, optimistic=False,
    )  # fmt: skip
    eff = BANDWIDTH_EFFICIENCY[("cuda", "quant")][0]
    assert seconds == pytest.approx(10 * GB / (1000e9 * eff) + 11 * PER_LAYER_OVERHEAD_S)
    assert bound == "g"


def test_offloaded_layers_run_at_ram_speed_and_times_add() -> None:
    layout = _layout()
    gpu = GpuSlot("g", int(5.5 * GB), 0, 1000, "cuda")
    plan = best_plan(_load(layout), (gpu,))
    assert plan.cpu.blocks == 5
    seconds, bound = decode_seconds_per_token(
        plan, layout, (DeviceRate(1000, "cuda"),), DeviceRate(50, "cpu"),
        kv_fill=1.0, optimistic=False,
    )  # fmt: skip
    cpu = 5 * GB / (50e9 * BANDWIDTH_EFFICIENCY[("cpu", "quant")][0])
    assert seconds > cpu
    assert bound == "CPU / system RAM"


def test_two_gpus_do_not_add_bandwidth_for_one_stream() -> None:
    layout = _layout()
    one = best_plan(_load(layout), (GpuSlot("a", 100 * GB, 0, 1000, "cuda"),))
    two = best_plan(
        _load(layout),
        (GpuSlot("a", 6 * GB, 0, 1000, "cuda"), GpuSlot("b", 6 * GB, 0, 1000, "cuda")),
    )
    rate = DeviceRate(1000, "cuda")
    cpu = DeviceRate(50, "cpu")
    t1, _ = decode_seconds_per_token(one, layout, (rate,), cpu, kv_fill=1.0, optimistic=True)
    t2, _ = decode_seconds_per_token(two, layout, (rate, rate), cpu, kv_fill=1.0, optimistic=True)
    assert t2 >= t1
