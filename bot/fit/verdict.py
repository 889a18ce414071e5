"""From numbers to advice: the verdict, best quant, context table, alternatives, commands.

Everything here reads an `Evaluation` (and checks neighbouring cases: a smaller quant, a smaller
model of the family, a quantized cache, a shorter context, one more card) and writes what an
expert would say after doing the arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.fit.platform import raised_apple_limit_mib
from bot.fit.quant import COMMON_QUANTS
from bot.fit.runtimes import RuntimeProfile
from bot.fit.scenario import (
    Case,
    Evaluation,
    Hardware,
    build_hardware,
    max_full_context,
    model_layout,
    pooled_full_fit,
)
from bot.schema.catalog import ModelEntry
from bot.schema.fit import Alternative, ContextRow, DeviceSpec, Verdict

GIB = 1024**3

LOW_QUALITY_QUANTS = frozenset({"Q3_K_M", "Q3_K_S", "Q3_K_L", "Q2_K", "IQ3_S", "IQ3_XXS"})
"""Quantizations below about 4 bits per weight, where llama.cpp's own perplexity tables show a
clear loss; suggested only with that warning."""


def gib(n: float) -> str:
    """Bytes in GiB with one decimal. Binary units, because a "24 GB" card holds 24 GiB; download
    pages print decimal GB, which is why a published file size is shown in both."""
    return f"{n / GIB:.1f} GiB"


def classify(ev: Evaluation) -> Verdict:
    """runs_on_gpu: every layer and the cache on GPUs. runs_with_offload: some layers or experts
    in system RAM, and the RAM is there (or was not stated). does_not_run: the RAM is too small
    as well."""
    if ev.plan.full and ev.ram_ok:
        return "runs_on_gpu"
    if ev.ram_ok:
        return "runs_with_offload"
    return "does_not_run"


def best_quant(case: Case, hw: Hardware, candidates: Sequence[str]) -> str | None:
    """The largest of `candidates` that fits entirely on the GPUs at the case's context."""
    for quant in candidates:
        if pooled_full_fit(case.but(quant=quant), hw):
            return quant
    return None


def context_table(
    case: Case, hw: Hardware, quants: Sequence[str] = COMMON_QUANTS
) -> list[ContextRow]:
    """For each quantization: file size and the longest context that fits on the GPUs with an
    f16 cache and with a q8_0 cache (which needs flash attention, assumed on for that column)."""
    rows = []
    for quant in quants:
        q = case.but(quant=quant)
        rows.append(
            ContextRow(
                quant=quant,
                weights_bytes=model_layout(case.model, quant).file_bytes,
                max_context_f16=max_full_context(q.but(kv="f16"), hw),
                max_context_q8_0=max_full_context(q.but(kv="q8_0", fa=True), hw),
            )
        )
    return rows


def _same_family_smaller(
    case: Case, family: Sequence[ModelEntry], hw: Hardware
) -> ModelEntry | None:
    smaller = sorted(
        (m for m in family if m.params_b < case.model.params_b), key=lambda m: -m.params_b
    )
    for m in smaller:
        ctx = min(case.context, m.architecture.native_context)
        if pooled_full_fit(case.but(model=m, quant="Q4_K_M", context=ctx), hw):
            return m
    return None


def _with_one_more_card(
    devices: tuple[DeviceSpec, ...], hw: Hardware, runtime: RuntimeProfile
) -> tuple[DeviceSpec, Hardware] | None:
    gpus = [d for d in devices if d.kind == "gpu"]
    if not gpus:
        return None
    card = max(gpus, key=lambda d: d.memory_bytes)
    more = tuple(d.model_copy(update={"count": d.count + 1}) if d is card else d for d in devices)
    return card, build_hardware(more, hw.ram_bytes, hw.ram_bandwidth_gbps, runtime)


def alternatives(
    case: Case,
    ev: Evaluation,
    hw: Hardware,
    *,
    devices: tuple[DeviceSpec, ...],
    runtime: RuntimeProfile,
    family: Sequence[ModelEntry],
    best: str | None,
    table: Sequence[ContextRow],
) -> list[Alternative]:
    """Good next options when the model does not fit fully: each a concrete change."""
    if ev.plan.full and ev.ram_ok:
        return []
    out: list[Alternative] = []
    ctx, quant = case.context, case.quant
    if best and best != quant:
        cost = " (a clear loss of quality)" if best in LOW_QUALITY_QUANTS else ""
        text = f"{best} fits entirely on the GPU at {ctx} tokens of context{cost}."
        out.append(Alternative(kind="smaller_quant", text=text))
    if case.kv == "f16" and hw.gpus and pooled_full_fit(case.but(kv="q8_0", fa=True), hw):
        text = f"A q8_0 KV cache (needs flash attention) makes {quant} fit at {ctx} tokens."
        out.append(Alternative(kind="quantized_kv", text=text))
    row = next((r for r in table if r.quant == quant), None)
    limit = (row.max_context_f16 if case.kv == "f16" else row.max_context_q8_0) if row else 0
    if 2048 <= limit < ctx:
        text = f"{quant} fits entirely with a context of up to {limit} tokens."
        out.append(Alternative(kind="shorter_context", text=text))
    smaller = _same_family_smaller(case, family, hw) if hw.gpus else None
    if smaller:
        tag = smaller.ollama_tags[0] if smaller.ollama_tags else smaller.name
        text = f"{smaller.name} ({tag}) fits entirely at Q4_K_M."
        out.append(Alternative(kind="smaller_model", text=text))
    if ev.plan.n_cpu_moe:
        n = ev.plan.n_cpu_moe
        text = (
            f"Keep attention and shared weights on the GPU and the experts of the first {n} "
            f"layers in RAM: llama.cpp `--n-cpu-moe {n}`."
        )
        out.insert(0, Alternative(kind="moe_offload", text=text))
    apple = [d for d in devices if d.vendor == "apple"]
    if apple and not ev.plan.full:
        total = ev.plan.cpu.total + sum(g.total for g in ev.plan.gpus)
        if total <= apple[0].memory_bytes - 4 * GIB:
            mib = raised_apple_limit_mib(apple[0].memory_bytes)
            text = (
                f"Raising the GPU memory limit (`sudo sysctl iogpu.wired_limit_mb={mib}`) lets "
                "it run fully on the GPU."
            )
            out.append(Alternative(kind="raise_limit", text=text))
    more = None if apple else _with_one_more_card(devices, hw, runtime)
    if more and pooled_full_fit(case, more[1]):
        card = more[0]
        text = f"One more {card.name} ({gib(card.memory_bytes)}) would hold it all at {quant}."
        out.append(Alternative(kind="more_hardware", text=text))
    return out


def recommendation(ev: Evaluation, case: Case, alts: Sequence[Alternative], ram: int | None) -> str:
    """One or two sentences: what to do."""
    plan = ev.plan
    speed = f"about {ev.decode_low:.0f}-{ev.decode_high:.0f} tokens/s"
    if plan.full and ev.ram_ok:
        free = min((g.capacity - g.total for g in plan.gpus if g.total), default=0)
        return (
            f"Run it at {case.quant} with {case.context} tokens of context; it fits on the GPU "
            f"with {gib(free)} to spare on the fullest card ({speed})."
        )
    better = f" Better: {alts[0].text}" if alts and alts[0].kind != "moe_offload" else ""
    if ev.ram_ok:
        if plan.n_cpu_moe:
            head = (
                f"It runs with the experts of {plan.n_cpu_moe} layers in system RAM ({speed}); "
                "with only a few experts read per token that costs far less than moving layers."
            )
            better = ""
        elif not plan.gpus:
            head = f"It runs on the CPU from system RAM ({speed})."
        else:
            head = (
                f"It runs with {plan.ngl} of {plan.total_units} layers on the GPU and the rest "
                f"in system RAM, which is slow ({speed})."
            )
        need = "" if ram is not None else f" It needs at least {gib(ev.ram_needed)} of free RAM."
        return head + need + better
    return (
        f"It does not fit: the part left for system RAM needs {gib(ev.ram_needed)}, more than "
        f"there is.{better}"
    )


def reproduce_commands(
    case: Case, ev: Evaluation, runtime: RuntimeProfile, asked_tag: str | None
) -> list[str]:
    """Commands that set up the same case: Ollama with the context (and cache) set, and the
    equivalent llama-server line with -ngl, -c, --tensor-split and --n-cpu-moe."""
    plan, model, kv = ev.plan, case.model, case.kv
    env = [f"OLLAMA_CONTEXT_LENGTH={case.context}"]
    if kv != "f16":
        env += ["OLLAMA_FLASH_ATTENTION=1", f"OLLAMA_KV_CACHE_TYPE={kv}"]
    tag = asked_tag or (model.ollama_tags[0] if model.ollama_tags else model.id)
    ollama = [f"{' '.join(env)} ollama serve", f"ollama run {tag}"]
    if model.gguf_repos:
        source = f"-hf {model.gguf_repos[0]}:{case.quant}"
    else:
        source = f"-m {model.id}-{case.quant}.gguf"
    args = [f"llama-server {source}", f"-c {case.context}", f"-ngl {plan.ngl}"]
    if sum(1 for g in plan.gpus if g.blocks or g.holds_output) > 1:
        args.append("--tensor-split " + ",".join(str(g.blocks + g.holds_output) for g in plan.gpus))
    if plan.n_cpu_moe:
        args.append(f"--n-cpu-moe {plan.n_cpu_moe}")
    args.append("-fa on" if case.fa else "-fa off")
    if kv != "f16":
        args.append(f"-ctk {kv} -ctv {kv}")
    llama = " ".join(args)
    return [*ollama, llama] if runtime.id == "ollama" else [llama, *ollama]
