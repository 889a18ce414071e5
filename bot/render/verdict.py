"""The `/willitrun` verdict as a Discord embed: what was understood, memory, speed, reproduce.

Pure, like `embed.py`, whose `fit_embed` still applies every limit afterwards. Fields are in
order of importance, because when a verdict is too long for one message the last fields are the
ones dropped: what the bot understood, the memory per device as a small bar, the speed range, the
command to reproduce it, sources, then alternatives, caveats and the context table.
"""

from __future__ import annotations

from typing import Any

from bot.render import limits
from bot.render.embed import Embed, register_renderer, source_line
from bot.render.limits import cut_lines
from bot.schema.answers import Answer

try:  # The fit engine lands from its own branch; until then there is no verdict to draw.
    from bot.schema.fit import FitResult
except ImportError:  # pragma: no cover - only before the fit engine is merged
    FitResult = None  # type: ignore[assignment,misc]

GIB = 2**30
BAR_CELLS = 12
VERDICT_LABELS = {
    "runs_on_gpu": ("Runs on the GPU", 0x2E9E5B),
    "runs_with_offload": ("Runs, partly in system memory", 0xE0A526),
    "does_not_run": ("Does not run", 0xC0392B),
}
QUANT_SOURCES = {
    "asked": "as asked",
    "tag": "from the tag",
    "default": "default",
    "best_fit": "best fit",
}


def gib(count: float) -> str:
    """Bytes as GiB with one decimal ("21.3 GiB")."""
    return f"{count / GIB:.1f} GiB"


def memory_bar(used: int, capacity: int, cells: int = BAR_CELLS) -> str:
    """`██████████░░` for the share of `capacity` that `used` takes; full when over."""
    if capacity <= 0:
        return "░" * cells
    filled = min(round(used / capacity * cells), cells)
    if used > 0:
        filled = max(filled, 1)
    return "█" * filled + "░" * (cells - filled)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _understood(result: Any) -> str:
    seen = result.understood
    model = seen.model
    size = f"{model.params_b:g}B"
    if model.active_params_b:
        size += f" ({model.active_params_b:g}B active)"
    quant = f"{model.quant} ({QUANT_SOURCES.get(model.quant_source, model.quant_source)})"
    devices = " + ".join(
        (f"{d.count}× " if d.count > 1 else "") + f"{d.name} ({gib(d.memory_bytes)})"
        for d in seen.hardware.devices
    )
    if seen.hardware.system_ram_bytes:
        devices += f", {gib(seen.hardware.system_ram_bytes)} RAM"
    context = f"{seen.context:,} tokens" + (" (asked)" if seen.context_source == "asked" else "")
    return "\n".join(
        [
            f"**Model** {model.name}, {size}, {quant}",
            f"**Hardware** {devices or seen.hardware.text}",
            f"**Context** {context}, KV cache {seen.kv_cache}, {seen.runtime_name}",
        ]
    )


def _memory(result: Any) -> str:
    memory = result.memory
    lines = []
    for device in memory.per_device:
        if device.capacity_bytes > 0:
            bar = memory_bar(device.total_bytes, device.capacity_bytes)
            lines.append(
                f"`{bar}` {gib(device.total_bytes)} of {gib(device.capacity_bytes)} "
                f"on {device.device}"
            )
        elif device.total_bytes > 0:
            # System RAM of unknown size: no bar to draw, just what it holds.
            lines.append(f"{gib(device.total_bytes)} on {device.device}")
    published = ""
    if memory.weights_basis == "published_file":
        published = f" (file {memory.weights_bytes / 1e9:.1f} GB)"
    lines.append(
        f"Weights {gib(memory.weights_bytes)}{published} · KV cache {gib(memory.kv_cache_bytes)} · "
        f"buffers {gib(memory.compute_bytes)} · reserve {gib(memory.overhead_bytes)}"
    )
    placement = result.placement
    lines.append(
        f"{placement.gpu_layers} of {placement.total_layers} layers on GPU "
        f"({placement.percent_on_gpu:.0f}% of the bytes)"
    )
    return cut_lines(lines, limits.FIELD_VALUE)


def _speed(result: Any) -> str:
    speed = result.speed
    decode = speed.decode_tokens_per_s
    lines = [f"About {_number(decode.low)}–{_number(decode.high)} tokens/s while generating"]
    if speed.prompt_tokens_per_s:
        prompt = speed.prompt_tokens_per_s
        lines.append(
            f"About {_number(prompt.low)}–{_number(prompt.high)} tokens/s reading the prompt"
        )
    if speed.bound_by:
        lines.append(f"Limited by the memory bandwidth of {speed.bound_by}")
    lines += [f"Measured: {m}" for m in speed.measured]
    return cut_lines(lines, limits.FIELD_VALUE)


def _code_block(lines: list[str]) -> str:
    """Commands in a fenced block that stays closed however many lines fit."""
    room = limits.FIELD_VALUE - len("```bash\n\n```")
    body = cut_lines(lines, room)
    return f"```bash\n{body}\n```"


def _context_table(result: Any) -> str:
    rows = [f"{'quant':<8} {'weights':>9} {'ctx f16':>9} {'ctx q8_0':>9}"]
    rows += [
        f"{r.quant:<8} {gib(r.weights_bytes):>9} {r.max_context_f16:>9,} {r.max_context_q8_0:>9,}"
        for r in result.context_table
    ]
    room = limits.FIELD_VALUE - len("```\n\n```")
    return f"```\n{cut_lines(rows, room)}\n```"


def verdict_embed(result: Answer, full: bool = False) -> Embed:
    """The verdict embed for a FitResult (`full` is ignored: a verdict is shown whole)."""
    data: Any = result
    label, colour = VERDICT_LABELS.get(data.verdict, (data.verdict, 0x2E86AB))
    description = data.summary
    if data.recommendation:
        description += "\n\n" + data.recommendation
    fields: list[dict[str, Any]] = [
        {"name": "What I understood", "value": _understood(data)},
        {"name": "Memory", "value": _memory(data)},
        {"name": "Speed (estimate)", "value": _speed(data)},
    ]
    if data.reproduce:
        fields.append({"name": "Check it yourself", "value": _code_block(data.reproduce)})
    if data.sources:
        lines = [source_line(s) for s in data.sources]
        fields.append({"name": "Sources", "value": cut_lines(lines, limits.FIELD_VALUE)})
    if data.alternatives:
        lines = [f"• {a.text}" for a in data.alternatives]
        fields.append({"name": "Other options", "value": cut_lines(lines, limits.FIELD_VALUE)})
    if data.caveats:
        lines = [f"• {c}" for c in data.caveats]
        fields.append({"name": "Caveats", "value": cut_lines(lines, limits.FIELD_VALUE)})
    if data.context_table:
        fields.append({"name": "Longest context on the GPU", "value": _context_table(data)})
    return {
        "title": data.title,
        "description": description,
        "color": colour,
        "fields": [{**f, "inline": False} for f in fields],
        "footer": {"text": f"{label} · estimate quality: {data.estimate_quality} · see /about"},
    }


if FitResult is not None:
    register_renderer(FitResult, verdict_embed)
