"""`/fix PROBLEM`: the errors knowledge base, matched on pasted log lines or a description."""

from __future__ import annotations

from bot.content.snapshot import Snapshot
from bot.handlers.entries import entry_answer, not_found
from bot.schema.answers import Answer
from bot.schema.content import ErrorEntry
from bot.search.normalise import normalise

MIN_MESSAGE_LENGTH = 8
"""Shorter message patterns would match inside unrelated pastes."""


def match_pasted_message(snapshot: Snapshot, text: str) -> ErrorEntry | None:
    """The entry whose known log message appears in the paste; the longest such message wins."""
    pasted = normalise(text)
    # Longest first, so the first message found inside the paste is the most specific one.
    for key, entry in snapshot.error_messages:
        if len(key) >= MIN_MESSAGE_LENGTH and key in pasted:
            return entry
    return None


def fix(snapshot: Snapshot, problem: str) -> Answer:
    """A pasted message that contains a known log line is certain; else fuzzy on titles."""
    pasted = match_pasted_message(snapshot, problem)
    if pasted is not None:
        return entry_answer("fix", problem, pasted, 1.0, snapshot)
    match = snapshot.indexes.errors.resolve(problem)
    if match.confident and match.best is not None:
        entry = snapshot.errors[match.best.entry_id]
        return entry_answer(
            "fix", problem, entry, match.best.score, snapshot, suggestions=match.suggestions
        )
    return not_found("fix", problem, "a fix", match)
