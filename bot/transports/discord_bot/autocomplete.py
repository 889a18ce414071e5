"""Autocomplete choices for an option, from the in-memory indexes of the current snapshot.

Pure (no discord import) and fast: a lookup is a prefix scan plus one rapidfuzz pass over a few
thousand names, well inside Discord's three-second deadline. Names and values fit Discord's
1-100 character rule and there are never more than 25 choices, whatever was typed.
"""

from __future__ import annotations

import logging

from bot.content.snapshot import Snapshot
from bot.handlers.spec import IndexName
from bot.render.limits import CHOICE_NAME, CHOICE_VALUE, CHOICES, cut, scrub
from bot.schema.answers import Suggestion

log = logging.getLogger(__name__)

MAX_TYPED = 100
"""Only the first characters typed are searched: enough to rank, and bounded in time."""
ECHO_TYPED: frozenset[IndexName] = frozenset({"ask", "errors", "hardware"})
"""Free-text options where what the user typed is itself a good value ("2x RTX 3090")."""
KIND_MARK = {"glossary": "term", "error": "fix", "quick": "question"}


def _suggestions(snapshot: Snapshot, index: IndexName, typed: str) -> list[Suggestion]:
    indexes = snapshot.indexes
    if index != "ask":
        return getattr(indexes, index).complete(typed, limit=CHOICES)
    merged: list[Suggestion] = []
    for resolver in (indexes.quick, indexes.errors, indexes.glossary):
        merged.extend(resolver.complete(typed, limit=CHOICES))
    merged.sort(key=lambda s: -s.score)
    return merged


def _clean(text: str, limit: int) -> str:
    return cut(" ".join(scrub(text).split()), limit)


def choices(snapshot: Snapshot, index: IndexName, typed: str) -> list[tuple[str, str]]:
    """Up to 25 (name, value) pairs, best first; [] rather than an error on any failure."""
    typed = _clean(typed[: MAX_TYPED * 4], MAX_TYPED)
    try:
        found = _suggestions(snapshot, index, typed)
    except Exception:
        log.exception("autocomplete on %s failed for %r", index, typed)
        found = []
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    if typed and index in ECHO_TYPED:
        pairs.append((_clean(typed, CHOICE_NAME), _clean(typed, CHOICE_VALUE)))
        seen.add(pairs[0][1].casefold())
    for suggestion in found:
        value = _clean(suggestion.title, CHOICE_VALUE)
        if not value or value.casefold() in seen:
            continue
        seen.add(value.casefold())
        label = suggestion.title
        if index == "ask" and suggestion.kind in KIND_MARK:
            label = f"{suggestion.title} ({KIND_MARK[suggestion.kind]})"
        pairs.append((_clean(label, CHOICE_NAME), value))
        if len(pairs) == CHOICES:
            break
    return [(name, value) for name, value in pairs if name and value]


ENTRY_KINDS = (("glossary", "term"), ("errors", "fix"), ("quick", "question"))
"""The answer kinds `/resolve` links to, with the word that marks each in a choice."""


def entry_choices(snapshot: Snapshot, typed: str) -> list[tuple[str, str]]:
    """Up to 25 (name, value) pairs for `/resolve`'s `entry`: the value is always an entry id.

    Ids that start with what was typed come first (editors often know the id), then entries
    whose title or alias matches, best first, from the same in-memory indexes as every other
    autocomplete. [] rather than an error on any failure.
    """
    typed = _clean(typed[: MAX_TYPED * 4], MAX_TYPED)
    key = "-".join(typed.lower().split())
    labels: dict[str, str] = {}
    try:
        for attribute, mark in ENTRY_KINDS:
            entries = getattr(snapshot, attribute)
            for entry_id in sorted(e for e in entries if e.startswith(key))[:CHOICES]:
                labels[entry_id] = f"{entries[entry_id].title} · {mark}"
        by_id = sorted(labels)
        ranked: list[tuple[float, str, str]] = []
        if typed:
            for attribute, mark in ENTRY_KINDS:
                for found in getattr(snapshot.indexes, attribute).complete(typed, CHOICES):
                    ranked.append((found.score, found.entry_id, f"{found.title} · {mark}"))
        for _, entry_id, label in sorted(ranked, key=lambda r: -r[0]):
            labels.setdefault(entry_id, label)
    except Exception:
        log.exception("entry autocomplete failed for %r", typed)
        return []
    first = set(by_id)
    ordered = by_id + [e for e in labels if e not in first]
    return [
        (_clean(f"{entry_id} — {labels[entry_id]}", CHOICE_NAME), entry_id)
        for entry_id in ordered
        if len(entry_id) <= CHOICE_VALUE
    ][:CHOICES]
