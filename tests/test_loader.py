"""The loader accepts good content and reports every problem in broken content precisely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.problems import ContentError
from bot.transports.validate import run_validate
from tests.conftest import FIXTURE_CONTENT, FIXTURES

BROKEN = FIXTURES / "broken"


def problems_in(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return [str(p) for p in caught.value.problems]


def test_fixture_content_loads_every_kind(fixture_snapshot) -> None:
    assert fixture_snapshot.counts() == {
        "glossary": 2,
        "errors": 1,
        "quick": 1,
        "pages": 0,
        "models": 1,
        "hardware": 1,
        "tools": 1,
        "benchmarks": 1,
    }
    entry = fixture_snapshot.glossary["kv-cache"]
    assert entry.practical_example.startswith("2 × 32")
    assert entry.reviewed_by == "RunLocal editors"


def test_catalog_entries_inherit_the_file_review_stamp(fixture_snapshot) -> None:
    assert str(fixture_snapshot.hardware["rtx-3090"].reviewed_on) == "2026-11-22"


def test_error_fixes_are_split_by_platform(fixture_snapshot) -> None:
    fixes = fixture_snapshot.errors["cuda-out-of-memory"].fixes
    assert set(fixes) == {"all", "nvidia"}
    assert "-ngl" in fixes["nvidia"]


EXPECTED_BROKEN = [
    ("answers/glossary/bad-yaml.md", "-", "-", "not valid YAML"),
    ("answers/glossary/no-front-matter.md", "-", "-", "must start with YAML front matter"),
    ("answers/glossary/typo-field.md", "typo-field", "sources.0.url", "must be https://"),
    ("answers/glossary/typo-field.md", "typo-field", "reviewed_by", "we never name a person"),
    ("answers/glossary/typo-field.md", "typo-field", "category", "is required but missing"),
    ("answers/glossary/typo-field.md", "typo-field", "categroy", "not a known field"),
    ("answers/glossary/unknown-section.md", "unknown-section", "-", "unknown section '## Trivia'"),
    ("answers/glossary/wrong-name.md", "not-the-file-name", "id", "named after its id"),
    (
        "answers/glossary/wrong-name.md",
        "not-the-file-name",
        "-",
        "sections must appear in the order",
    ),
    ("answers/glossary/wrong-name.md", "not-the-file-name", "aliases", "also claimed by clash"),
    ("answers/glossary/clash.md", "clash", "related", "'no-such-entry'"),
    ("answers/errors/bad-platform.md", "bad-platform", "fixes", "'### Windows'"),
    ("answers/errors/bad-platform.md", "bad-platform", "commands", "is required but missing"),
    ("catalog/models/broken.yaml", "half-model", "params_b", "greater than 0"),
    ("catalog/models/broken.yaml", "half-model", "architecture", "multiple of kv_heads"),
    ("catalog/hardware/not-a-list.yaml", "-", "-", "a 'hardware:' list"),
    ("catalog/benchmarks/dangling.yaml", "dangling-bench", "model", "'no-such-model'"),
    ("catalog/benchmarks/dangling.yaml", "dangling-bench", "runtime", "'no-such-runtime'"),
    ("catalog/benchmarks/dangling.yaml", "dangling-bench", "devices", "'no-such-gpu'"),
]


@pytest.mark.parametrize(("file", "entry", "field", "words"), EXPECTED_BROKEN)
def test_each_broken_fixture_is_reported_with_file_entry_and_field(file, entry, field, words):
    prefix = f"{file}: entry {entry}: field {field}: "
    found = [p for p in problems_in(BROKEN) if p.startswith(prefix)]
    assert any(words in p for p in found), f"no problem {prefix}...{words} in {found}"


def test_all_broken_problems_are_reported_in_one_run() -> None:
    assert len(problems_in(BROKEN)) == len(EXPECTED_BROKEN)


def test_duplicate_ids_across_files_are_reported(content_copy: Path) -> None:
    quick = content_copy / "answers" / "quick"
    text = (quick / "second-gpu-faster.md").read_text()
    (quick / "vram.md").write_text(text.replace("id: second-gpu-faster", "id: vram"))
    assert any("the id is already used" in p for p in problems_in(content_copy))


def test_validate_command_exits_nonzero_and_prints_every_problem(capsys) -> None:
    args = type("Args", (), {"content": BROKEN})()
    assert run_validate(args) == 1
    err = capsys.readouterr().err
    assert f"{len(EXPECTED_BROKEN)} problem(s) found." in err
    assert "answers/glossary/typo-field.md: entry typo-field: field categroy:" in err


def test_validate_command_passes_on_good_content(capsys) -> None:
    args = type("Args", (), {"content": FIXTURE_CONTENT})()
    assert run_validate(args) == 0
    assert "Content is valid" in capsys.readouterr().out


def test_a_folder_without_content_is_an_error(tmp_path: Path) -> None:
    assert "no answers/ or catalog/" in problems_in(tmp_path)[0]


def test_snapshot_is_read_only(fixture_snapshot) -> None:
    with pytest.raises(TypeError):
        fixture_snapshot.glossary["new"] = fixture_snapshot.glossary["vram"]


def test_readme_files_in_content_folders_are_not_entries(content_copy: Path) -> None:
    shutil.copy(Path("answers/README.md"), content_copy / "answers" / "glossary" / "README.md")
    assert load_content(content_copy).counts()["glossary"] == 2


def test_a_key_written_twice_is_reported_not_silently_replaced(content_copy: Path) -> None:
    catalog = content_copy / "catalog" / "models" / "llama3.1.yaml"
    text = catalog.read_text()
    catalog.write_text(
        text.replace("    ollama_tags:", '    ollama_tags: ["x:1b"]\n    ollama_tags:', 1)
    )
    glossary = content_copy / "answers" / "glossary" / "kv-cache.md"
    text = glossary.read_text()
    glossary.write_text(text.replace("\nterm:", "\nterm: Twice\nterm:", 1))
    problems = problems_in(content_copy)
    assert any("llama3.1.yaml" in p and "'ollama_tags' is written twice" in p for p in problems)
    assert any("kv-cache.md" in p and "'term' is written twice" in p for p in problems)
