"""The store of missed questions and feedback: record, look up, review, resolve, purge.

Synchronous and thread-safe: every thread gets its own SQLite connection (a connection must not
be shared between threads mid-transaction). The bot reaches it through `SqliteMissLog`, which
runs these calls on a worker thread so the event loop never waits on the disk.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.schema.misses import Miss
from bot.store.database import MAX_EXAMPLES, OnConnect, connect, write_transaction
from bot.store.records import Feedback, PurgeReport, Question, Status

log = logging.getLogger(__name__)

FEEDBACK_REASONS = frozenset({"not_helpful", "report", "helpful"})
"""Reasons that are a reaction to an answer rather than a question the bot missed."""

_UPSERT_QUESTION = f"""
INSERT INTO questions (
    command, option, normalised, query, examples, count, reason, last_entry_id,
    last_confidence, first_seen, last_seen, last_guild_id, last_channel_id, status
) VALUES (
    :command, :option, :normalised, :query, json_array(:query), 1, :reason, :entry_id,
    :confidence, :at, :at, :guild_id, :channel_id, 'open'
)
ON CONFLICT (command, option, normalised) DO UPDATE SET
    count = count + 1,
    reason = excluded.reason,
    last_entry_id = excluded.last_entry_id,
    last_confidence = excluded.last_confidence,
    first_seen = min(first_seen, excluded.first_seen),
    last_seen = max(last_seen, excluded.last_seen),
    last_guild_id = coalesce(excluded.last_guild_id, last_guild_id),
    last_channel_id = coalesce(excluded.last_channel_id, last_channel_id),
    examples = CASE
        WHEN json_array_length(examples) >= {MAX_EXAMPLES}
          OR EXISTS (SELECT 1 FROM json_each(questions.examples) WHERE value = excluded.query)
        THEN examples
        ELSE json_insert(examples, '$[#]', excluded.query)
    END
RETURNING id
"""

_UPSERT_ASKER = """
INSERT INTO askers (question_id, user_hash, last_seen) VALUES (?, ?, ?)
ON CONFLICT (question_id, user_hash) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen)
"""

_QUESTION_COLUMNS = """
q.*, (SELECT count(*) FROM askers a WHERE a.question_id = q.id) AS askers
"""


class UnknownQuestionError(LookupError):
    """No question has this id (a typo, or it was purged)."""


def stamp(at: dt.datetime) -> str:
    """UTC, fixed width, sortable as text: `2026-11-22 21:30:05`."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class MissStore:
    """Missed questions and feedback in one SQLite file. Opens lazily, one connection a thread."""

    def __init__(self, path: Path, on_connect: OnConnect | None = None) -> None:
        self.path = path
        self._on_connect = on_connect
        self._local = threading.local()
        self._all: list[sqlite_utils.Database] = []
        self._all_lock = threading.Lock()

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection, opened (and the tables created) on first use."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path, self._on_connect)
            self._local.db = db
            with self._all_lock:
                self._all.append(db)
        return db

    def close(self) -> None:
        """Close every connection this store opened, in any thread."""
        with self._all_lock:
            for db in self._all:
                db.conn.close()
            self._all.clear()
        self._local = threading.local()

    # -- what the bot writes -------------------------------------------------------------

    def record(self, miss: Miss) -> int:
        """Log one miss; return the id of its question (or feedback) row.

        A question asked again raises the count of its existing row rather than adding one;
        feedback (`not_helpful`, `report`, `helpful`) gets a row of its own every time.
        """
        conn = self.db.conn
        at = stamp(miss.at)
        with write_transaction(conn):
            if miss.reason in FEEDBACK_REASONS:
                return self._insert_feedback(conn, miss, at)
            params = {
                "command": miss.command,
                "option": miss.option,
                "normalised": _storable(miss.normalised),
                "query": _storable(miss.query),
                "reason": miss.reason,
                "entry_id": miss.answered_entry_id,
                "confidence": miss.confidence,
                "at": at,
                "guild_id": miss.guild_id,
                "channel_id": miss.channel_id,
            }
            (question_id,) = conn.execute(_UPSERT_QUESTION, params).fetchone()
            if miss.user_hash:
                conn.execute(_UPSERT_ASKER, (question_id, miss.user_hash, at))
        return int(question_id)

    @staticmethod
    def _insert_feedback(conn: sqlite3.Connection, miss: Miss, at: str) -> int:
        cursor = conn.execute(
            "INSERT INTO feedback (command, option, query, normalised, reason, entry_id,"
            " confidence, detail, guild_id, channel_id, user_hash, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                miss.command,
                miss.option,
                _storable(miss.query),
                _storable(miss.normalised),
                miss.reason,
                miss.answered_entry_id,
                miss.confidence,
                miss.detail,
                miss.guild_id,
                miss.channel_id,
                miss.user_hash,
                at,
            ),
        )
        return int(cursor.lastrowid or 0)

    def resolution(self, command: str, option: str, normalised: str) -> str | None:
        """The entry an editor linked to this question, or None while it is not resolved."""
        row = self.db.execute(
            "SELECT resolved_entry_id FROM questions WHERE command = ? AND option = ?"
            " AND normalised = ? AND status = 'resolved'",
            [command, option, _storable(normalised)],
        ).fetchone()
        return row[0] if row else None

    def resolutions(self) -> dict[tuple[str, str, str], str]:
        """Every editor's link at once: (command, option, normalised) -> entry id."""
        rows = self.db.execute(
            "SELECT command, option, normalised, resolved_entry_id FROM questions"
            " WHERE status = 'resolved' AND resolved_entry_id IS NOT NULL"
        ).fetchall()
        return {(command, option, normalised): entry for command, option, normalised, entry in rows}

    # -- what editors read ---------------------------------------------------------------

    def questions(
        self,
        command: str | None = None,
        status: Status | None = None,
        since: dt.datetime | None = None,
        limit: int | None = None,
    ) -> list[Question]:
        """Questions, most asked first (ties: most recent first), filtered as given.

        `since` keeps questions last asked at or after that time.
        """
        where, params = [], []
        if command:
            where.append("q.command = ?")
            params.append(command.lstrip("/").lower())
        if status:
            where.append("q.status = ?")
            params.append(status)
        if since:
            where.append("q.last_seen >= ?")
            params.append(stamp(since))
        sql = f"SELECT {_QUESTION_COLUMNS} FROM questions q"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY q.count DESC, q.last_seen DESC, q.id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_question(row) for row in self._rows(sql, params)]

    def question(self, question_id: int) -> Question:
        """One question by id; raise UnknownQuestionError if there is none."""
        rows = self._rows(
            f"SELECT {_QUESTION_COLUMNS} FROM questions q WHERE q.id = ?", [question_id]
        )
        if not rows:
            raise UnknownQuestionError(f"no question has id {question_id}")
        return _question(rows[0])

    def feedback(
        self, since: dt.datetime | None = None, limit: int | None = None
    ) -> list[Feedback]:
        """Feedback rows, newest first."""
        sql, params = "SELECT * FROM feedback", []
        if since:
            sql += " WHERE at >= ?"
            params.append(stamp(since))
        sql += " ORDER BY at DESC, id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [Feedback(**row) for row in self._rows(sql, params)]

    def _rows(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- what editors change -------------------------------------------------------------

    def resolve(self, question_id: int, entry_id: str, at: dt.datetime | None = None) -> Question:
        """Link a question to the entry that answers it; the bot uses it from the next ask."""
        return self._set_status(question_id, "resolved", entry_id, at)

    def ignore(self, question_id: int, at: dt.datetime | None = None) -> Question:
        """Mark a question as not worth an entry (spam, off-topic); it leaves the open list."""
        return self._set_status(question_id, "ignored", None, at)

    def reopen(self, question_id: int) -> Question:
        """Put a resolved or ignored question back on the open list."""
        return self._set_status(question_id, "open", None, None)

    def _set_status(
        self, question_id: int, status: Status, entry_id: str | None, at: dt.datetime | None
    ) -> Question:
        resolved_at = stamp(at or _now()) if status == "resolved" else None
        conn = self.db.conn
        with write_transaction(conn):
            cursor = conn.execute(
                "UPDATE questions SET status = ?, resolved_entry_id = ?, resolved_at = ?"
                " WHERE id = ?",
                (status, entry_id, resolved_at, question_id),
            )
            if cursor.rowcount == 0:
                raise UnknownQuestionError(f"no question has id {question_id}")
        log.info("question %s is now %s %s", question_id, status, entry_id or "")
        return self.question(question_id)

    def purge(self, days: int, now: dt.datetime | None = None) -> PurgeReport:
        """Delete what users typed that is older than `days`.

        Open and ignored questions last asked before the cutoff go, with their askers, as does
        old feedback. Resolved questions stay (they are editors' work: the link that makes the
        bot answer), but their old examples and askers are dropped.
        """
        cutoff = stamp((now or _now()) - dt.timedelta(days=days))
        conn = self.db.conn
        with write_transaction(conn):
            askers = conn.execute(
                "DELETE FROM askers WHERE last_seen < ? OR question_id IN"
                " (SELECT id FROM questions WHERE last_seen < ? AND status != 'resolved')",
                (cutoff, cutoff),
            ).rowcount
            questions = conn.execute(
                "DELETE FROM questions WHERE last_seen < ? AND status != 'resolved'", (cutoff,)
            ).rowcount
            cleared = conn.execute(
                "UPDATE questions SET examples = '[]' WHERE last_seen < ?"
                " AND status = 'resolved' AND examples != '[]'",
                (cutoff,),
            ).rowcount
            feedback = conn.execute("DELETE FROM feedback WHERE at < ?", (cutoff,)).rowcount
        return PurgeReport(
            cutoff=cutoff,
            questions=questions,
            askers=askers,
            feedback=feedback,
            examples_cleared=cleared,
        )

    def check(self) -> str:
        """SQLite's own quick check: "ok" when the file is whole."""
        return str(self.db.execute("PRAGMA quick_check").fetchone()[0])


def _storable(text: str) -> str:
    """Text without NUL characters, which SQLite's JSON functions cut strings at."""
    return text.replace("\x00", "")


def _question(row: dict[str, Any]) -> Question:
    row["examples"] = json.loads(row["examples"] or "[]")
    return Question(**row)
