"""An in-process reload, and the few lines a chat reply gives about a broken file."""

from __future__ import annotations

from pathlib import Path

from bot.content.holder import ContentHolder
from bot.content.problems import Problem
from bot.reload import ContentReload, try_reload


def test_a_broken_file_keeps_the_snapshot_and_names_the_file(content_copy: Path) -> None:
    holder = ContentHolder(content_copy)
    good = holder.snapshot
    (content_copy / "answers" / "glossary" / "vram.md").write_text("---\nid: [broken\n---\n")
    outcome = try_reload(holder)
    assert not outcome.ok
    assert holder.snapshot is good
    brief = outcome.brief(content_copy)
    assert brief.startswith("Kept the previous content live:")
    assert "`answers/glossary/vram.md`" in brief
    assert str(content_copy) not in brief
    assert "vram.md" in outcome.message  # the full text, for logs and status files


def test_a_good_reload_gives_the_counts(content_copy: Path) -> None:
    holder = ContentHolder(content_copy)
    before = holder.snapshot
    outcome = try_reload(holder)
    assert outcome.ok
    assert holder.snapshot is not before
    assert outcome.brief(content_copy).startswith("Reloaded: ")
    assert "glossary" in outcome.brief(content_copy)


def test_the_brief_lists_a_few_problems_and_counts_the_rest(tmp_path: Path) -> None:
    problems = tuple(
        Problem(file=f"answers/glossary/e{n}.md", entry=f"e{n}", field="sources", message="m")
        for n in range(8)
    )
    lines = ContentReload(ok=False, problems=problems).brief(tmp_path, shown=5).splitlines()
    assert lines[0] == "Kept the previous content live: 8 problems."
    assert lines[1] == "- `answers/glossary/e0.md` (e0, `sources`): m"
    assert len(lines) == 1 + 5 + 1
    assert lines[-1].startswith("- and 3 more")


def test_a_path_outside_the_folder_shows_only_its_name(tmp_path: Path) -> None:
    outside = Problem(file="/srv/elsewhere/secret/place.md", message="unreadable")
    root = Problem(file=str(tmp_path), message="no answers/ or catalog/ folder here")
    brief = ContentReload(ok=False, problems=(outside, root)).brief(tmp_path)
    assert "/srv" not in brief
    assert "`place.md`" in brief
    assert "- the content folder: no answers/" in brief
