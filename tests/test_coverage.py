"""The editors' coverage report counts entries and names the ones with missing parts."""

from __future__ import annotations

from pathlib import Path

from bot.cli import main
from bot.content.coverage import coverage
from bot.content.loader import load_content


def test_counts_and_gaps_on_the_fixture_content(fixture_snapshot) -> None:
    report = coverage(fixture_snapshot)
    assert report.counts["glossary"] == 2
    # The fixture entries have one-line sections, so every one of them is a stub.
    assert "glossary kv-cache: section definition is a stub" in report.gaps
    assert "hardware rtx-3090: no FP16 compute figure" in report.gaps
    assert not any(gap.startswith("model llama3.1-8b") for gap in report.gaps)


def test_a_model_without_file_sizes_is_listed(content_copy: Path) -> None:
    path = content_copy / "catalog" / "models" / "llama3.1.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("    files:")] + text[text.index("    sources:") :])
    gaps = coverage(load_content(content_copy)).gaps
    assert "model llama3.1-8b: no published file sizes" in gaps


def test_editor_coverage_prints_the_table(capsys, content_copy: Path) -> None:
    assert main(["editor", "coverage", "--content", str(content_copy)]) == 0
    out = capsys.readouterr().out
    assert "glossary       2 / 150" in out
    assert "Entries with missing parts:" in out


def test_one_fix_section_is_a_gap_only_for_an_error_seen_on_several_platforms(
    content_copy: Path,
) -> None:
    path = content_copy / "answers" / "errors" / "cuda-out-of-memory.md"
    text = path.read_text()
    start, end = text.index("### All platforms"), text.index("### NVIDIA / CUDA")
    path.write_text(text[:start] + text[end:])  # only the NVIDIA fixes are left
    gap = "error cuda-out-of-memory: fixes for one platform only"
    assert gap not in coverage(load_content(content_copy)).gaps  # an NVIDIA-only problem
    path.write_text(path.read_text().replace("platforms: [nvidia]", "platforms: [nvidia, amd]"))
    assert gap in coverage(load_content(content_copy)).gaps


def test_a_model_without_an_ollama_tag_is_listed(content_copy: Path) -> None:
    path = content_copy / "catalog" / "models" / "llama3.1.yaml"
    text = path.read_text()
    start = text.index("    ollama_tags:")
    path.write_text(text[:start] + text[text.index("\n", start) + 1 :])
    gaps = coverage(load_content(content_copy)).gaps
    assert "model llama3.1-8b: no Ollama tag" in gaps
