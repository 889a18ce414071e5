"""`python -m bot editor`: the issue's done-when list end to end, exports, reload, purge."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.holder import ContentHolder
from bot.reload import install_reload_signal, run_dir, signal_running
from bot.store import MissStore
from tests.conftest import FIXTURE_CONTENT


@pytest.fixture(autouse=True)
def fixture_content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNLOCAL_CONTENT_DIR", str(FIXTURE_CONTENT))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def store(data_dir: Path) -> MissStore:
    return MissStore(data_dir / "runlocal.sqlite")


def test_an_unknown_question_is_logged_counted_listed_resolved_and_then_answered(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    assert run(capsys, "ask", "/define Attention memory?")[0] == 1
    [question] = store(data_dir).questions()
    assert (question.command, question.normalised, question.count) == (
        "define",
        "attention memory",
        1,
    )

    assert run(capsys, "ask", "/define attention memory")[0] == 1
    assert store(data_dir).question(question.id).count == 2

    code, out, _ = run(capsys, "editor", "list")
    assert code == 0
    header, row = out.splitlines()
    assert header.split()[:3] == ["id", "count", "askers"]
    assert row.split()[:2] == [str(question.id), "2"]
    assert "Attention memory?" in row

    code, out, _ = run(capsys, "editor", "resolve", str(question.id), "--entry", "kv-cache")
    assert code == 0
    assert "-> kv-cache" in out

    code, out, _ = run(capsys, "ask", "/define attention memory")
    assert code == 0
    assert out.startswith("KV cache\n")
    assert store(data_dir).question(question.id).count == 2  # answered, so no longer a miss


def test_resolve_refuses_an_entry_that_does_not_exist(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    run(capsys, "ask", "/define attention memory")
    code, _, err = run(capsys, "editor", "resolve", "1", "--entry", "kv-cahce")
    assert code == 1
    assert "no entry has id 'kv-cahce'" in err
    assert store(data_dir).question(1).status == "open"
    assert run(capsys, "editor", "resolve", "1", "--entry", "kv-cahce", "--force")[0] == 1


def test_resolve_refuses_an_entry_the_command_cannot_answer_with_unless_forced(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    run(capsys, "ask", "/define attention memory")
    code, _, err = run(capsys, "editor", "resolve", "1", "--entry", "llama3.1-8b")
    assert code == 1
    assert "/define would answer with" in err
    code, _, err = run(capsys, "editor", "resolve", "1", "--entry", "llama3.1-8b", "--force")
    assert code == 0
    assert err.startswith("warning:")
    assert store(data_dir).question(1).resolved_entry_id == "llama3.1-8b"


def test_show_prints_the_examples_and_unknown_ids_fail(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "ask", "/define Attention memory?")
    run(capsys, "ask", "/define attention  memory")
    code, out, _ = run(capsys, "editor", "show", "1")
    assert code == 0
    assert "  - Attention memory?\n  - attention memory\n" in out
    assert run(capsys, "editor", "show", "42")[0] == 2


def test_list_filters_by_command_status_and_date(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "ask", "/define zzz one")
    run(capsys, "ask", "/fix zzz two qqq")
    assert "zzz two" not in run(capsys, "editor", "list", "--command", "define")[1]
    assert "zzz one" in run(capsys, "editor", "list", "--command", "define")[1]
    assert run(capsys, "editor", "list", "--since", "2999-01-01")[1] == "No open questions.\n"
    run(capsys, "editor", "ignore", "1")
    assert "zzz one" not in run(capsys, "editor", "list")[1]
    assert "zzz one" in run(capsys, "editor", "list", "--status", "ignored")[1]
    run(capsys, "editor", "reopen", "1")
    assert "zzz one" in run(capsys, "editor", "list")[1]


def test_export_csv_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "ask", "/define Attention memory?")
    run(capsys, "ask", "/define attention memory")
    code, out, _ = run(capsys, "editor", "export", "--json")
    [row] = json.loads(out)
    assert code == 0
    assert (row["count"], row["examples"]) == (2, ["Attention memory?", "attention memory"])
    code, out, _ = run(capsys, "editor", "export", "--csv")
    [csv_row] = list(csv.DictReader(io.StringIO(out)))
    assert csv_row["examples"] == "Attention memory? | attention memory"
    assert csv_row["count"] == "2"


def test_purge_uses_the_retention_setting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "ask", "/define zzz")
    monkeypatch.setenv("RUNLOCAL_RETENTION_DAYS", "30")
    code, out, _ = run(capsys, "editor", "purge")
    assert code == 0
    assert "0 questions" in out  # asked just now, within 30 days


def test_reload_with_no_bot_running_checks_the_content(
    capsys: pytest.CaptureFixture[str], content_copy: Path
) -> None:
    code, out, _ = run(capsys, "editor", "reload", "--content", str(content_copy))
    assert code == 0
    assert "Content is valid" in out
    assert "No running bot found" in out
    (content_copy / "answers" / "glossary" / "vram.md").write_text("---\nid: [broken\n---\n")
    code, _, err = run(capsys, "editor", "reload", "--content", str(content_copy))
    assert code == 1
    assert "vram.md" in err
    assert "keep their current content" in err


async def test_sighup_reloads_a_running_process_and_a_broken_file_keeps_the_old_content(
    content_copy: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = ContentHolder(content_copy)
    handle = install_reload_signal(holder, data_dir, "test-bot")
    try:
        before = holder.snapshot
        code = await asyncio.to_thread(main, ["editor", "reload", "--content", str(content_copy)])
        out = capsys.readouterr().out
        assert code == 0
        assert f"test-bot (pid {os.getpid()}): ok: reloaded" in out
        assert holder.snapshot is not before

        good = holder.snapshot
        (content_copy / "answers" / "glossary" / "vram.md").write_text("---\nid: [broken\n")
        [outcome] = await asyncio.to_thread(signal_running, data_dir, 10.0)
        assert not outcome.ok
        assert "kept the previous content live" in outcome.message
        assert "vram.md" in outcome.message
        assert holder.snapshot is good
    finally:
        handle.close()
    assert not handle.status_file.exists()


def test_a_status_file_left_by_a_dead_process_is_cleaned_up(data_dir: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    pid = int(dead.stdout)
    folder = run_dir(data_dir)
    folder.mkdir(parents=True)
    (folder / f"{pid}.json").write_text(json.dumps({"pid": pid, "name": "gone"}))
    assert signal_running(data_dir, timeout_s=1) == []
    assert not (folder / f"{pid}.json").exists()
