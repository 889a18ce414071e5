"""Compare the fit engine with published measurements (bench/reference/*.yaml).

Each reference row fixes a configuration someone actually ran (model, quant, context, cache type,
devices, layers on the GPU) and prints what llama.cpp or Ollama reported. We rebuild the same
configuration with the engine's terms and compare term by term: KV cache, model buffers, compute
buffers, whole-GPU totals, and decode/prompt speed. Rows whose model, device or quant the catalog
does not have are counted as skipped, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.fit_catalog import BenchCatalog
from bot.fit import compute, kv_cache
from bot.fit.hardware_parser import device_from_entry
from bot.fit.placement import GpuSlot, Plan, assign
from bot.fit.quant import RECIPES, normalize_quant
from bot.fit.runtimes import LM_STUDIO, MIB
from bot.fit.scenario import (
    Case,
    Hardware,
    build_hardware,
    model_layout,
    model_load,
    pooled_full_fit,
)
from bot.fit.speed import DeviceRate, decode_seconds_per_token, prompt_tokens_per_second
from bot.fit.weights import WeightLayout
from bot.schema.catalog import ModelEntry
from bot.schema.fit import DeviceSpec

CONTEXT_FOOTPRINT = 250 * MIB
"""What a GPU runtime holds besides its buffers (CUDA context and the like): gguf-parser-go's
default per-device footprint. Added only when a row measured the whole card (nvidia-smi)."""

GPU_KEY = re.compile(r"^(cuda\d*|rocm\d*|metal|vulkan\d*|sycl\d*|vram|gpu\d*)", re.I)


@dataclass(frozen=True)
class Comparison:
    row: str
    what: str
    measured: float
    estimated: float
    unit: str
    note: str = ""

    @property
    def error(self) -> float:
        return self.estimated / self.measured - 1


@dataclass(frozen=True)
class Flip:
    row: str
    text: str


@dataclass
class Report:
    memory: list[Comparison]
    speed: list[Comparison]
    prompt: list[Comparison]
    in_range: list[bool]
    flips: list[Flip]
    skipped: dict[str, int]


def load_rows(reference: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Memory rows and speed rows from `reference/memory.yaml` and `reference/speed.yaml`."""

    def rows(name: str) -> list[dict[str, Any]]:
        path = reference / name
        if not path.exists():
            return []
        return list(yaml.safe_load(path.read_text()).get("rows", []))

    return rows("memory.yaml"), rows("speed.yaml")


def _skip(report: Report, reason: str) -> None:
    report.skipped[reason] = report.skipped.get(reason, 0) + 1


def _devices(row: dict[str, Any], cat: BenchCatalog) -> list[DeviceSpec] | None:
    out = []
    for d in row.get("devices", []):
        entry = cat.hardware.get(d["hardware"])
        if entry is None:
            return None
        out.append(device_from_entry(entry, int(d.get("count", 1)), None))
    return out


def _quant(row: dict[str, Any]) -> str | None:
    q = row.get("quant")
    if not q:
        return None
    name = normalize_quant(str(q))
    return name if name in RECIPES else None


def _layers_on_gpu(row: dict[str, Any], total_units: int) -> int | None:
    """`gpu_layers` as a number of offloaded units, None when partial but unknown."""
    value = row.get("gpu_layers")
    if value is None:
        return total_units
    text = str(value)
    if "all" in text:
        return total_units
    if m := re.match(r"^(\d+)\s*/\s*(\d+)", text):
        return min(int(m[1]), total_units)
    if m := re.match(r"^(\d+)", text):
        return min(int(m[1]), total_units)
    return None


def _sum(values: dict[str, float] | None, keys: Iterable[str] | None = None) -> float:
    if not values:
        return 0.0
    return sum(float(v) for k, v in values.items() if keys is None or k in keys)


def gpu_keys(values: dict[str, float] | None) -> list[str]:
    """The buffer names that are one GPU (CUDA0, ROCm1, Metal), not the host or a total."""
    return [k for k in (values or {}) if GPU_KEY.match(k) and "host" not in k.lower()
            and "total" not in k.lower()]  # fmt: skip


def compare_memory(rows: list[dict[str, Any]], cat: BenchCatalog, report: Report) -> None:
    """KV, model buffers, compute buffers and whole-card totals, row by row."""
    for row in rows:
        model = cat.models.get(row["model"])
        if model is None:
            _skip(report, "memory: model not in catalog")
            continue
        arch = model.architecture
        context = int(row.get("context") or 0)
        kv_type = row.get("kv_type", "f16")
        fa = bool(row.get("flash_attention", False))
        ubatch = int(row.get("n_ubatch") or compute.UBATCH)
        rid = row["id"]
        kv_est = sum(kv_cache.kv_cache_layers(arch, context, kv_type, flash_attention=fa))
        if row.get("kv_total_mib"):
            report.memory.append(
                Comparison(rid, "KV cache", row["kv_total_mib"], kv_est / MIB, "MiB")
            )
        quant = _quant(row)
        if quant is None:
            _skip(report, "memory: quant not stated (KV compared only)")
            continue
        layout = model_layout(model, quant)
        units = arch.layers + 1
        ngl = _layers_on_gpu(row, units)
        weights_full = layout.input_bytes + layout.blocks_total + layout.output_bytes
        buffers = row.get("model_buffer_mib")
        if buffers and ngl == units and len(gpu_keys(buffers)) < len(buffers):
            report.memory.append(
                Comparison(rid, "model buffers", _sum(buffers), weights_full / MIB, "MiB")
            )
        elif buffers and ngl == units:
            # Only the GPU buffers were quoted: the token embeddings stay in the CPU buffer.
            report.memory.append(
                Comparison(rid, "model buffers (GPU part)", _sum(buffers),
                           (weights_full - layout.input_bytes) / MIB, "MiB", "all layers")
            )  # fmt: skip
        elif buffers and ngl is not None and gpu_keys(buffers):
            load = model_load(Case(model, quant, max(context, 1), kv_type, fa), layout)
            gpu = GpuSlot("gpu", 1 << 50, 0, 1, "cuda")
            plan = assign(load, (gpu,), ngl)
            report.memory.append(
                Comparison(rid, "model buffers (GPU part)", _sum(buffers, gpu_keys(buffers)),
                           plan.gpus[0].weights / MIB, "MiB", f"{ngl}/{units} layers")
            )  # fmt: skip
        comp = row.get("compute_buffer_mib")
        gpu_comp_keys = gpu_keys(comp)
        count = sum(int(d.get("count", 1)) for d in row.get("devices", []))
        if comp and gpu_comp_keys and ngl == units and count == 1 and len(gpu_comp_keys) == 1:
            est = compute.device_compute_bytes(arch, context, fa, True, ubatch)
            report.memory.append(
                Comparison(rid, "compute buffer", _sum(comp, gpu_comp_keys), est / MIB, "MiB",
                           f"FA {'on' if fa else 'off'}, ubatch {ubatch}")
            )  # fmt: skip
        old_ollama = _old_ollama(row)
        if row.get("runtime") == "ollama" and not old_ollama:
            # current Ollama caps the context at the model's trained length (the reference's
            # 32768 and 65536 rows for Qwen2.5 7B are identical)
            context = min(context, arch.native_context)
        for total in row.get("measured_totals") or []:
            what = str(total.get("what", ""))
            if "nvidia-smi" not in what and "VRAM" not in what:
                continue
            fa_total = (not old_ollama) if row.get("flash_attention") is None else fa
            kv_total = sum(kv_cache.kv_cache_layers(arch, context, kv_type,
                                                    flash_attention=fa_total))  # fmt: skip
            est = (
                layout.blocks_total
                + layout.output_bytes
                + kv_total
                + compute.device_compute_bytes(arch, context, fa_total, True, ubatch)
                + CONTEXT_FOOTPRINT
            )
            value = float(total["value"])
            report.memory.append(
                Comparison(rid, f"whole GPU ({what})", value, est / MIB, "MiB",
                           f"ctx {context}, {kv_type}")
            )  # fmt: skip


def _old_ollama(row: dict[str, Any]) -> bool:
    """Ollama before its llama-server era (0.5.x and older) had flash attention off unless
    asked, and did not cap the context; later builds do both."""
    m = re.search(r"Ollama (\d+)\.(\d+)", str(row.get("runtime_note", "")))
    return bool(m) and (int(m[1]), int(m[2])) < (0, 10)


def _speed_case(row: dict[str, Any]) -> tuple[int, float]:
    """Context to allocate and how full the cache is on average during the measured tokens."""
    test = str(row.get("test", ""))
    if m := re.match(r"tg(\d+)", test):
        n = int(m[1])
        return max(n, 256), 0.5
    ctx = int(row.get("context") or 4096)
    return ctx, 0.25


def compare_speed(rows: list[dict[str, Any]], cat: BenchCatalog, report: Report) -> None:
    """Decode (and prompt) tokens per second, row by row, at the row's own configuration."""
    for row in rows:
        if row.get("outlier"):
            _skip(report, "speed: marked outlier")
            continue
        metric = row.get("metric")
        model = cat.models.get(row["model"])
        if model is None:
            _skip(report, "speed: model not in catalog")
            continue
        quant = _quant(row)
        if quant is None:
            _skip(report, "speed: quant not a llama.cpp recipe (e.g. MLX)")
            continue
        devices = _devices(row, cat)
        if devices is None:
            _skip(report, "speed: device not in catalog")
            continue
        backend = str(row.get("backend") or devices[0].backend)
        if backend == "cpu":
            cpu_devices = [d for d in devices if d.kind == "cpu"]
            if not cpu_devices:
                _skip(report, "speed: CPU run on a GPU machine (RAM speed unknown)")
                continue
        devices = [d.model_copy(update={"backend": backend}) for d in devices]
        context, fill = _speed_case(row)
        layout = model_layout(model, quant)
        case = Case(model, quant, context, "f16", True)
        load = model_load(case, layout)

        hw = build_hardware(tuple(devices), None, None, LM_STUDIO)
        units = model.architecture.layers + 1
        ngl = _layers_on_gpu(row, units)
        if ngl is None:
            _skip(report, "speed: partial offload with unknown layer count")
            continue
        gpus = tuple(GpuSlot(g.label, 1 << 50, 0, g.bandwidth_gbps, g.backend) for g in hw.gpus)
        plan = assign(load, gpus, ngl if gpus else 0)
        if metric == "decode_tps":
            _decode(row, plan=plan, layout=layout, gpus=gpus, hw=hw, fill=fill, report=report,
                    backend=backend)  # fmt: skip
        elif metric == "prompt_tps":
            _prompt(row, model=model, plan=plan, layout=layout, gpus=gpus, hw=hw, report=report,
                    backend=backend)  # fmt: skip


def _decode(
    row: dict[str, Any],
    *,
    plan: Plan,
    layout: WeightLayout,
    gpus: tuple[GpuSlot, ...],
    hw: Hardware,
    fill: float,
    report: Report,
    backend: str,
) -> None:
    """One decode comparison: the midpoint of the engine's range at the row's fill."""
    rates = tuple(DeviceRate(g.bandwidth_gbps, g.backend) for g in gpus)
    cpu = DeviceRate(hw.ram_bandwidth_gbps * (0.5 if hw.unified and gpus else 1.0), "cpu")
    lo, _ = decode_seconds_per_token(plan, layout, rates, cpu, kv_fill=fill, optimistic=False)
    hi, _ = decode_seconds_per_token(plan, layout, rates, cpu, kv_fill=fill, optimistic=True)
    value = float(row["value"])
    report.speed.append(
        Comparison(row["id"], f"decode {row.get('test', '')}", value, 2 / (lo + hi), "tok/s",
                   f"{row['model']} {layout.recipe} on {row.get('device_label', '')} ({backend})")
    )  # fmt: skip
    report.in_range.append(1 / lo <= value <= 1 / hi)


def _prompt(
    row: dict[str, Any],
    *,
    model: ModelEntry,
    plan: Plan,
    layout: WeightLayout,
    gpus: tuple[GpuSlot, ...],
    hw: Hardware,
    report: Report,
    backend: str,
) -> None:
    """One prompt-processing comparison (no target; the range is wide)."""
    specs = list(hw.gpu_specs)
    tflops = min((s.fp16_tflops or 0) for s in specs) if specs else 0
    active = (model.active_params_b or model.params_b) * 1e9
    cpu_weights = plan.cpu.weights - layout.input_bytes if gpus else 0
    lo = prompt_tokens_per_second(active, tflops, cpu_weights, optimistic=False)
    hi = prompt_tokens_per_second(active, tflops, cpu_weights, optimistic=True)
    if lo is None or hi is None:
        _skip(report, "prompt: device has no FP16 TFLOPS in the catalog")
        return
    report.prompt.append(
        Comparison(row["id"], f"prompt {row.get('test', '')}", float(row["value"]),
                   (lo + hi) / 2, "tok/s", f"{row['model']} {layout.recipe} ({backend})")
    )  # fmt: skip


def check_flips(
    memory_rows: list[dict[str, Any]],
    speed_rows: list[dict[str, Any]],
    cat: BenchCatalog,
    report: Report,
) -> None:
    """Configurations a source ran entirely on its GPUs that the engine would call an offload
    (with the hard per-card footprint only, no runtime safety margin)."""

    seen = set()
    for row in [*memory_rows, *speed_rows]:
        model = cat.models.get(row.get("model", ""))
        quant = _quant(row)
        devices = _devices(row, cat) if model else None
        if not (model and quant and devices) or row.get("outlier"):
            continue
        if any(d.kind != "gpu" for d in devices) or str(row.get("backend", "")) == "cpu":
            continue
        units = model.architecture.layers + 1
        if _layers_on_gpu(row, units) != units:
            continue
        context = int(row.get("context") or _speed_case(row)[0])
        kv_type = row.get("kv_type", "f16")
        fa = bool(row.get("flash_attention", True))
        key = (model.id, quant, context, kv_type, tuple((d.hardware_id, d.count) for d in devices))
        if key in seen:
            continue
        seen.add(key)
        hw = build_hardware(tuple(devices), None, None, LM_STUDIO)
        if not pooled_full_fit(Case(model, quant, context, kv_type, fa), hw):
            names = " + ".join(f"{d.count}x {d.name}" for d in devices)
            report.flips.append(
                Flip(row["id"], f"{model.id} {quant} ctx {context} on {names}: ran fully on the "
                                "GPU, the engine says it would not fit")
            )  # fmt: skip
