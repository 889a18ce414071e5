"""How much content there is and what is missing from it: the editors' coverage report."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content.snapshot import Snapshot

TARGETS = {
    "glossary": 150,
    "errors": 50,
    "quick": 60,
    "models": 120,
    "hardware": 150,
    "tools": 20,
    "benchmarks": 100,
}
"""What the content issue asks for; the report shows progress against it."""
MIN_SECTION_CHARS = 80
"""A section shorter than this is a stub, whatever its heading says."""


@dataclass(frozen=True)
class Coverage:
    counts: dict[str, int]
    gaps: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        rows = [
            f"{kind:<11} {count:>4} / {TARGETS.get(kind, 0):>3}"
            for kind, count in self.counts.items()
            if kind in TARGETS
        ]
        gaps = [f"  - {gap}" for gap in self.gaps] or ["  (none)"]
        return ["Entries (have / target):", *rows, "", "Entries with missing parts:", *gaps]


def _glossary_gaps(snapshot: Snapshot) -> list[str]:
    gaps = []
    for entry in snapshot.glossary.values():
        for name in ("definition", "deeper_dive", "practical_example", "workflow_example"):
            if len(getattr(entry, name)) < MIN_SECTION_CHARS:
                gaps.append(f"glossary {entry.id}: section {name} is a stub")
        if not any(ch.isdigit() for ch in entry.practical_example):
            gaps.append(f"glossary {entry.id}: practical example has no numbers")
        if "```" not in entry.workflow_example:
            gaps.append(f"glossary {entry.id}: workflow example has no command block")
        if not entry.related:
            gaps.append(f"glossary {entry.id}: no related entries")
    return gaps


def _catalog_gaps(snapshot: Snapshot) -> list[str]:
    gaps = []
    for model in snapshot.models.values():
        if not model.files:
            gaps.append(f"model {model.id}: no published file sizes")
        if not model.ollama_tags:
            gaps.append(f"model {model.id}: no Ollama tag")
        if not model.hf_ids:
            gaps.append(f"model {model.id}: no Hugging Face id")
    for device in snapshot.hardware.values():
        if device.device_kind != "ram" and device.fp16_tflops is None:
            gaps.append(f"hardware {device.id}: no FP16 compute figure")
    for error in snapshot.errors.values():
        several = len(error.platforms) > 1 or "all" in error.platforms
        if several and len(error.fixes) < 2 and "all" not in error.fixes:
            gaps.append(f"error {error.id}: fixes for one platform only")
    return gaps


def coverage(snapshot: Snapshot) -> Coverage:
    """Counts per kind, and entries lacking a section, numbers or commands."""
    return Coverage(
        counts=snapshot.counts(), gaps=_glossary_gaps(snapshot) + _catalog_gaps(snapshot)
    )
