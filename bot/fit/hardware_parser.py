"""Read hardware as people write it in chat ("2x3090", "M3 Max 128GB", "cpu only 64gb ddr5").

The text is split into parts ("3090 + 3060 12gb" is two), each part yields a count, a memory
size and a name; names resolve against the catalog's hardware entries, with the memory size
choosing between variants (RTX 3060 8 GB vs 12 GB, Apple chips sold with several sizes). A part
that is only a memory size is system RAM when it says RAM/DDR, otherwise an unnamed GPU.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from bot.fit.errors import UnreadableHardware
from bot.fit.hardware_index import (
    HardwareIndex,
    hardware_index,
    memory_matches,
    normalize,
    resolve,
    singular,
    suggest,
    words_of,
)
from bot.schema.catalog import HardwareEntry
from bot.schema.fit import DeviceSpec, ParsedHardware

GIB = 1024**3

COUNT_WORDS = {
    "single": 1,
    "one": 1,
    "dual": 2,
    "double": 2,
    "two": 2,
    "twin": 2,
    "triple": 3,
    "three": 3,
    "quad": 4,
    "four": 4,
    "six": 6,
    "eight": 8,
}

FILLER = frozenset(
    {
        "nvidia",
        "geforce",
        "amd",
        "radeon",
        "intel",
        "apple",
        "gpu",
        "gpus",
        "graphics",
        "card",
        "cards",
        "a",
        "an",
        "my",
        "the",
        "i",
        "have",
        "with",
        "on",
        "of",
        "vram",
        "memory",
        "unified",
        "mac",
        "studio",
        "macbook",
        "imac",
        "desktop",
        "system",
        "computer",
        "pc",
        "tesla",
        "quadro",
        "arc",
        "rx",
        "rtx",
        "gtx",
        "core",
        "cores",
        "chip",
        "soc",
        "board",
    }
)
"""Words dropped on the second, looser pass (first pass keeps them to use aliases like
"macbook air m2")."""

RAM_WORDS = re.compile(r"\b(ram|ddr[3-5]x?|lpddr[4-5]x?|system\s+memory|sysram|dimm)\b")
CPU_ONLY = re.compile(r"\b(cpu[\s-]*only|no\s+gpu|without\s+(a\s+)?gpu|cpu\s+inference)\b")
MEMORY = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*(tb|gib|gb|g)\b")
SPLIT = re.compile(r"\s*((?<![a-z])\+|,|&|\band\b|\bplus\b|\bwith\b|/)\s*")
"""Where one device ends and the next begins. A "+" glued to a word is part of a name ("Ryzen AI
Max+ 395"), not a join."""
COUNTED_PLURAL = re.compile(r"^([1-8])\s+([a-z]*\d+[a-z]*s)\b")
"""A number before a plural model number is a count ("2 3090s"); without the plural ("3 rx 9060")
the number may belong to the model's name, so it is left alone."""
ADDING_WORDS = frozenset({"+", "&", "and", "plus"})
"""Joins that add a device: "3090 + 24gb" is a second card, "3090 with 24gb" is not."""
NAME_PLUS = re.compile(r"(?<=[a-z])\+(?=\d)")

DDR_BANDWIDTH_GBPS = {"ddr4": 51.2, "ddr5": 89.6, "ddr3": 25.6, "lpddr5": 102.4, "lpddr5x": 136.5}
"""Dual-channel peak bandwidth when only the generation is given: DDR4-3200 and DDR5-5600
(2 channels x 8 bytes x MT/s); LPDDR5-6400 and LPDDR5X-8533 on a 128-bit bus."""

UNKNOWN_RAM_BANDWIDTH_GBPS = 51.2
"""RAM of unstated type is assumed dual-channel DDR4-3200 (the slower common case)."""

UNNAMED_GPU_BANDWIDTH_GBPS = 448.0
"""A GPU given only by memory size ("16gb vram") is assumed to be a mid-range card of about
448 GB/s (RTX 4060 Ti-class up to RTX 4070-class); speed is marked low confidence."""


@dataclass(slots=True)
class _Part:
    text: str
    count: int
    memory_gib: float | None
    tokens: list[str]
    is_ram: bool
    literal: list[str] = field(default_factory=list)
    """The tokens with plurals kept, for aliases such as "4070s" (the SUPER, not two 4070s)."""


def _parse_count(tokens: list[str]) -> tuple[int, list[str]]:
    count = 1
    rest: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in COUNT_WORDS:
            count = COUNT_WORDS[tok]
        elif m := re.fullmatch(r"(\d{1,2})x", tok):
            count = int(m[1])
        elif m := re.fullmatch(r"(\d{1,2})x(\w+)", tok):
            count = int(m[1])
            rest.extend(words_of(m[2]))
        elif m := re.fullmatch(r"x(\d{1,2})", tok):
            count = int(m[1])
        elif tok == "x" and i + 1 < len(tokens) and tokens[i + 1].isdigit() and rest:
            count = int(tokens[i + 1])
            i += 1
        elif tok == "x" and rest and rest[-1].isdigit() and len(rest[-1]) <= 2:
            count = int(rest.pop())
        else:
            rest.append(tok)
        i += 1
    return count, rest


def _parse_part(raw: str) -> _Part:
    text = normalize(raw)
    text = re.sub(r"(\w)\s*\*\s*(\d{1,2})\b", r"\1 x\2", text)
    text = COUNTED_PLURAL.sub(r"\1x \2", text)
    is_ram = bool(RAM_WORDS.search(text))
    memory = None
    if m := MEMORY.search(text):
        value = float(m[1]) * (1024 if m[2] == "tb" else 1)
        memory = value
        text = (text[: m.start()] + " " + text[m.end() :]).strip()
    count, literal = _parse_count(words_of(text, cut_plurals=False))
    literal = [t for t in literal if t not in {"gb", "gib"}]
    words = [singular(t) for t in literal]
    return _Part(raw.strip(), count, memory, words, is_ram, literal)


_CHANNEL_WORDS = {"dual": "dual", "quad": "quad", "octa": "8ch", "eight": "8ch"}


def _channels(text: str) -> str:
    """The channel suffix the catalog uses for RAM entries: dual (the default), quad, 8ch..."""
    if m := re.search(r"(\d+)[\s-]*(?:ch\b|channels?)", text):
        return {"2": "dual", "4": "quad"}.get(m[1], f"{m[1]}ch")
    for word, suffix in _CHANNEL_WORDS.items():
        if re.search(rf"\b{word}\b", text):
            return suffix
    return "dual"


def _ram_bandwidth(index: HardwareIndex, text: str) -> tuple[float, bool]:
    """Bandwidth of the system RAM named in `text`, and whether it was assumed.

    "64gb ddr5" is a desktop's two channels at a common speed (DDR5-5600, DDR4-3200), never a
    12-channel server; a speed ("ddr5-6000") or channel count ("8 channel") picks the matching
    catalog entry when there is one.
    """
    low = text.lower()
    gen = re.search(r"\b(lpddr5x|lpddr5|ddr5|ddr4|ddr3)(?:[\s-]*(\d{4}))?", low)
    if not gen:
        return UNKNOWN_RAM_BANDWIDTH_GBPS, True
    channels = _channels(low)
    entries = [
        e
        for e in index.entries
        if e.device_kind == "ram" and e.id.startswith(gen[1] + "-") and e.id.endswith(channels)
    ]
    if gen[2]:
        exact = [e for e in entries if f"-{gen[2]}-" in e.id]
        if exact:
            return exact[0].bandwidth_gbps, False
    default = DDR_BANDWIDTH_GBPS[gen[1]]
    if channels == "dual" or not entries:
        return default, True
    return min(e.bandwidth_gbps for e in entries), True


NO_DEVICE_MESSAGE = (
    "I could not find a device or a memory size. Name the GPU or chip with its count "
    "(e.g. `2x3090`, `M3 Max 128GB`), or for CPU-only give the RAM size "
    "(e.g. `cpu only 64gb ddr5`)."
)

_BACKEND_ORDER = ("cuda", "rocm", "metal", "sycl", "vulkan", "cpu")


def takes_stated_memory(entry: HardwareEntry, memory_gib: float | None) -> bool:
    """A chip sold with several memory sizes that the catalog does not list (some Macs, APUs):
    the size the owner wrote is trusted over the one configuration the catalog knows."""
    return (
        memory_gib is not None
        and entry.device_kind in {"apu", "soc"}
        and not entry.memory_options_gib
        and entry.memory_gib is not None
        and memory_gib > entry.memory_gib
    )


def device_from_entry(entry: HardwareEntry, count: int, memory_gib: float | None) -> DeviceSpec:
    """A DeviceSpec for a catalog entry; the user's memory size picks among the entry's options."""
    mem = entry.memory_gib
    if memory_gib is not None and entry.memory_options_gib and memory_matches(entry, memory_gib):
        mem = min(entry.memory_options_gib, key=lambda o: abs(o - memory_gib))
    elif takes_stated_memory(entry, memory_gib):
        mem = memory_gib
    backend = next((b for b in _BACKEND_ORDER if b in entry.backends), entry.backends[0])
    if entry.device_kind == "gpu":
        kind = "gpu"
    elif entry.device_kind in {"apu", "soc"} and backend != "cpu":
        kind = "unified"
    else:
        kind = "cpu"
        backend = "cpu"
    return DeviceSpec(
        name=entry.name,
        hardware_id=entry.id,
        count=count,
        memory_bytes=int(mem * GIB),
        bandwidth_gbps=entry.bandwidth_gbps,
        backend=backend,
        backends=tuple(b for b in _BACKEND_ORDER if b in entry.backends),
        kind=kind,
        vendor=entry.vendor,
        fp16_tflops=entry.fp16_tflops,
    )


@dataclass(slots=True)
class _Reading:
    """What has been read so far from the parts of one hardware text."""

    index: HardwareIndex
    devices: list[DeviceSpec] = field(default_factory=list)
    ram_bytes: int | None = None
    ram_bw: float | None = None
    notes: list[str] = field(default_factory=list)
    last: tuple[HardwareEntry, _Part, int] | None = None
    """The device read last, how it was written and how many notes came before it."""

    def add_ram(self, part: _Part, piece: str) -> None:
        if part.memory_gib is not None:
            self.ram_bytes = (self.ram_bytes or 0) + int(part.memory_gib * GIB * part.count)
        self.ram_bw, assumed = _ram_bandwidth(self.index, piece)
        if assumed:
            self.notes.append(f"System RAM bandwidth assumed {self.ram_bw:g} GB/s (dual channel).")

    def add_unnamed_gpu(self, part: _Part) -> None:
        assert part.memory_gib is not None
        self.devices.append(
            DeviceSpec(
                name=f"GPU with {part.memory_gib:g} GB",
                count=part.count,
                memory_bytes=int(part.memory_gib * GIB),
                bandwidth_gbps=UNNAMED_GPU_BANDWIDTH_GBPS,
                backend="cuda",
                kind="gpu",
                assumed=True,
            )
        )
        self.notes.append(
            f"A {part.memory_gib:g} GB GPU was not named; speed assumes a mid-range card "
            f"(about {UNNAMED_GPU_BANDWIDTH_GBPS:g} GB/s)."
        )

    def add_named(self, entry: HardwareEntry, ties: list[HardwareEntry], part: _Part) -> None:
        notes_before = len(self.notes)
        self.add_entry(entry, part)
        if ties:
            others = ", ".join(e.name for e in ties[:3])
            self.notes.append(
                f"'{part.text}' could also be {others}; assumed {entry.name}. "
                "Name the exact variant (or its memory size) if it matters."
            )
        self.last = (entry, part, notes_before) if entry.device_kind != "ram" else None

    def size_last(self, size: _Part) -> bool:
        """A bare size right after a device named without one ("M3 Max with 128GB", "3060, 12gb")
        is that device's memory where it can be: a unified-memory chip, or a GPU sold in that
        size. After any other GPU it is read as system RAM ("4090 with 64GB"). False when no
        device came just before."""
        if self.last is None or self.last[1].memory_gib is not None:
            return False
        entry, part, notes_before = self.last
        assert size.memory_gib is not None
        sized = replace(part, memory_gib=size.memory_gib)
        variant, ties = resolve(self.index, part.tokens, size.memory_gib)
        if variant is not None and (
            variant.device_kind in {"apu", "soc"} or memory_matches(variant, size.memory_gib)
        ):
            self.devices.pop()
            del self.notes[notes_before:]
            self.add_named(variant, ties, sized)
            return True
        if entry.device_kind == "gpu":
            self.add_ram(size, size.text)
            self.notes.append(
                f"Read the {size.memory_gib:g} GB after the {entry.name} as system RAM."
            )
            self.last = None
            return True
        return False

    def add_entry(self, entry: HardwareEntry, part: _Part) -> None:
        if entry.device_kind == "ram":
            mem = part.memory_gib if part.memory_gib is not None else entry.memory_gib
            self.ram_bytes = (self.ram_bytes or 0) + int(mem * GIB * part.count)
            self.ram_bw = entry.bandwidth_gbps
            return
        spec = device_from_entry(entry, part.count, part.memory_gib)
        if takes_stated_memory(entry, part.memory_gib):
            self.notes.append(
                f"The catalog lists only the {entry.memory_gib:g} GB {entry.name}; "
                f"using the {part.memory_gib:g} GB you wrote."
            )
        elif part.memory_gib is None and len(entry.memory_options_gib) > 1:
            others = ", ".join(f"{o:g}" for o in entry.memory_options_gib if o != entry.memory_gib)
            self.notes.append(
                f"No memory size was given, so {entry.name} is taken with {entry.memory_gib:g} GB; "
                f"it is also sold with {others} GB (write e.g. '{part.text} "
                f"{max(entry.memory_options_gib):g}gb')."
            )
        elif part.memory_gib is not None and not memory_matches(entry, part.memory_gib):
            self.notes.append(
                f"{entry.name} has {spec.memory_bytes / GIB:g} GB; the {part.memory_gib:g} GB "
                "you wrote was not used."
            )
        self.devices.append(spec)

    def finish(self, text: str, cpu_only: bool) -> ParsedHardware:
        devices = [d for d in self.devices if d.kind == "cpu"] if cpu_only else self.devices
        ram_bytes, ram_bw = self.ram_bytes, self.ram_bw
        if not devices and ram_bytes is None:
            raise UnreadableHardware(text, NO_DEVICE_MESSAGE, [])
        for d in devices:
            if d.kind in {"unified", "cpu"} and ram_bytes is None:
                ram_bytes, ram_bw = d.memory_bytes * d.count, d.bandwidth_gbps
        if not devices:
            assert ram_bytes is not None
            ram_bw = ram_bw or UNKNOWN_RAM_BANDWIDTH_GBPS
            cpu = DeviceSpec(name="CPU", memory_bytes=ram_bytes, bandwidth_gbps=ram_bw,
                             backend="cpu", kind="cpu", assumed=True)  # fmt: skip
            devices = [cpu]
        return ParsedHardware(
            text=text.strip(),
            devices=tuple(_merge(devices)),
            system_ram_bytes=ram_bytes,
            system_ram_bandwidth_gbps=ram_bw,
            notes=tuple(dict.fromkeys(self.notes)),
        )


def parse_hardware(
    text: str, entries: Sequence[HardwareEntry] | Mapping[str, HardwareEntry]
) -> ParsedHardware:
    """Devices and system RAM read from `text`.

    Raises `UnreadableHardware` (with suggestions) when a part names nothing in the catalog.
    """
    index = hardware_index(list(entries.values()) if isinstance(entries, Mapping) else entries)
    if not text.strip():
        raise UnreadableHardware(text, "No hardware given.")
    low = NAME_PLUS.sub("+ ", normalize(text))
    cpu_only = bool(CPU_ONLY.search(low))
    if cpu_only:
        low = CPU_ONLY.sub(" ", low)
    reading = _Reading(index)
    pieces = SPLIT.split(low)  # piece, joining word, piece, ...
    for i in range(0, len(pieces), 2):
        piece = pieces[i]
        if not piece.strip():
            continue
        adds = i > 0 and pieces[i - 1] in ADDING_WORDS
        part = _parse_part(piece)
        bare = not [t for t in part.tokens if t not in FILLER]
        if part.is_ram or (cpu_only and bare):
            reading.add_ram(part, piece)
            continue
        entry, ties = None, []
        if part.literal != part.tokens and part.count == 1:  # "dual 4070s" is two 4070s
            entry, ties = resolve(index, part.literal, part.memory_gib)
        if entry is None:
            entry, ties = resolve(index, part.tokens, part.memory_gib)
        if entry is None and not bare:
            part = replace(part, tokens=[t for t in part.tokens if t not in FILLER])
            entry, ties = resolve(index, part.tokens, part.memory_gib)
        if entry is not None:
            reading.add_named(entry, ties, part)
        elif bare and part.memory_gib and part.count == 1 and not adds and reading.size_last(part):
            continue
        elif bare and part.memory_gib is not None:
            reading.add_unnamed_gpu(part)
        else:
            names, ids = suggest(index, part.text)
            message = f"I could not tell which device {part.text!r} is."
            raise UnreadableHardware(text, message, names, ids)
    return reading.finish(text, cpu_only)


def _merge(devices: list[DeviceSpec]) -> list[DeviceSpec]:
    """Fold repeated identical devices ("3090 + 3090") into one spec with a count."""
    out: list[DeviceSpec] = []
    for d in devices:
        for i, o in enumerate(out):
            if o.model_copy(update={"count": 1}) == d.model_copy(update={"count": 1}):
                out[i] = o.model_copy(update={"count": o.count + d.count})
                break
        else:
            out.append(d)
    return out
