"""Reading the hardware and model options of /cost, /compare and /choosegpu.

With the fit engine installed, hardware text goes through its parser (rigs such as "2x3090",
"M3 Max 128GB"); without it, one device is looked up by name. Either way a miss becomes an
honest "not found" answer with suggestions rather than an exception.
"""

from __future__ import annotations

import re

from bot.content.snapshot import Snapshot
from bot.handlers.entries import not_found
from bot.planning.fitport import FitPort, PlanningInputError, Rig, RigDevice
from bot.schema.answers import Answer
from bot.schema.catalog import HardwareEntry, ModelEntry

GIB = 2**30


def device_of(entry: HardwareEntry, count: int = 1) -> RigDevice:
    """A rig device straight from a catalog entry (used when the fit engine is absent)."""
    kind = "gpu" if entry.device_kind == "gpu" else "unified"
    if entry.device_kind in {"cpu", "ram"}:
        kind = "cpu"
    return RigDevice(
        name=entry.name,
        hardware_id=entry.id,
        count=count,
        memory_bytes=int((entry.memory_gib or 0) * GIB),
        bandwidth_gbps=entry.bandwidth_gbps,
        backend=entry.backends[0],
        kind=kind,  # type: ignore[arg-type]
    )


def read_rig(
    snapshot: Snapshot, text: str, port: FitPort | None, command: str, option: str = "hardware"
) -> Rig | Answer:
    """The rig `text` names, or a not-found answer naming `option` as the missed option."""
    if port is not None:
        try:
            return port.read_rig(text)
        except PlanningInputError as error:
            match = snapshot.indexes.hardware.resolve(text)
            answer = not_found(command, text, "a device", match)
            summary = f"{error.message} {answer.summary}"
            return answer.model_copy(update={"summary": summary, "missed_option": option})
    devices = []
    notes: list[str] = []
    for part in (p for p in re.split(r"\s*\+\s*", text) if p.strip()):
        count, name, memory = _count_and_memory(part)
        match = snapshot.indexes.hardware.resolve(name)
        if memory is not None:
            # "rtx 4060 ti 16gb" names a product with its size; try it whole first.
            whole = snapshot.indexes.hardware.resolve(f"{name} {memory:g}gb")
            if (
                whole.confident
                and whole.best
                and whole.best.score >= (match.best.score if match.best else 0)
            ):
                match = whole
        if not (match.confident and match.best):
            answer = not_found(command, part, "a device", match)
            return answer.model_copy(update={"missed_option": option})
        entry = snapshot.hardware[match.best.entry_id]
        device = device_of(entry, count)
        if memory is not None and memory in entry.memory_options_gib:
            device = device.model_copy(update={"memory_bytes": int(memory * GIB)})
        elif memory is not None and memory != entry.memory_gib:
            notes.append(
                f"The catalog has {entry.name} with {entry.memory_gib:g} GB; the {memory:g} GB "
                "you wrote was not used."
            )
        devices.append(device)
    return Rig(text=text, devices=devices, system_ram_bytes=None, notes=notes)


def _count_and_memory(part: str) -> tuple[int, str, float | None]:
    """ "2x3090" -> (2, "3090", None); "M3 Max 128GB" -> (1, "M3 Max", 128). A small reading for
    builds without the fit engine, whose parser handles far more spellings."""
    count = 1
    text = part.strip()
    # A count is a small number joined by x or * ("2x3090", "3060 x 3", "3090*2"), never the
    # x inside a name ("7900 xtx", "rtx 3090").
    if m := re.match(r"(?i)^([1-9]|1[0-6])\s*[x×*]\s*(.+)$", text):
        count, text = int(m[1]), m[2]
    elif m := re.match(r"(?i)^(.+?)(?:\s+[x×]|\s*\*)\s*([1-9]|1[0-6])$", text):
        text, count = m[1], int(m[2])
    memory = None
    if m := re.search(r"(?i)\b(\d+)\s*gb\b", text):
        bare = (text[: m.start()] + text[m.end() :]).strip()
        if bare:
            memory, text = float(m[1]), bare
    return count, text, memory


def read_model(snapshot: Snapshot, text: str, command: str) -> ModelEntry | Answer:
    """The catalog model `text` names, or a not-found answer."""
    match = snapshot.indexes.models.resolve(text)
    if not (match.confident and match.best):
        answer = not_found(command, text, "a model", match)
        return answer.model_copy(update={"missed_option": "model"})
    return snapshot.models[match.best.entry_id]


def problem(command: str, message: str) -> Answer:
    """An unusable option value, shown privately like the dispatcher's own option errors."""
    return Answer(kind=command, answered=False, title="Can't do that", summary=message, error=True)
