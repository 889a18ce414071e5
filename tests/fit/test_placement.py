"""Layer placement: output layer first, then top blocks, split by memory, MoE experts to RAM."""

from __future__ import annotations

from bot.fit.placement import GpuSlot, ModelLoad, assign, best_plan

GB = 10**9


def _load(blocks: int = 10, block: int = GB, experts: int = 0) -> ModelLoad:
    return ModelLoad(
        block_weights=(block,) * blocks,
        block_kv=(0,) * blocks,
        block_experts=(experts,) * blocks,
        input_bytes=GB // 2,
        output_bytes=GB // 2,
        compute_gpu=0,
        compute_gpu_output=0,
        compute_host_idle=0,
        compute_host_busy=0,
    )


def _gpu(cap_gb: float, label: str = "gpu") -> GpuSlot:
    return GpuSlot(label=label, capacity=int(cap_gb * GB), reserve=0, bandwidth_gbps=1000,
                   backend="cuda")  # fmt: skip


def test_everything_fits_on_one_big_gpu() -> None:
    plan = best_plan(_load(), (_gpu(20),))
    assert plan.full
    assert plan.ngl == 11
    assert plan.gpus[0].weights == 10 * GB + GB // 2
    assert plan.cpu.weights == GB // 2  # the input embeddings stay in RAM


def test_partial_offload_puts_the_output_layer_and_top_blocks_on_gpu() -> None:
    plan = best_plan(_load(), (_gpu(4.6),))
    # output (0.5 GB) + 4 blocks = 4.5 GB fits, 5 blocks would not
    assert plan.ngl == 5
    assert plan.gpus[0].holds_output
    assert plan.gpus[0].first_block == 6
    assert plan.cpu.blocks == 6


def test_split_across_two_gpus_proportional_to_memory() -> None:
    plan = assign(_load(), (_gpu(12, "a"), _gpu(6, "b")), 11)
    assert plan.gpus[0].blocks + plan.gpus[1].blocks == 10
    assert plan.gpus[0].blocks > plan.gpus[1].blocks
    assert plan.gpus[1].holds_output


def test_ollama_packs_into_the_fewest_gpus_llama_cpp_uses_all() -> None:
    gpus = (_gpu(24, "a"), _gpu(24, "b"))
    assert len([g for g in best_plan(_load(), gpus, "fewest").gpus if g.total]) == 1
    assert len([g for g in best_plan(_load(), gpus, "all").gpus if g.total]) == 2


def test_moe_experts_move_to_ram_before_whole_layers() -> None:
    load = _load(blocks=10, block=2 * GB, experts=int(1.8 * GB))
    plan = best_plan(load, (_gpu(12),))
    assert plan.ngl == 11
    assert plan.n_cpu_moe is not None
    # dense parts: 10 x 0.2 GB + output 0.5; experts of the first N blocks in RAM
    assert plan.gpus[0].total <= 12 * GB
    assert plan.cpu.weights > 0


def test_cpu_only_keeps_everything_in_ram() -> None:
    plan = best_plan(_load(), ())
    assert plan.ngl == 0
    assert plan.cpu.weights == 11 * GB
