"""Shared fixtures: the small fixture content tree and a dispatcher over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.holder import ContentHolder
from bot.content.loader import load_content
from bot.content.snapshot import Snapshot
from bot.handlers.dispatch import Dispatcher

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_CONTENT = FIXTURES / "content"


@pytest.fixture(scope="session")
def fixture_snapshot() -> Snapshot:
    return load_content(FIXTURE_CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture content, for tests that break or change files."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def fixture_dispatcher() -> Dispatcher:
    return Dispatcher(ContentHolder(FIXTURE_CONTENT))


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder, so no test writes the editors' log in the checkout."""
    folder = tmp_path / "data"
    monkeypatch.setenv("RUNLOCAL_DATA_DIR", str(folder))
    return folder
