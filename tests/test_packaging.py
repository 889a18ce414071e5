"""An installed wheel carries the content and finds it without the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_bundles_the_content_and_the_bot_finds_it(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    [wheel] = tmp_path.glob("runlocal_bot-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "site")
    assert "bot/_bundled/answers/README.md" in names
    assert "bot/_bundled/catalog/README.md" in names
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "from bot.content.location import bundled_content_dir; print(bundled_content_dir())",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(found) == tmp_path / "site" / "bot" / "_bundled"
