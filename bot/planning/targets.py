"""Read what a /choosegpu user wants the hardware for: a model, a size, a speed, or a use the
bot does not estimate (image generation, training...), and the candidates a budget can buy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.schema.catalog import HardwareEntry, ModelEntry, Price

OUT_OF_SCOPE = {
    "image generation": (
        "image",
        "stable diffusion",
        "sdxl",
        "sd 1.5",
        "flux",
        "comfyui",
        "midjourney",
        "diffusion",
    ),
    "video generation": ("video",),
    "training and fine-tuning": ("train", "fine-tun", "finetun", "lora"),
    "speech and audio": ("whisper", "tts", "text to speech", "speech", "audio", "voice"),
    "gaming": ("gaming", "games", "fps"),
}
CODING_WORDS = ("cod", "program", "developer", "copilot")
MAX_COUNT = 4
"""Most identical cards considered in one rig (what fits a workstation board)."""
MULTI_GPU_SEGMENTS = ("desktop", "workstation", "datacenter")


@dataclass(frozen=True)
class Target:
    """What the hardware is for, as read from the text."""

    text: str
    out_of_scope: str | None = None
    params_b: float | None = None
    tokens_per_s: float | None = None
    coding: bool = False


def read_target(text: str | None) -> Target:
    """Pull a size ("70B"), a speed ("10 tok/s"), a use ("coding") or an out-of-scope use out of
    free text. The model itself is chosen by `pick_model`."""
    if not text or not text.strip():
        return Target(text="")
    low = text.lower()
    for use, words in OUT_OF_SCOPE.items():
        if any(w in low for w in words):
            return Target(text=text, out_of_scope=use)
    speed = re.search(r"(\d+(?:\.\d+)?)\s*(?:tok(?:en)?s?\s*/\s*s|t/s|tps|tokens per second)", low)
    size = re.search(r"(?<![\w.])(\d+(?:\.\d+)?)\s*b\b", low)
    return Target(
        text=text,
        params_b=float(size[1]) if size else None,
        tokens_per_s=float(speed[1]) if speed else None,
        coding=any(w in low for w in CODING_WORDS),
    )


def model_words(text: str) -> str:
    """The target text without the speed and use words, for looking a model up by name."""
    t = re.sub(
        r"(?i)(?:at\s+)?\d+(?:\.\d+)?\s*(?:tok(?:en)?s?\s*/\s*s|t/s|tps|tokens per second)",
        "",
        text,
    )
    t = re.sub(r"(?i)\b(for|coding|code|chat|at|a|model|run|running|llm)\b", " ", t)
    words = t.split()
    # A bare size ("70B") names no model; `pick_model` handles it.
    if all(re.fullmatch(r"(?i)\d+(\.\d+)?b?", w) for w in words):
        return ""
    return " ".join(words)


SIZE_STANDS_FOR = {
    3: "llama3.2-3b",
    7: "qwen2.5-7b",
    8: "llama3.1-8b",
    12: "gemma3-12b",
    14: "qwen2.5-14b",
    20: "gpt-oss-20b",
    24: "mistral-small-24b",
    27: "gemma3-27b",
    32: "qwen2.5-32b",
    70: "llama3.3-70b",
    72: "qwen2.5-72b",
    120: "gpt-oss-120b",
    405: "llama3.1-405b",
    671: "deepseek-r1-671b",
}
"""The model a bare size stands for: the one people usually mean by "a 70B" (general chat
models, not reasoning distills). Coding targets prefer the Qwen2.5-Coder of that size."""
CODING_STANDS_FOR = {7: "qwen2.5-coder-7b", 14: "qwen2.5-coder-14b", 32: "qwen2.5-coder-32b"}


def pick_model(target: Target, models: Iterable[ModelEntry]) -> ModelEntry | None:
    """The catalog model that stands for a size: the usual model of that size when there is
    one (`SIZE_STANDS_FOR`), else the closest total size within 25%, a coding model when the
    target says coding, dense before mixture-of-experts, newest family first."""
    if target.params_b is None:
        return None
    wanted = target.params_b
    by_id = {m.id: m for m in models}
    table = CODING_STANDS_FOR if target.coding else SIZE_STANDS_FOR
    usual = table.get(int(wanted)) if wanted == int(wanted) else None
    if usual in by_id:
        return by_id[usual]
    near = [m for m in by_id.values() if abs(m.params_b - wanted) <= 0.25 * wanted]
    if not near:
        return None

    def key(m: ModelEntry) -> tuple[bool, bool, float, str, str]:
        return (
            ("coder" in m.id) != target.coding,
            m.active_params_b is not None,
            abs(m.params_b - wanted),
            _negate(m.released or ""),
            m.id,
        )

    return min(near, key=key)


def _negate(released: str) -> str:
    """Sort newer releases first inside an ascending sort."""
    return "".join(chr(255 - ord(ch)) for ch in released)


@dataclass(frozen=True)
class Candidate:
    """Hardware a budget can buy: `count` units of one device at one dated price."""

    entry: HardwareEntry
    count: int
    price: Price
    memory_gib: float

    @property
    def usd(self) -> float:
        return self.price.usd * self.count

    @property
    def rig_text(self) -> str:
        """Hardware text the fit engine reads back to exactly this device and memory size."""
        count = f"{self.count}x " if self.count > 1 else ""
        memory = f" {self.memory_gib:g}gb" if self.entry.memory_options_gib else ""
        return f"{count}{self.entry.id}{memory}"

    @property
    def label(self) -> str:
        count = f"{self.count}x " if self.count > 1 else ""
        memory = f" {self.memory_gib:g} GB" if self.entry.memory_options_gib else ""
        return f"{count}{self.entry.name}{memory}"


LAUNCH_PRICE_MAX_AGE = dt.timedelta(days=3 * 365)
"""A launch price older than this is no buying guide: by then the part sells used, discounted or
not at all, so it needs a dated market price to be ranked."""


def _newest_by_condition(entry: HardwareEntry, today: dt.date) -> list[Price]:
    """The newest price for each (condition, memory size) of a device; launch prices only when
    the device has no new or used price for that memory size and the launch was recent (an old
    MSRP misleads)."""
    newest: dict[tuple[str, float | None], Price] = {}
    for price in sorted(entry.prices, key=lambda p: p.as_of):
        newest[(price.condition, price.memory_gib)] = price
    market_sizes = {size for (cond, size) in newest if cond != "msrp"}
    return [
        p
        for (cond, size), p in newest.items()
        if cond != "msrp" or (size not in market_sizes and today - p.as_of <= LAUNCH_PRICE_MAX_AGE)
    ]


def candidates(
    hardware: Mapping[str, HardwareEntry], budget_usd: float, today: dt.date
) -> list[Candidate]:
    """Every device-count-price combination within the budget: one unit of anything priced, and
    up to four identical cards for desktop and workstation GPUs."""
    found = []
    for entry in hardware.values():
        if entry.device_kind == "ram":
            continue
        for price in _newest_by_condition(entry, today):
            memory = price.memory_gib or entry.memory_gib or 0.0
            most = MAX_COUNT if entry.device_kind == "gpu" else 1
            if entry.segment not in MULTI_GPU_SEGMENTS:
                most = 1
            for count in range(1, most + 1):
                if price.usd * count <= budget_usd:
                    found.append(Candidate(entry, count, price, memory))
    return found


def priced_ids(hardware: Mapping[str, HardwareEntry], today: dt.date) -> set[str]:
    """Devices with a price that can be ranked (the rest cannot be ranked against a budget)."""
    return {
        i for i, e in hardware.items() if e.device_kind != "ram" and _newest_by_condition(e, today)
    }
