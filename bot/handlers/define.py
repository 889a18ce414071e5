"""`/define TERM` (also `/glossary`): a glossary entry, or suggestions when unsure."""

from __future__ import annotations

from bot.content.snapshot import Snapshot
from bot.handlers.entries import entry_answer, not_found
from bot.schema.answers import Answer


def define(snapshot: Snapshot, term: str) -> Answer:
    """Resolve `term` against glossary terms and aliases."""
    match = snapshot.indexes.glossary.resolve(term)
    if match.confident and match.best is not None:
        entry = snapshot.glossary[match.best.entry_id]
        return entry_answer(
            "define", term, entry, match.best.score, snapshot, suggestions=match.suggestions
        )
    return not_found("define", term, "a glossary entry", match)
