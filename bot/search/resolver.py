"""Resolve what a person typed to an entry, with a confidence and "did you mean" suggestions.

An index holds every name of every entry (term, aliases, tags...) in normalised form. An exact
normalised hit is certain; otherwise rapidfuzz scores the query against every name, the best
score per entry counts, and the answer is given only above a confidence threshold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from bot.schema.answers import Suggestion
from bot.search.normalise import normalise

ANSWER_THRESHOLD = 0.84
"""Below this a match is only a suggestion: wrong answers cost more than "did you mean"."""
SUGGEST_THRESHOLD = 0.55
MAX_SUGGESTIONS = 5
NUMBER_MISMATCH_SCORE = 0.6
"""Cap for a catalog name whose model numbers differ from the query's ("3080" vs "1080"): a
different number is a different product, so it may be suggested but never answered."""
PREFIX_SCORE = 0.5
"""Confidence given to a name that merely starts with the query ("kv" → "KV cache")."""


@dataclass(frozen=True)
class IndexedName:
    """One name of one entry, as typed by editors and in normalised form."""

    entry_id: str
    title: str
    kind: str
    name: str
    key: str


@dataclass(frozen=True)
class Match:
    """The outcome of a lookup: the best entry if confident enough, and the runners-up."""

    query: str
    best: Suggestion | None
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def confident(self) -> bool:
        return self.best is not None and self.best.score >= ANSWER_THRESHOLD


def _numbered_tokens(key: str) -> set[str]:
    return {token for token in key.split() if any(ch.isdigit() for ch in token)}


def numbers_agree(query_key: str, name_key: str) -> bool:
    """Every token of the query that carries a digit (3090, 72b, m3, a770) is in the name."""
    return _numbered_tokens(query_key) <= _numbered_tokens(name_key)


def _score(query: str, choice: str, **_: object) -> float:
    """Typo-tolerant but wary of short queries matching inside long names."""
    whole = fuzz.ratio(query, choice)
    token = fuzz.token_sort_ratio(query, choice)
    if min(len(query), len(choice)) >= 6:
        # Word order and extra words ("ollama is running slowly") should not hurt much.
        token = max(token, fuzz.token_set_ratio(query, choice) * 0.95)
    return max(whole, token)


class Resolver:
    """A name index over one or more kinds of entry. Immutable once built."""

    def __init__(self, names: Iterable[IndexedName], *, strict_numbers: bool = False) -> None:
        self._names = list(names)
        self._strict_numbers = strict_numbers
        self._exact: dict[str, IndexedName] = {}
        for item in self._names:
            self._exact.setdefault(item.key, item)
        self._keys = [item.key for item in self._names]

    @classmethod
    def build(
        cls, entries: Iterable[tuple[str, str, str, Iterable[str]]], *, strict_numbers: bool = False
    ) -> Resolver:
        """Index (entry_id, title, kind, names) tuples; blank names are skipped.

        `strict_numbers` suits catalogs, where "3080" and "1080" are different products.
        """
        indexed = [
            IndexedName(entry_id, title, kind, name, normalise(name))
            for entry_id, title, kind, names in entries
            for name in names
            if normalise(name)
        ]
        return cls(indexed, strict_numbers=strict_numbers)

    def __len__(self) -> int:
        return len(self._names)

    def resolve(self, query: str, limit: int = MAX_SUGGESTIONS) -> Match:
        """Return the best entry for `query` and up to `limit` other candidates."""
        key = normalise(query)
        if not key:
            return Match(query=query, best=None)
        exact = self._exact.get(key)
        ranked = self.rank(key, limit=limit + 1, normalised=True)
        if exact is not None:
            best = Suggestion(
                entry_id=exact.entry_id, title=exact.title, kind=exact.kind, score=1.0
            )
            others = [s for s in ranked if s.entry_id != exact.entry_id]
            return Match(query=query, best=best, suggestions=others[:limit])
        if not ranked:
            # Nothing close as a whole; names that start with what was typed still help.
            prefixed = [
                s.model_copy(update={"score": PREFIX_SCORE})
                for s in self.complete(key, limit=limit)
                if s.score > 0
            ]
            return Match(query=query, best=None, suggestions=prefixed)
        return Match(query=query, best=ranked[0], suggestions=ranked[1 : limit + 1])

    def rank(self, query: str, limit: int = 25, *, normalised: bool = False) -> list[Suggestion]:
        """Entries ordered by their best-scoring name, above the suggestion threshold."""
        key = query if normalised else normalise(query)
        if not key or not self._keys:
            return []
        hits = process.extract(
            key,
            self._keys,
            scorer=_score,
            processor=utils.default_process,
            limit=limit * 4,
            score_cutoff=SUGGEST_THRESHOLD * 100,
        )
        best: dict[str, Suggestion] = {}
        for _, raw_score, position in hits:
            item = self._names[position]
            score = raw_score
            if self._strict_numbers and not numbers_agree(key, item.key):
                score = min(raw_score, NUMBER_MISMATCH_SCORE * 100)
            if item.entry_id not in best or best[item.entry_id].score < score / 100:
                best[item.entry_id] = Suggestion(
                    entry_id=item.entry_id,
                    title=item.title,
                    kind=item.kind,
                    score=round(score / 100, 3),
                )
        return sorted(best.values(), key=lambda s: (-s.score, s.title))[:limit]

    def complete(self, prefix: str, limit: int = 25) -> list[Suggestion]:
        """Autocomplete: names starting with what was typed first, then fuzzy matches."""
        key = normalise(prefix)
        if not key:
            seen: dict[str, Suggestion] = {}
            for item in self._names:
                seen.setdefault(
                    item.entry_id,
                    Suggestion(entry_id=item.entry_id, title=item.title, kind=item.kind, score=0.0),
                )
            return sorted(seen.values(), key=lambda s: s.title.lower())[:limit]
        starts: dict[str, Suggestion] = {}
        for item in self._names:
            if item.key.startswith(key) and item.entry_id not in starts:
                starts[item.entry_id] = Suggestion(
                    entry_id=item.entry_id, title=item.title, kind=item.kind, score=1.0
                )
        ordered = sorted(starts.values(), key=lambda s: (len(s.title), s.title.lower()))
        for suggestion in self.rank(key, limit=limit, normalised=True):
            if suggestion.entry_id not in starts:
                ordered.append(suggestion)
        return ordered[:limit]
