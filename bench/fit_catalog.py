"""Load a catalog for the fit benches: the repository's, or the test fixtures when it is empty."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.content.loader import load_content
from bot.content.problems import ContentError
from bot.schema.catalog import BenchmarkEntry, HardwareEntry, ModelEntry

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fit" / "fixtures"


@dataclass(frozen=True)
class BenchCatalog:
    models: dict[str, ModelEntry]
    hardware: dict[str, HardwareEntry]
    benchmarks: dict[str, BenchmarkEntry] = field(default_factory=dict)


def _fixtures() -> BenchCatalog:
    models = yaml.safe_load((FIXTURES / "models.yaml").read_text())["models"]
    hardware = yaml.safe_load((FIXTURES / "hardware.yaml").read_text())["hardware"]
    return BenchCatalog(
        models={m["id"]: ModelEntry.model_validate(m) for m in models},
        hardware={h["id"]: HardwareEntry.model_validate(h) for h in hardware},
    )


def load_catalog(root: Path) -> tuple[BenchCatalog, str]:
    """The catalog under `root` (models, hardware, benchmarks), or the fit test fixtures when
    `root` has no models yet; the second value says which."""
    try:
        snapshot = load_content(root)
    except ContentError as error:
        raise SystemExit(f"content under {root} does not load:\n{error}") from error
    if not snapshot.models:
        return _fixtures(), "test fixtures (the catalog has no models yet)"
    catalog = BenchCatalog(
        models=dict(snapshot.models),
        hardware=dict(snapshot.hardware),
        benchmarks=dict(snapshot.benchmarks),
    )
    return catalog, f"catalog under {root}"
