"""Nothing is lost: concurrent writers, a writer killed mid-way, a full disk.

Each test checks SQLite's own `PRAGMA integrity_check` and that every row a writer was told was
committed is in the file.
"""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.content.holder import ContentHolder
from bot.handlers.dispatch import Dispatcher, Invocation
from bot.store import MissStore, SqliteMissLog
from tests.conftest import FIXTURE_CONTENT
from tests.store.writer import miss

ROOT = Path(__file__).resolve().parents[2]
THREADS, PER_THREAD = 16, 100
PROCESSES, PER_PROCESS = 4, 150


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def stored_queries(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT query, count FROM questions").fetchall())


def writer(path: Path, prefix: str, count: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.writer", str(path), prefix, str(count), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_many_threads_lose_no_row_and_no_repeat(tmp_path: Path) -> None:
    path = tmp_path / "threads.sqlite"
    store = MissStore(path)

    def work(thread: int) -> None:
        for number in range(PER_THREAD):
            store.record(miss(f"t{thread} q{number}", f"t{thread} q{number}"))
            store.record(miss("Shared question", "shared question"))

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(work, range(THREADS)))
    rows = stored_queries(path)
    assert len(rows) == THREADS * PER_THREAD + 1
    assert rows["Shared question"] == THREADS * PER_THREAD
    assert integrity(path) == "ok"


def test_many_processes_lose_no_row_and_no_repeat(tmp_path: Path) -> None:
    path = tmp_path / "processes.sqlite"
    MissStore(path).check()  # create the file first, as a running bot would have
    procs = [writer(path, f"p{n}", PER_PROCESS) for n in range(PROCESSES)]
    procs += [writer(path, f"s{n}", PER_PROCESS, "--same") for n in range(PROCESSES)]
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    rows = stored_queries(path)
    assert rows.pop("shared question") == PROCESSES * PER_PROCESS
    assert len(rows) == PROCESSES * PER_PROCESS
    assert integrity(path) == "ok"


@pytest.mark.parametrize("kill_after", [1, 50, 400])
def test_a_writer_killed_mid_way_leaves_every_committed_row(
    tmp_path: Path, kill_after: int
) -> None:
    path = tmp_path / "killed.sqlite"
    committed: list[str] = []
    for round_number in range(3):  # the file survives repeated crashes, and reopens each time
        proc = writer(path, f"k{round_number}", 1_000_000)
        assert proc.stdout is not None
        for line in proc.stdout:
            committed.append(f"k{round_number} {int(line.split()[1])}")
            if len(committed) >= kill_after * (round_number + 1):
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        # lines still in the pipe were printed after their commit too
        committed += [f"k{round_number} {int(line.split()[1])}" for line in proc.stdout]
    assert integrity(path) == "ok"
    rows = stored_queries(path)
    missing = [query for query in committed if query not in rows]
    assert missing == []
    # at most one row per kill was committed but not yet printed; none is half there
    assert len(committed) <= len(rows) <= len(committed) + 3


async def test_a_full_disk_keeps_the_file_whole_and_the_bot_answering(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "full.sqlite"
    full_store = MissStore(path, on_connect=lambda conn: conn.execute("PRAGMA max_page_count = 40"))
    written = 0
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for number in range(10_000):
            full_store.record(miss(f"{number} " + "x" * 400, f"{number} long"))
            written += 1
    assert written > 0
    assert integrity(path) == "ok"
    assert len(stored_queries(path)) == written

    dispatcher = Dispatcher(ContentHolder(FIXTURE_CONTENT), SqliteMissLog(full_store))
    known = await dispatcher.run(Invocation(command="define", options={"term": "KV cache"}))
    assert known.answered
    for number in range(20):  # each of these misses needs room the disk no longer has
        term = f"new term {number} " + "z" * 250
        unknown = await dispatcher.run(Invocation(command="define", options={"term": term}))
        assert not unknown.answered
        assert not unknown.error
    assert integrity(path) == "ok"
    assert written <= len(stored_queries(path)) < written + 20
    assert "could not record a miss" in caplog.text


def test_a_repeat_of_an_old_question_still_counts_on_a_full_disk(tmp_path: Path) -> None:
    path = tmp_path / "full-repeat.sqlite"
    store = MissStore(path, on_connect=lambda conn: conn.execute("PRAGMA max_page_count = 40"))
    store.record(miss("early question", "early question"))
    with pytest.raises(sqlite3.OperationalError):
        for number in range(10_000):
            store.record(miss(f"{number} " + "y" * 400, f"{number} filler"))
    # an update in place needs no new page, so repeats are still counted
    store.record(miss("early question", "early question"))
    assert stored_queries(path)["early question"] == 2
    assert integrity(path) == "ok"


def test_the_timestamps_written_sort_as_text() -> None:
    from bot.store.misses import stamp

    earlier = stamp(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    later = stamp(dt.datetime(2026, 1, 2, 3, 4, 5, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=1))
    assert earlier < later
    assert len(earlier) == len(later)
