"""Small wording helpers shared by the planning commands' answers."""

from __future__ import annotations

import re

from bot.schema.answers import Section

GIB = 2**30


def assumptions_section(assumptions: list[str]) -> Section:
    """The "Assumptions" section every planning answer ends with, one bullet per assumption."""
    return Section(heading="Assumptions", body="\n".join(f"- {a}" for a in assumptions))


def gib(n_bytes: float) -> str:
    """Bytes as GiB with one decimal, the unit `nvidia-smi` and Ollama show."""
    return f"{n_bytes / GIB:.1f} GiB"


def tps(low: float, high: float) -> str:
    """A decode speed range: "15-18 tokens/s" (one figure when both ends agree)."""
    if round(low) == round(high):
        return f"{low:.0f} tokens/s" if low >= 10 else f"{low:.1f} tokens/s"
    if high < 10:
        return f"{low:.1f}-{high:.1f} tokens/s"
    return f"{low:.0f}-{high:.0f} tokens/s"


def usd(value: float) -> str:
    """Dollars: cents below $10, whole dollars above."""
    return f"${value:,.2f}" if value < 10 else f"${value:,.0f}"


def split_rigs(text: str) -> list[str]:
    """ "2x3090 vs M3 Max 128GB | 4090" -> ["2x3090", "M3 Max 128GB", "4090"]."""
    parts = re.split(r"\s+(?:vs\.?|versus|against)\s+|\s*\|\s*|\s*;\s*", text, flags=re.I)
    return [p.strip() for p in parts if p.strip()]


_SIZE_WORD = re.compile(r"(?i)(\d+x)?\d+(\.\d+)?b|a\d+b|mini|e\d+b")


def split_model_hardware(text: str) -> tuple[str, str]:
    """ "qwen2.5:72b 2x3090" -> ("qwen2.5:72b", "2x3090"); "llama 3 70b q5 M3 Max" keeps the
    quantization word with the model. The model ends at its first tag or size word."""
    words = text.split()
    if len(words) < 2:
        return text.strip(), ""
    cut = 1
    for i, word in enumerate(words):
        if _SIZE_WORD.fullmatch(word) or ":" in word or "/" in word:
            cut = i + 1
            if cut < len(words) and re.fullmatch(r"(?i)i?q\d(_\w+)?|f16|fp16|bf16|q8", words[cut]):
                cut += 1
            break
    return " ".join(words[:cut]), " ".join(words[cut:])


def split_positional(names: tuple[str, ...], text: str) -> dict[str, str]:
    """Options from "a | b | c" in the order of `names`, or for model-and-hardware commands from
    "MODEL HARDWARE [more options after a |]"."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) == 1 and names[:2] == ("model", "hardware"):
        model, hardware = split_model_hardware(parts[0])
        parts = [model, hardware] if hardware else [model]
    return {name: part for name, part in zip(names, parts, strict=False) if part}


def split_budget(text: str) -> dict[str, str]:
    """ "$1,500 70B at 10 tok/s" -> {"budget": "1500", "target": "70B at 10 tok/s"}."""
    if "|" in text:
        budget, _, target = text.partition("|")
    else:
        budget, _, target = text.strip().partition(" ")
    cleaned = re.sub(r"[\s$,]|usd", "", budget.lower())
    if cleaned.endswith("k") and cleaned[:-1].replace(".", "").isdigit():
        cleaned = str(int(float(cleaned[:-1]) * 1000))
    out = {"budget": cleaned}
    if target.strip():
        out["target"] = target.strip()
    return out


def per_mtok(value: float) -> str:
    """A price per million tokens: "$0.32", "$5", "$0.006" (small prices keep their digits)."""
    if value == 0:
        return "$0"
    if value < 0.1:
        return f"${value:.2g}"
    return f"${value:.2f}" if value < 10 else f"${value:,.0f}"


def usd_band(low: float, high: float) -> str:
    """ "$1.42-$2.32", or one figure when both ends round the same."""
    a, b = usd(low), usd(high)
    return a if a == b else f"{a}-{b}"


def saving_words(low: float, high: float) -> str:
    """A monthly saving range in words, honest about losses: "a saving of $40-$70 a month",
    "a loss of $13-$14 a month (the cloud is cheaper)", or "between a loss of $5 and a saving
    of $9 a month"."""
    if low >= 0:
        return f"a saving of {usd_band(low, high)} a month"
    if high <= 0:
        return f"a loss of {usd_band(-high, -low)} a month (the cloud is cheaper)"
    return f"between a loss of {usd(-low)} and a saving of {usd(high)} a month"
