"""The few things /compare, /cost and /choosegpu need from the fit engine, behind one small port.

The commands ask two questions: "what hardware is this text?" and "does this model fit on
that hardware, and how fast does it decode?". `FitPort` is that interface; `engine_port` adapts
the fit engine (`bot.fit`) to it when the engine is installed, and returns None when it is not,
so each command can say plainly which part of its answer needs the engine. Tests pass a fake
port with hand-computed numbers.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import TYPE_CHECKING, Literal, Protocol

from bot.schema.common import Frozen, Source

if TYPE_CHECKING:
    from bot.content.snapshot import Snapshot

log = logging.getLogger(__name__)

Verdict = Literal["runs_on_gpu", "runs_with_offload", "does_not_run"]


class PlanningInputError(ValueError):
    """Text the port cannot read (unknown model, unreadable hardware); carries suggestions."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []


class RigDevice(Frozen):
    """One kind of device in a rig (identical cards are one device with a count)."""

    name: str
    hardware_id: str | None = None
    count: int = 1
    memory_bytes: int
    """Memory of one unit."""
    bandwidth_gbps: float
    backend: str
    kind: Literal["gpu", "unified", "cpu"]
    assumed: bool = False
    """True when the device was not named, only sized ("16gb vram")."""


class Rig(Frozen):
    """Hardware as read from what a user typed: devices, system RAM, and reading notes."""

    text: str
    devices: list[RigDevice]
    system_ram_bytes: int | None = None
    notes: list[str] = []

    @property
    def label(self) -> str:
        """ "2x NVIDIA GeForce RTX 3090 + ...": how the rig is named in answers."""
        return " + ".join(f"{d.count}x {d.name}" if d.count > 1 else d.name for d in self.devices)


class FitOutcome(Frozen):
    """The part of a fit estimate the planning commands use."""

    model_id: str
    model_name: str
    params_b: float
    quant: str
    context: int
    verdict: Verdict
    total_bytes: int
    """Memory the model needs at this quantization and context, all devices together."""
    gpu_bytes: int
    """The part of it on the GPUs: runtimes keep a little on the CPU side even when every layer
    is on the GPU (Ollama's token embeddings), so a 10 GiB card can hold a 10.7 GiB total."""
    decode_low: float
    decode_high: float
    """Estimated decode speed range, tokens per second."""
    sources: list[Source] = []


class FitPort(Protocol):
    """What the planning commands ask of the fit engine."""

    def read_rig(self, text: str) -> Rig:
        """The hardware in `text`; raises PlanningInputError when it names nothing known."""
        ...

    def fit(
        self, model: str, rig_text: str, *, quant: str | None = None, context: int | None = None
    ) -> FitOutcome:
        """Fit and speed of `model` on the hardware in `rig_text`; raises PlanningInputError."""
        ...


class EnginePort:
    """`FitPort` over the fit engine (`bot.fit.engine.estimate` and its hardware parser)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def read_rig(self, text: str) -> Rig:
        from bot.fit.errors import FitInputError
        from bot.fit.hardware_parser import parse_hardware

        try:
            parsed = parse_hardware(text, self.snapshot.hardware)
        except FitInputError as error:
            raise PlanningInputError(error.message, error.suggestions) from None
        return Rig(
            text=parsed.text,
            devices=[RigDevice.model_validate(d, from_attributes=True) for d in parsed.devices],
            system_ram_bytes=parsed.system_ram_bytes,
            notes=list(parsed.notes),
        )

    def fit(
        self, model: str, rig_text: str, *, quant: str | None = None, context: int | None = None
    ) -> FitOutcome:
        from bot.fit.engine import estimate
        from bot.fit.errors import FitInputError
        from bot.schema.fit import FitRequest

        request = FitRequest(model=model, hardware=rig_text, quant=quant, context=context)
        try:
            result = estimate(request, self.snapshot)
        except FitInputError as error:
            raise PlanningInputError(error.message, error.suggestions) from None
        except Exception:
            # One model the engine cannot handle must not sink a whole comparison or ranking.
            log.exception("fit engine failed on %r / %r", model, rig_text)
            raise PlanningInputError(f"The fit engine could not estimate {model}.") from None
        understood = result.understood.model
        decode = result.speed.decode_tokens_per_s
        return FitOutcome(
            model_id=understood.id,
            model_name=understood.name,
            params_b=understood.params_b,
            quant=understood.quant,
            context=result.understood.context,
            verdict=result.verdict,
            total_bytes=result.memory.total_bytes,
            gpu_bytes=sum(d.total_bytes for d in result.memory.per_device[:-1]),
            decode_low=decode.low,
            decode_high=decode.high,
            sources=list(result.sources),
        )


def engine_available() -> bool:
    """True when the fit engine package is installed in this checkout."""
    return importlib.util.find_spec("bot.fit.engine") is not None


def port_for(snapshot: Snapshot) -> FitPort | None:
    """The fit engine as a port over this snapshot, or None when the engine is not installed.

    Handlers call this through the module (`fitport.port_for`) so tests can swap in a fake."""
    try:
        if not engine_available():
            return None
    except ModuleNotFoundError:
        return None
    return EnginePort(snapshot)


ENGINE_MISSING = (
    "The fit engine is not installed in this build, so memory fit and speed estimates are "
    "left out of this answer."
)
