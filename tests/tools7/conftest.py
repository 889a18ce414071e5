"""Fixtures for the planning commands: a small catalog and a fake fit engine with
hand-computable numbers.

The fake engine's rules (so every expected figure in these tests can be worked out by hand):
- a model needs NEED_GIB[model] GiB at any quantization and context;
- it runs on the GPU when the rig's GPU memory >= need, with offload when twice the memory
  >= need, and does not run otherwise;
- decode speed is 0.5x to 0.8x of (the slowest device's bandwidth in GB/s / need in GiB).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content.holder import ContentHolder
from bot.content.loader import load_content
from bot.content.snapshot import Snapshot
from bot.handlers.dispatch import Dispatcher
from bot.handlers.planning_input import device_of
from bot.planning import fitport
from bot.planning.fitport import FitOutcome, PlanningInputError, Rig

FIXTURES = Path(__file__).parent / "fixtures"
GIB = 2**30
NEED_GIB = {
    "llama3.1-8b": 6.0,
    "llama3.3-70b": 44.0,
    "qwen2.5-32b": 21.0,
    "qwen2.5-coder-32b": 21.0,
}


class FakePort:
    """A FitPort with the rules above; records every fit call it answers."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.calls: list[tuple[str, str, str | None, int | None]] = []

    def read_rig(self, text: str) -> Rig:
        devices = []
        for raw in re.split(r"\s*\+\s*", text.strip()):
            count, part = 1, raw
            m = re.match(r"(?i)^(\d+)\s*x\s*(.*)$", raw)
            if m:
                count, part = int(m[1]), m[2]
            memory = re.search(r"(?i)(\d+)\s*gb", part)
            name = re.sub(r"(?i)\s*\d+\s*gb\b", "", part).strip()
            match = self.snapshot.indexes.hardware.resolve(name)
            if not (match.confident and match.best):
                raise PlanningInputError(f"I could not tell which device {part!r} is.")
            entry = self.snapshot.hardware[match.best.entry_id]
            device = device_of(entry, count)
            if memory and entry.memory_options_gib and float(memory[1]) in entry.memory_options_gib:
                device = device.model_copy(update={"memory_bytes": int(memory[1]) * GIB})
            devices.append(device)
        return Rig(text=text, devices=devices)

    def fit(
        self, model: str, rig_text: str, *, quant: str | None = None, context: int | None = None
    ) -> FitOutcome:
        self.calls.append((model, rig_text, quant, context))
        match = self.snapshot.indexes.models.resolve(model)
        if not (match.confident and match.best):
            raise PlanningInputError(f"I don't know the model {model!r}.")
        entry = self.snapshot.models[match.best.entry_id]
        rig = self.read_rig(rig_text)
        need = NEED_GIB[entry.id]
        memory = sum(d.memory_bytes * d.count for d in rig.devices) / GIB
        bandwidth = min(d.bandwidth_gbps for d in rig.devices)
        if memory >= need:
            verdict = "runs_on_gpu"
        elif memory * 2 >= need:
            verdict = "runs_with_offload"
        else:
            verdict = "does_not_run"
        return FitOutcome(
            model_id=entry.id,
            model_name=entry.name,
            params_b=entry.params_b,
            quant=quant or "Q4_K_M",
            context=context or 4096,
            verdict=verdict,  # type: ignore[arg-type]
            total_bytes=int(need * GIB),
            gpu_bytes=int(min(need, memory) * GIB),
            decode_low=0.5 * bandwidth / need,
            decode_high=0.8 * bandwidth / need,
        )


@pytest.fixture(scope="session")
def planning_snapshot() -> Snapshot:
    return load_content(FIXTURES)


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> list[FakePort]:
    """Swap the fit engine for the fake; the list receives each port handed out."""
    ports: list[FakePort] = []

    def port_for(snapshot: Snapshot) -> FakePort:
        port = FakePort(snapshot)
        ports.append(port)
        return port

    monkeypatch.setattr(fitport, "port_for", port_for)
    return ports


@pytest.fixture
def no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Behave as a build without the fit engine."""
    monkeypatch.setattr(fitport, "port_for", lambda snapshot: None)


@pytest.fixture
def planning_dispatcher() -> Dispatcher:
    return Dispatcher(ContentHolder(FIXTURES))
