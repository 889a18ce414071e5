"""`/willitrun MODEL HARDWARE` (alias `/fit`): will this model run here, how, and how fast.

The handler only adapts: options in, the fit engine's `FitResult` out, and the engine's typed
input errors turned into honest "I don't know" answers with suggestions (which the dispatcher
logs for editors). All arithmetic lives in `bot.fit`.
"""

from __future__ import annotations

import re
from collections import OrderedDict

from bot.content.snapshot import Snapshot
from bot.fit.engine import estimate, request_from_text
from bot.fit.errors import FitInputError, UnknownModel, UnknownQuant, UnreadableHardware
from bot.fit.model_parser import ModelMatch, names_cover, parse_model
from bot.handlers.spec import Option
from bot.schema.answers import Answer, Suggestion
from bot.schema.fit import FitRequest

RUNTIME_CHOICES = ("ollama", "llama.cpp", "lm-studio", "vllm", "mlx")
KV_CHOICES = ("f16", "q8_0", "q4_0")

OPTIONS = (
    Option(
        name="model",
        description="Ollama tag, Hugging Face id or name, e.g. qwen2.5:72b",
        autocomplete="models",
    ),
    Option(
        name="hardware",
        description="Your GPUs/Mac/RAM, e.g. 2x3090, M3 Max 128GB",
        autocomplete="hardware",
    ),
    Option(
        name="context",
        description="Context length in tokens (default: the runtime's)",
        required=False,
        type="integer",
        min_value=256,
        max_value=2_097_152,
    ),
    Option(name="quant", description="Quantization, e.g. Q4_K_M, Q8_0", required=False),
    Option(
        name="kv_cache",
        description="KV cache type (default f16)",
        required=False,
        choices=KV_CHOICES,
    ),
    Option(
        name="runtime",
        description="Runtime (default Ollama)",
        required=False,
        choices=RUNTIME_CHOICES,
    ),
)

_EXTRA = {
    "context": re.compile(r"\b(?:context|ctx|num_ctx|-c)\s*[:=]?\s*(\d[\d_,]*)(k?)\b", re.I),
    "kv_cache": re.compile(r"\b(?:kv|kv_cache|cache)\s*[:=]?\s*(f16|q8_0|q4_0|q8|q4)\b", re.I),
    "quant": re.compile(r"\bquant\s*[:=]?\s*(\S+)", re.I),
    "runtime": re.compile(
        r"\b(?:runtime|on|with)\s*[:=]?\s*(ollama|llama\.cpp|lm-studio|vllm|mlx)\b", re.I
    ),
}


def split_positional(text: str) -> dict[str, str]:
    """Options from a positional line: `MODEL HARDWARE` or `MODEL | HARDWARE | extras` where the
    extras read like "context 32768 kv q8_0" or "quant q5_K_M"."""
    if " | " in text:
        parts = [p.strip() for p in text.split(" | ")]
        options = {"model": parts[0], "hardware": parts[1] if len(parts) > 1 else ""}
        extras = " ".join(parts[2:])
    else:
        request = request_from_text(text)
        options = {"model": request.model, "hardware": request.hardware}
        extras = ""
    for name, pattern in _EXTRA.items():
        if match := pattern.search(extras):
            value = match.group(1)
            if name == "context":
                value = value.replace(",", "").replace("_", "")
                value = str(int(value) * 1024) if match.group(2) else value
            if name == "kv_cache":
                value = {"q8": "q8_0", "q4": "q4_0"}.get(value.lower(), value.lower())
            options[name] = value
    return options


def _miss(error: FitInputError, option: str, query: str, kind: str) -> Answer:
    suggestions = [
        Suggestion(entry_id=entry_id, title=title, kind=kind, score=0.5)
        for title, entry_id in zip(error.suggestions, error.suggestion_ids, strict=False)
    ]
    listed = ", ".join(f"“{s}”" for s in error.suggestions[:3])
    summary = error.message + (f" Did you mean {listed}?" if listed else "")
    return Answer(
        kind="willitrun",
        answered=False,
        query=query,
        title="Not found",
        summary=summary + " The question has been noted for the editors.",
        suggestions=suggestions,
        missed_option=option,
    )


VERDICT_CACHE_SIZE = 1024
"""Verdicts kept for repeated questions. The engine is deterministic for one snapshot, and a
server asks the same few model/rig pairs over and over, so a repeat costs a dict lookup."""
_verdicts: OrderedDict[tuple[int, float, FitRequest], Answer] = OrderedDict()


def clear_verdict_cache() -> None:
    """Forget every remembered verdict (benchmarks time the engine, not the cache)."""
    _verdicts.clear()


def _estimate_cached(request: FitRequest, snapshot: Snapshot) -> Answer:
    """`estimate`, remembered per snapshot (a reload gives a new snapshot, so a new key)."""
    key = (id(snapshot), snapshot.loaded_at.timestamp(), request)
    cached = _verdicts.get(key)
    if cached is not None:
        _verdicts.move_to_end(key)
        return cached
    answer = estimate(request, snapshot)
    _verdicts[key] = answer
    if len(_verdicts) > VERDICT_CACHE_SIZE:
        _verdicts.popitem(last=False)
    return answer


MAX_WORDS_MOVED = 2
"""How far a positional split may be wrong: "command r7b rtx 3090" is cut after "command" (no
size word), so the hardware part starts with the model's last words."""


def _with_words_moved_to_model(request: FitRequest, snapshot: Snapshot) -> Answer | None:
    """The verdict once the hardware's first words are read as the end of the model's name, when
    that makes both readable; None when no such split exists."""
    words = request.hardware.split()
    first = _model_match(request.model, snapshot)
    if first is not None and first.score >= 1.0:
        return None  # "llama3.1:8b" is whole: the words after it are the hardware's
    for moved in range(1, min(MAX_WORDS_MOVED, len(words) - 1) + 1):
        model = " ".join([request.model, *words[:moved]])
        hardware = " ".join(words[moved:])
        reading = _model_match(model, snapshot)
        if reading is None or (
            first is not None
            and reading.model == first.model
            and not names_cover(reading.model, " ".join(words[:moved]))
        ):
            continue  # the moved words are not the model's: never swallow an unknown word
        try:
            return _estimate_cached(
                request.model_copy(update={"model": model, "hardware": hardware}), snapshot
            )
        except (UnknownModel, UnreadableHardware):
            continue
    return None


def _model_match(text: str, snapshot: Snapshot) -> ModelMatch | None:
    try:
        return parse_model(text, snapshot.models)
    except UnknownModel:
        return None


def willitrun(
    snapshot: Snapshot,
    *,
    model: str,
    hardware: str,
    context: int | None = None,
    quant: str | None = None,
    kv_cache: str | None = None,
    runtime: str | None = None,
) -> Answer:
    """The fit verdict for `model` on `hardware`, or an honest miss naming what was not read."""
    request = FitRequest(
        model=model[:300],
        hardware=hardware[:300],
        context=context,
        quant=quant,
        kv_cache=kv_cache,
        runtime=runtime,
    )
    try:
        return _estimate_cached(request, snapshot)
    except UnknownModel as error:
        return _miss(error, "model", model, "model")
    except UnreadableHardware as error:
        if shifted := _with_words_moved_to_model(request, snapshot):
            return shifted
        return _miss(error, "hardware", hardware, "hardware")
    except UnknownQuant as error:
        return Answer(
            kind="willitrun",
            answered=False,
            query=error.text,
            title="Can't do that",
            summary=error.message + " Try one of: " + ", ".join(error.suggestions) + ".",
            error=True,
        )
