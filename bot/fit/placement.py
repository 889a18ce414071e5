"""Which layers go on which device, llama.cpp style.

llama.cpp offloads from the top: with `-ngl N` the output layer goes first, then the last N-1
blocks; the input embeddings always stay in system RAM. Offloaded layers are split over the GPUs
in proportion to a split list (`--tensor-split`, by default each GPU's free memory), in order,
so the last GPU also holds the output layer. Each layer's KV cache lives with the layer. Every
GPU in use carries a compute buffer (the one holding the output layer a larger one, with the
logits) and the runtime's reserve. For MoE models llama.cpp can instead keep every layer's dense
part on the GPU and move the experts of the first N layers to RAM (`--n-cpu-moe N`).

Placement here searches the most layers that fit (binary search over N, as llama.cpp's `--fit`
does by trial) for each prefix of the GPUs sorted by size, and prefers the fewest GPUs (Ollama)
or all of them (llama.cpp) when several hold the whole model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from bot.fit.runtimes import GpuChoice


@dataclass(frozen=True, slots=True)
class GpuSlot:
    """One GPU as placement sees it."""

    label: str
    capacity: int
    """Bytes the runtime may use on it (VRAM, or the GPU's share of unified memory)."""
    reserve: int
    """Bytes the runtime keeps back (context, margin)."""
    bandwidth_gbps: float
    backend: str


@dataclass(frozen=True, slots=True)
class ModelLoad:
    """Everything placement distributes, in bytes, for one model/quant/context."""

    block_weights: tuple[int, ...]
    block_kv: tuple[int, ...]
    block_experts: tuple[int, ...]
    input_bytes: int
    output_bytes: int
    compute_gpu: int
    """Compute buffer of a GPU that does not hold the output layer."""
    compute_gpu_output: int
    """Compute buffer of the GPU holding the output layer (adds the logits)."""
    compute_host_idle: int
    compute_host_busy: int

    @property
    def blocks(self) -> int:
        return len(self.block_weights)


@dataclass(frozen=True, slots=True)
class DeviceUse:
    label: str
    capacity: int
    weights: int
    kv: int
    compute: int
    overhead: int
    blocks: int
    holds_output: bool
    first_block: int = 0
    """Blocks [first_block, first_block + blocks) run here."""

    @property
    def total(self) -> int:
        return self.weights + self.kv + self.compute + self.overhead


@dataclass(frozen=True, slots=True)
class Plan:
    """A complete placement: what each GPU and the CPU side hold."""

    gpus: tuple[DeviceUse, ...]
    cpu: DeviceUse
    ngl: int
    """Layers offloaded, counting the output layer (`-ngl`)."""
    total_units: int
    split: tuple[float, ...]
    n_cpu_moe: int | None = None

    @property
    def fits_gpus(self) -> bool:
        return all(g.total <= g.capacity for g in self.gpus)

    @property
    def full(self) -> bool:
        """Everything but the input embeddings is on GPUs that hold it, no experts moved."""
        return (
            bool(self.gpus)
            and self.ngl == self.total_units
            and not self.n_cpu_moe
            and self.fits_gpus
        )


class _Prefix:
    """Prefix sums so any contiguous run of blocks costs O(1)."""

    def __init__(self, load: ModelLoad) -> None:
        self.w = (0, *accumulate(load.block_weights))
        self.kv = (0, *accumulate(load.block_kv))
        self.ex = (0, *accumulate(load.block_experts))

    def weights(self, start: int, stop: int) -> int:
        return self.w[stop] - self.w[start]

    def kvs(self, start: int, stop: int) -> int:
        return self.kv[stop] - self.kv[start]

    def experts(self, start: int, stop: int) -> int:
        return self.ex[stop] - self.ex[start]


def split_fractions(load: ModelLoad, gpus: tuple[GpuSlot, ...]) -> tuple[float, ...]:
    """Share of the offloaded layers each GPU takes: proportional to the memory it has left
    after its reserve and compute buffer (llama.cpp splits by free memory by default)."""
    room = []
    for i, g in enumerate(gpus):
        compute = load.compute_gpu_output if i == len(gpus) - 1 else load.compute_gpu
        room.append(max(g.capacity - g.reserve - compute, 1))
    total = sum(room)
    return tuple(r / total for r in room)


def assign(
    load: ModelLoad,
    gpus: tuple[GpuSlot, ...],
    ngl: int,
    *,
    n_cpu_moe: int = 0,
    split: tuple[float, ...] | None = None,
    prefix: _Prefix | None = None,
) -> Plan:
    """The placement with `ngl` layers offloaded (output first, then the top blocks) and the
    experts of the first `n_cpu_moe` blocks kept in RAM."""
    p = prefix or _Prefix(load)
    n_blocks = load.blocks
    units = n_blocks + 1
    ngl = max(0, min(ngl, units)) if gpus else 0
    split = split or (split_fractions(load, gpus) if gpus else ())
    first_gpu_block = n_blocks - max(ngl - 1, 0) if ngl else n_blocks
    uses: list[DeviceUse] = []
    bounds = [round(c * ngl) for c in accumulate(split)]
    start_unit = 0
    for i, g in enumerate(gpus):
        end_unit = bounds[i] if i < len(gpus) - 1 else ngl
        end_unit = max(start_unit, min(end_unit, ngl))
        holds_output = ngl > 0 and end_unit == ngl and start_unit < ngl
        b0 = min(first_gpu_block + start_unit, n_blocks)
        b1 = first_gpu_block + end_unit - (1 if holds_output else 0)
        b1 = max(b0, min(b1, n_blocks))
        weights = p.weights(b0, b1) + (load.output_bytes if holds_output else 0)
        moved = p.experts(b0, min(b1, n_cpu_moe)) if n_cpu_moe > b0 else 0
        used = b1 > b0 or holds_output
        compute = (load.compute_gpu_output if holds_output else load.compute_gpu) if used else 0
        uses.append(
            DeviceUse(
                label=g.label,
                capacity=g.capacity,
                weights=weights - moved,
                kv=p.kvs(b0, b1),
                compute=compute,
                overhead=g.reserve if used else 0,
                blocks=b1 - b0,
                holds_output=holds_output,
                first_block=b0,
            )
        )
        start_unit = end_unit
    cpu_blocks = first_gpu_block
    cpu_output = ngl == 0
    moved_total = p.experts(first_gpu_block, max(first_gpu_block, min(n_cpu_moe, n_blocks)))
    cpu_runs = cpu_blocks > 0 or moved_total > 0 or cpu_output
    cpu = DeviceUse(
        label="CPU / system RAM",
        capacity=0,
        weights=load.input_bytes
        + p.weights(0, cpu_blocks)
        + moved_total
        + (load.output_bytes if cpu_output else 0),
        kv=p.kvs(0, cpu_blocks),
        compute=load.compute_host_busy if cpu_runs else load.compute_host_idle,
        overhead=0,
        blocks=cpu_blocks,
        holds_output=cpu_output,
    )
    return Plan(
        gpus=tuple(uses),
        cpu=cpu,
        ngl=ngl,
        total_units=units,
        split=split,
        n_cpu_moe=n_cpu_moe or None,
    )


def _max_ngl(load: ModelLoad, gpus: tuple[GpuSlot, ...], prefix: _Prefix) -> Plan:
    """The plan with the most offloaded layers that fits these GPUs (binary search on -ngl)."""
    split = split_fractions(load, gpus)
    lo, hi = 0, load.blocks + 1
    best = assign(load, gpus, 0, split=split, prefix=prefix)
    full = assign(load, gpus, hi, split=split, prefix=prefix)
    if full.fits_gpus:
        return full
    while lo < hi:
        mid = (lo + hi + 1) // 2
        plan = assign(load, gpus, mid, split=split, prefix=prefix)
        if plan.fits_gpus:
            lo, best = mid, plan
        else:
            hi = mid - 1
    return best


def _min_cpu_moe(load: ModelLoad, gpus: tuple[GpuSlot, ...], prefix: _Prefix) -> Plan | None:
    """For MoE: all layers offloaded, experts of the fewest first blocks in RAM, if any N fits."""
    if not any(load.block_experts):
        return None
    n = load.blocks
    units = n + 1
    # Splitting by the dense weights: the experts that stay in RAM do not count against a GPU.
    worst = assign(load, gpus, units, n_cpu_moe=n, prefix=prefix)
    if not worst.fits_gpus:
        return None
    lo, hi = 0, n
    best = worst
    while lo < hi:
        mid = (lo + hi) // 2
        plan = assign(load, gpus, units, n_cpu_moe=mid, prefix=prefix)
        if plan.fits_gpus:
            hi, best = mid, plan
        else:
            lo = mid + 1
    return best


def best_plan(
    load: ModelLoad,
    gpus: tuple[GpuSlot, ...],
    gpu_choice: GpuChoice = "all",
    allow_partial: bool = True,
    ram_ok: Callable[[Plan], bool] | None = None,
) -> Plan:
    """The placement a runtime would pick on these GPUs.

    Tries the largest GPU alone, then the two largest, and so on; keeps the one with the most
    layers offloaded. When several hold everything, Ollama keeps the fewest cards and llama.cpp
    uses them all. If the whole model does not fit and it is an MoE, prefers moving experts of
    the first layers to RAM over moving whole layers (what `--n-cpu-moe` / `--fit` do),
    unless only the layer split leaves the system RAM enough (`ram_ok`).
    """
    prefix = _Prefix(load)
    if not gpus:
        return assign(load, (), 0, prefix=prefix)
    ordered = tuple(sorted(gpus, key=lambda g: -g.capacity))
    candidates = [_max_ngl(load, ordered[:k], prefix) for k in range(1, len(ordered) + 1)]
    full = [c for c in candidates if c.full]
    if full:
        return full[0] if gpu_choice == "fewest" else full[-1]
    if not allow_partial:
        return assign(load, ordered, load.blocks + 1, prefix=prefix)
    layered = max(candidates, key=lambda c: (c.ngl, -len(c.gpus)))
    moe_plans = [_min_cpu_moe(load, ordered[:k], prefix) for k in range(1, len(ordered) + 1)]
    moe = max((p for p in moe_plans if p), key=_gpu_bytes, default=None)
    return layered if moe is None else _moe_or_layers(moe, layered, ram_ok)


def _gpu_bytes(plan: Plan) -> int:
    return sum(g.weights + g.kv for g in plan.gpus)


def _moe_or_layers(moe: Plan, layered: Plan, ram_ok: Callable[[Plan], bool] | None) -> Plan:
    """Experts in RAM when the RAM holds them (it is faster), else whichever needs less RAM."""
    if ram_ok is None or ram_ok(moe):
        return moe
    if ram_ok(layered):
        return layered
    return moe if moe.cpu.total <= layered.cpu.total else layered
