"""Fixtures: a small catalog (models and hardware in the catalog's YAML format)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from bot.schema.catalog import BenchmarkEntry, HardwareEntry, ModelEntry

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass(frozen=True)
class FixtureCatalog:
    models: tuple[ModelEntry, ...]
    hardware: tuple[HardwareEntry, ...]
    benchmarks: tuple[BenchmarkEntry, ...] = field(default=())

    def model(self, model_id: str) -> ModelEntry:
        return next(m for m in self.models if m.id == model_id)

    def device(self, hardware_id: str) -> HardwareEntry:
        return next(h for h in self.hardware if h.id == hardware_id)


def load_fixture_catalog() -> FixtureCatalog:
    models = yaml.safe_load((FIXTURES / "models.yaml").read_text())["models"]
    hardware = yaml.safe_load((FIXTURES / "hardware.yaml").read_text())["hardware"]
    return FixtureCatalog(
        models=tuple(ModelEntry.model_validate(m) for m in models),
        hardware=tuple(HardwareEntry.model_validate(h) for h in hardware),
    )


@pytest.fixture(scope="session")
def catalog() -> FixtureCatalog:
    return load_fixture_catalog()
