"""The two catalog kinds the planning commands add: cloud prices and hardware prices."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.problems import ContentError

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def test_bundled_cloud_and_price_files_load() -> None:
    snapshot = load_content(REPO)
    assert len(snapshot.cloud) >= 20
    for quote in snapshot.cloud.values():
        assert quote.same_weights_as or quote.comparable_to, quote.id
        assert quote.sources[0].url.startswith("https://")
    priced = [e for e in snapshot.hardware.values() if any(p.condition == "used" for p in e.prices)]
    assert priced, "at least one dated used price is merged into the hardware"
    assert snapshot.indexes.cloud.resolve("OpenRouter meta-llama/llama-3.3-70b-instruct").confident


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURES, target)
    return target


def test_a_price_for_unknown_hardware_is_a_problem(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "catalog" / "prices" / "prices.yaml"
    path.write_text(path.read_text().replace("hardware: rtx-3090", "hardware: rtx-9999"))
    with pytest.raises(ContentError, match="rtx-9999"):
        load_content(root)


def test_a_cloud_price_for_an_unknown_model_is_a_problem(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "catalog" / "cloud" / "cloud.yaml"
    path.write_text(
        path.read_text().replace("same_weights_as: [llama3.3-70b]", "same_weights_as: [nope-1b]")
    )
    with pytest.raises(ContentError, match="nope-1b"):
        load_content(root)


def test_a_bare_on_key_is_read_as_the_date(tmp_path: Path) -> None:
    # YAML reads an unquoted `on:` as the boolean true; quoting it (as the catalog does) works.
    root = _copy(tmp_path)
    path = root / "catalog" / "prices" / "prices.yaml"
    path.write_text(path.read_text().replace('"on": 2026-10-01', "as_of: 2026-10-01", 1))
    assert load_content(root).hardware["rtx-3090"].prices[-1].as_of.isoformat() == "2026-10-01"
