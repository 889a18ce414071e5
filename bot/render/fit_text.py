"""The `/willitrun` answer as plain text: verdict, what was understood, memory, speed, advice."""

from __future__ import annotations

from bot.fit.verdict import gib
from bot.schema.fit import FitResult


def _understood(r: FitResult) -> list[str]:
    u = r.understood
    m = u.model
    active = f", {m.active_params_b:g}B active" if m.active_params_b else ""
    lines = [f"Model: {m.name} ({m.params_b:g}B{active}) at {m.quant} ({m.quant_source})"]
    for d in u.hardware.devices:
        count = f"{d.count}x " if d.count > 1 else ""
        lines.append(
            f"Device: {count}{d.name}, {gib(d.memory_bytes)}, {d.bandwidth_gbps:g} GB/s, "
            f"{d.backend}"
        )
    if u.hardware.system_ram_bytes:
        lines.append(f"System RAM: {gib(u.hardware.system_ram_bytes)}")
    ctx = "default of the runtime" if u.context_source == "runtime_default" else "as asked"
    fa = "on" if u.flash_attention else "off"
    lines.append(
        f"Context: {u.context} tokens ({ctx}); KV cache {u.kv_cache}; flash attention {fa}"
    )
    lines.append(f"Runtime: {u.runtime_name}")
    return lines


def _memory(r: FitResult) -> list[str]:
    mem = r.memory
    basis = "per tensor"
    if mem.weights_basis == "published_file":
        basis = f"published file, {mem.weights_bytes / 1e9:.1f} GB"
    lines = [
        f"Weights {gib(mem.weights_bytes)} ({basis}) + KV cache {gib(mem.kv_cache_bytes)} + "
        f"compute {gib(mem.compute_bytes)} + reserve {gib(mem.overhead_bytes)} = "
        f"{gib(mem.total_bytes)}"
    ]
    p = r.placement
    for d in mem.per_device:
        cap = f" of {gib(d.capacity_bytes)}" if d.capacity_bytes else ""
        out = ", output layer" if d.holds_output else ""
        held = f"{d.layers} layers{out}"
        if d is mem.per_device[-1] and p.n_cpu_moe:
            held = f"experts of {p.n_cpu_moe} layers" + (f", {d.layers} layers" if d.layers else "")
        lines.append(f"  {d.device}: {gib(d.total_bytes)}{cap} ({held})")
    layers = f"{p.gpu_layers}/{p.total_layers} layers on GPU ({p.percent_on_gpu:g}% of bytes)"
    if p.n_cpu_moe:
        layers += f"; experts of the first {p.n_cpu_moe} layers in RAM"
    lines.append("  " + layers)
    return lines


def _speed(r: FitResult) -> list[str]:
    s = r.speed
    d = s.decode_tokens_per_s
    lines = [f"Generation: {d.low:g}-{d.high:g} tokens/s (limited by {s.bound_by})"]
    if s.prompt_tokens_per_s:
        pp = s.prompt_tokens_per_s
        lines.append(f"Prompt processing: {pp.low:g}-{pp.high:g} tokens/s")
    lines += [f"Measured: {m}" for m in s.measured]
    return lines


def _table(r: FitResult) -> list[str]:
    if not r.context_table:
        return []
    lines = ["Quant    weights    longest context on GPU (f16 KV / q8_0 KV)"]
    for row in r.context_table:
        f16 = f"{row.max_context_f16:,}" if row.max_context_f16 else "does not fit"
        q8 = f"{row.max_context_q8_0:,}" if row.max_context_q8_0 else "does not fit"
        lines.append(f"{row.quant:<8} {gib(row.weights_bytes):>9}  {f16} / {q8}")
    return lines


def render_fit_text(r: FitResult) -> str:
    """Every part of the answer, in the order a reader needs it."""
    verdict = {
        "runs_on_gpu": "YES, fully on the GPU",
        "runs_with_offload": "YES, with part in system RAM",
        "does_not_run": "NO",
    }[r.verdict]
    lines = [r.title, "=" * min(len(r.title), 100), f"Verdict: {verdict}", r.summary, ""]
    lines += ["Understood:", *(f"  {x}" for x in _understood(r)), ""]
    lines += ["Memory:", *(f"  {x}" for x in _memory(r)), ""]
    lines += ["Speed (estimate, a range):", *(f"  {x}" for x in _speed(r)), ""]
    lines += [f"Recommendation: {r.recommendation}"]
    if r.best_quant:
        lines.append(f"Best quantization that fits fully: {r.best_quant}")
    if r.alternatives:
        lines += ["", "Alternatives:", *(f"  - {a.text}" for a in r.alternatives)]
    if table := _table(r):
        lines += ["", *table]
    if r.caveats or r.notes:
        lines += ["", "Notes:", *(f"  - {c}" for c in [*r.notes, *r.caveats])]
    lines += ["", "Reproduce:", *(f"  {c}" for c in r.reproduce)]
    lines += ["", "Sources:", *(f"  - {s.title} <{s.url}>" for s in r.sources)]
    return "\n".join(lines).rstrip() + "\n"


COMPACT_LIMIT = 1900
"""Under Discord's 2000-character message limit, with room for a footer."""


def render_fit_compact(r: FitResult) -> str:
    """The answer in a few lines for a chat message or an embed description: verdict, what was
    understood, where the memory goes, speed, what to do, and the first command to try."""
    u = r.understood
    devices = " + ".join(
        f"{d.count}x {d.name}" if d.count > 1 else d.name for d in u.hardware.devices
    )
    d = r.speed.decode_tokens_per_s
    lines = [
        f"**{r.title}**",
        r.summary,
        f"Read as: {u.model.name} {u.model.quant}, {devices}, {u.context} tokens "
        f"({u.kv_cache} cache), {u.runtime_name}.",
        f"Memory: weights {gib(r.memory.weights_bytes)}, KV {gib(r.memory.kv_cache_bytes)}, "
        f"compute {gib(r.memory.compute_bytes)}, reserve {gib(r.memory.overhead_bytes)}; "
        f"{r.placement.gpu_layers}/{r.placement.total_layers} layers on GPU.",
        f"Speed: {d.low:g}-{d.high:g} tokens/s (estimate).",
        r.recommendation,
    ]
    if r.alternatives:
        lines.append("Also: " + r.alternatives[0].text)
    if r.reproduce:
        lines.append(f"`{r.reproduce[-1] if u.runtime != 'ollama' else r.reproduce[1]}`")
    text = "\n".join(lines)
    return text if len(text) <= COMPACT_LIMIT else text[: COMPACT_LIMIT - 1] + "…"
