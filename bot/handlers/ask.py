"""`/ask QUESTION`: free text routed to the best quick answer, error fix or glossary entry."""

from __future__ import annotations

from bot.content.snapshot import Snapshot
from bot.handlers.entries import entry_answer, not_found
from bot.handlers.fix import match_pasted_message
from bot.schema.answers import Answer, Suggestion
from bot.search.resolver import ANSWER_THRESHOLD, Match

KIND_PREFERENCE = {"quick": 0.02, "error": 0.01, "glossary": 0.0}
"""On a near tie, a question is more likely a quick answer than a definition."""


def _merged(matches: list[Match]) -> list[Suggestion]:
    candidates = [s for m in matches for s in ([m.best] if m.best else []) + m.suggestions]
    ranked = sorted(candidates, key=lambda s: -(s.score + KIND_PREFERENCE.get(s.kind, 0.0)))
    seen: set[str] = set()
    unique = []
    for suggestion in ranked:
        if suggestion.entry_id not in seen:
            seen.add(suggestion.entry_id)
            unique.append(suggestion)
    return unique


def ask(snapshot: Snapshot, question: str) -> Answer:
    """Search quick answers, errors and the glossary together; answer only when confident."""
    pasted = match_pasted_message(snapshot, question)
    if pasted is not None:
        return entry_answer("ask", question, pasted, 1.0, snapshot)
    indexes = snapshot.indexes
    matches = []
    for index in (indexes.quick, indexes.errors, indexes.glossary):
        match = index.resolve(question)
        if match.best is not None and match.best.score == 1.0:
            # An exact name is certain; searching the other kinds cannot do better.
            entry = snapshot.answer_entry(match.best.entry_id)
            if entry is not None:
                return entry_answer("ask", question, entry, 1.0, snapshot)
        matches.append(match)
    ranked = _merged(matches)
    if ranked and ranked[0].score >= ANSWER_THRESHOLD:
        best = ranked[0]
        entry = snapshot.answer_entry(best.entry_id)
        if entry is not None:
            return entry_answer(
                "ask", question, entry, best.score, snapshot, suggestions=ranked[1:4]
            )
    best_match = Match(query=question, best=ranked[0] if ranked else None, suggestions=ranked[1:5])
    return not_found("ask", question, "an answer", best_match)
