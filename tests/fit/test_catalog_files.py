"""Every published GGUF size in the catalog agrees with the per-tensor arithmetic.

This is the check that the recipe in bot/fit/quant.py and the architectures in catalog/models/
describe the same files: a wrong KV-head count, a mislabelled quantization or a recipe bug shows
up here. Skipped when the catalog has no files yet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.fit.quant import normalize_quant
from bot.fit.weights import weight_layout
from bot.schema.catalog import ModelEntry

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = 0.05

KNOWN_DISAGREEMENTS = {
}


def _cases() -> list[tuple[str, str, float]]:
    try:
        snapshot = load_content(ROOT)
    except Exception:  # the catalog is checked by its own tests; skip here
        return []
    cases = []
    for model in snapshot.models.values():
        for f in model.files:
            quant = normalize_quant(f.quant)
            if quant:
                cases.append((model.id, quant, f.size_gb))
    return cases


CASES = _cases()
_MODELS: dict[str, ModelEntry] = {}


def _model(model_id: str) -> ModelEntry:
    if not _MODELS:
        _MODELS.update(load_content(ROOT).models)
    return _MODELS[model_id]


@pytest.mark.skipif(not CASES, reason="the catalog has no published files yet")
@pytest.mark.parametrize(("model_id", "quant", "size_gb"), CASES)
def test_published_size_agrees(model_id: str, quant: str, size_gb: float) -> None:
    if (model_id, quant) in KNOWN_DISAGREEMENTS:
        pytest.xfail(KNOWN_DISAGREEMENTS[(model_id, quant)])
    model = _model(model_id)
    computed = weight_layout(model.architecture, quant, model.params_b).file_bytes / 1e9
    assert computed == pytest.approx(size_gb, rel=TOLERANCE), f"{computed:.2f} GB computed"
