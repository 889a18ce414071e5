"""`/model NAME` and `/hardware NAME`: what the catalog knows about one model or device."""

from __future__ import annotations

from typing import Literal

from bot.content.snapshot import Snapshot
from bot.handlers.entries import not_found
from bot.schema.answers import Answer, EntryAnswer, Section
from bot.schema.catalog import HardwareEntry, ModelEntry
from bot.search.resolver import Match

GIB = 2**30


def _model_sections(model: ModelEntry) -> list[Section]:
    arch = model.architecture
    lines = [
        f"Architecture `{arch.arch}`: {arch.layers} layers, hidden size {arch.hidden_size}, "
        f"{arch.heads} attention heads, {arch.kv_heads} KV heads of dimension {arch.head_dim}, "
        f"vocabulary {arch.vocab:,}, native context {arch.native_context:,} tokens.",
    ]
    if arch.moe:
        lines.append(
            f"Mixture of experts: {arch.moe.experts} experts, "
            f"{arch.moe.active_experts} active per token"
            + (f", plus {arch.moe.shared_experts} shared" if arch.moe.shared_experts else "")
            + "."
        )
    if arch.sliding_window:
        lines.append(
            f"Sliding-window attention: a {arch.sliding_window.window}-token window, "
            f"every {arch.sliding_window.global_every}th layer global."
        )
    names = []
    if model.ollama_tags:
        names.append("Ollama: " + ", ".join(f"`{t}`" for t in model.ollama_tags))
    if model.hf_ids:
        names.append("Hugging Face: " + ", ".join(f"`{h}`" for h in model.hf_ids))
    if model.gguf_repos:
        names.append("GGUF: " + ", ".join(f"`{g}`" for g in model.gguf_repos))
    sections = [Section(heading="Architecture", body="\n".join(lines))]
    if names:
        sections.append(Section(heading="Where to get it", body="\n".join(names)))
    if model.files:
        files = "\n".join(f"{f.quant}: {f.size_gb:g} GB ({f.source.title})" for f in model.files)
        sections.append(Section(heading="Published file sizes", body=files))
    return sections


def _model_summary(model: ModelEntry) -> str:
    size = f"{model.params_b:g}B parameters"
    if model.active_params_b:
        size += f" ({model.active_params_b:g}B active per token)"
    released = f", released {model.released}" if model.released else ""
    return f"{model.name}: {size}, licence {model.license}{released}."


def model(snapshot: Snapshot, name: str) -> Answer:
    """The catalog entry of a model: size, architecture, tags and published files."""
    match = snapshot.indexes.models.resolve(name)
    if not (match.confident and match.best):
        return not_found("model", name, "a model", match)
    entry = snapshot.models[match.best.entry_id]
    return _catalog_answer(
        "model", name, entry, match, summary=_model_summary(entry), sections=_model_sections(entry)
    )


def _hardware_summary(device: HardwareEntry) -> str:
    memory = device.memory_type  # system-RAM configurations have no size of their own
    if device.memory_gib is not None:
        memory = f"{device.memory_gib:g} GiB {device.memory_type}"
    if device.memory_options_gib:
        memory = "{} GiB {}".format(
            " / ".join(f"{m:g}" for m in device.memory_options_gib), device.memory_type
        )
    parts = [f"{device.name}: {memory} at {device.bandwidth_gbps:g} GB/s"]
    if device.fp16_tflops:
        parts.append(f"{device.fp16_tflops:g} TFLOPS FP16")
    if device.tdp_w:
        parts.append(f"{device.tdp_w} W")
    return ", ".join(parts) + ". Backends: " + ", ".join(device.backends) + "."


def hardware(snapshot: Snapshot, name: str) -> Answer:
    """The catalog entry of a device: memory, bandwidth, compute, power and backends."""
    match = snapshot.indexes.hardware.resolve(name)
    if not (match.confident and match.best):
        return not_found("hardware", name, "a device", match)
    entry = snapshot.hardware[match.best.entry_id]
    sections = []
    if entry.prices:
        prices = "\n".join(
            f"${p.usd:,.0f} {p.condition} on {p.as_of.isoformat()} ({p.source.title})"
            for p in entry.prices
        )
        sections.append(Section(heading="Prices", body=prices))
    return _catalog_answer(
        "hardware", name, entry, match, summary=_hardware_summary(entry), sections=sections
    )


def _catalog_answer(
    kind: Literal["model", "hardware"],
    query: str,
    entry: ModelEntry | HardwareEntry,
    match: Match,
    *,
    summary: str,
    sections: list[Section],
) -> EntryAnswer:
    """The answer for one catalog entry, with the confidence and runners-up of its lookup."""
    assert match.best is not None
    return EntryAnswer(
        kind=kind,
        answered=True,
        query=query,
        entry_id=entry.id,
        confidence=match.best.score,
        title=entry.name,
        summary=summary,
        sources=entry.sources,
        suggestions=match.suggestions,
        entry_kind=kind,
        sections=sections,
        reviewed_by=entry.reviewed_by,
        reviewed_on=entry.reviewed_on,
    )
