"""Opening the SQLite file: WAL mode, a busy timeout, and the tables created if missing.

Why these settings: WAL lets the web page read while the bot writes; `synchronous=FULL` makes a
commit reach the disk before it returns, so a crash right after a commit loses nothing; the busy
timeout makes concurrent writers (threads or processes) wait their turn instead of failing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_S = 30.0
MAX_EXAMPLES = 5
"""How many distinct spellings of one question are kept for editors."""

OnConnect = Callable[[sqlite3.Connection], None]


def connect(path: Path, on_connect: OnConnect | None = None) -> sqlite_utils.Database:
    """A connection to the store at `path`, with its folder and tables created if missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Autocommit mode: every write below opens its own `BEGIN IMMEDIATE` transaction.
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    db = sqlite_utils.Database(conn)
    db.enable_wal()
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    ensure_schema(db)
    if on_connect is not None:
        on_connect(conn)
    return db


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One atomic write: take the write lock at once, commit on success, roll back on error.

    `BEGIN IMMEDIATE` (not the default deferred) so that two writers never both hold a read
    snapshot and then fail to upgrade it: the second simply waits for the busy timeout.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables and indexes if they are not there yet (safe to call every start)."""
    with write_transaction(db.conn):
        _create_tables(db)


def _create_tables(db: sqlite_utils.Database) -> None:
    db["questions"].create(
        {
            "id": int,
            "command": str,
            "option": str,
            "normalised": str,
            "query": str,
            "examples": str,
            "count": int,
            "reason": str,
            "last_entry_id": str,
            "last_confidence": float,
            "first_seen": str,
            "last_seen": str,
            "last_guild_id": int,
            "last_channel_id": int,
            "status": str,
            "resolved_entry_id": str,
            "resolved_at": str,
        },
        pk="id",
        not_null=[
            "command",
            "option",
            "normalised",
            "query",
            "examples",
            "count",
            "first_seen",
            "last_seen",
            "status",
        ],
        defaults={"count": 1, "status": "open", "examples": "[]", "last_confidence": 0.0},
        if_not_exists=True,
    )
    db["questions"].create_index(
        ["command", "option", "normalised"], unique=True, if_not_exists=True
    )
    db["questions"].create_index(["status", "count"], if_not_exists=True)
    db["askers"].create(
        {"question_id": int, "user_hash": str, "last_seen": str},
        pk=("question_id", "user_hash"),
        foreign_keys=[("question_id", "questions", "id")],
        not_null=["last_seen"],
        if_not_exists=True,
    )
    db["feedback"].create(
        {
            "id": int,
            "command": str,
            "option": str,
            "query": str,
            "normalised": str,
            "reason": str,
            "entry_id": str,
            "confidence": float,
            "detail": str,
            "guild_id": int,
            "channel_id": int,
            "user_hash": str,
            "at": str,
        },
        pk="id",
        not_null=["command", "option", "query", "normalised", "reason", "at"],
        defaults={"detail": "", "confidence": 0.0},
        if_not_exists=True,
    )
    db["feedback"].create_index(["at"], if_not_exists=True)
