"""Resolve what a person typed to an entry, with a confidence and "did you mean" suggestions.

An index holds every name of every entry (term, aliases, tags...) in normalised form. An exact
normalised hit is certain; otherwise rapidfuzz scores the query against every name, the best
score per entry counts, and the answer is given only above a confidence threshold.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.schema.answers import Suggestion
from bot.search.normalise import normalise

ANSWER_THRESHOLD = 0.84
"""Below this a match is only a suggestion: wrong answers cost more than "did you mean"."""
SUGGEST_THRESHOLD = 0.55
MAX_SUGGESTIONS = 5
NUMBER_MISMATCH_SCORE = 0.6
"""Cap for a catalog name whose model numbers differ from the query's ("3080" vs "1080"): a
different number is a different product, so it may be suggested but never answered."""
SUBSET_WEIGHT = 0.95
MIN_SUBSET_LENGTH = 6
"""Word order and extra words ("ollama is running slowly") should not hurt much, but a short
name must not win just because it appears somewhere inside a long question."""
EXTRA_WORD_PENALTY = 2.0
"""Points off a name found whole inside a question, per question word it leaves unexplained: a
name covering more of the question wins ("llama-cpp-python failed" is the build error)."""
MIN_FUZZY_PREFIX = 3
"""Autocomplete adds fuzzy matches only from three characters on; two letters match anything."""
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
    numbers: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    """The key's words, kept to weigh a name against a question without splitting per query."""


@dataclass(frozen=True)
class Match:
    """The outcome of a lookup: the best entry if confident enough, and the runners-up."""

    query: str
    best: Suggestion | None
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def confident(self) -> bool:
        return self.best is not None and self.best.score >= ANSWER_THRESHOLD


def numbered_tokens(key: str) -> frozenset[str]:
    """Tokens that carry a digit: model numbers and sizes (3090, 72b, m3, a770, 12gb)."""
    return frozenset(token for token in key.split() if any(ch.isdigit() for ch in token))


class Resolver:
    """A name index over one or more kinds of entry. Immutable once built."""

    def __init__(self, names: Iterable[IndexedName], *, strict_numbers: bool = False) -> None:
        self._names = list(names)
        self._strict_numbers = strict_numbers
        self._exact: dict[str, IndexedName] = {}
        for item in self._names:
            self._exact.setdefault(item.key, item)
        self._keys = [item.key for item in self._names]
        first_names: dict[str, IndexedName] = {}
        for item in self._names:
            first_names.setdefault(item.entry_id, item)
        self._alphabetical = sorted(first_names.values(), key=lambda i: i.title.lower())
        self._sorted_keys = sorted(
            (item.key, position) for position, item in enumerate(self._names)
        )

    @classmethod
    def build(
        cls, entries: Iterable[tuple[str, str, str, Iterable[str]]], *, strict_numbers: bool = False
    ) -> Resolver:
        """Index (entry_id, title, kind, names) tuples; blank names are skipped.

        `strict_numbers` suits catalogs, where "3080" and "1080" are different products.
        """
        indexed = []
        for entry_id, title, kind, names in entries:
            for name in names:
                key = normalise(name)
                if key:
                    indexed.append(
                        IndexedName(
                            entry_id,
                            title,
                            kind,
                            name,
                            key,
                            numbered_tokens(key),
                            frozenset(key.split()),
                        )
                    )
        return cls(indexed, strict_numbers=strict_numbers)

    def __len__(self) -> int:
        return len(self._names)

    def resolve(self, query: str, limit: int = MAX_SUGGESTIONS) -> Match:
        """Return the best entry for `query` and up to `limit` other candidates.

        An exact hit on a name is certain and needs no runners-up.
        """
        key = normalise(query)
        if not key:
            return Match(query=query, best=None)
        exact = self._exact.get(key)
        if exact is not None:
            return Match(query=query, best=_suggest(exact, 1.0))
        ranked = self.rank(key, limit=limit + 1, normalised=True)
        if not ranked:
            # Nothing close as a whole; names that start with what was typed still help.
            prefixed = [_suggest(item, PREFIX_SCORE) for item in self._prefixed(key, limit)]
            return Match(query=query, best=None, suggestions=prefixed)
        return Match(query=query, best=ranked[0], suggestions=ranked[1 : limit + 1])

    def rank(
        self, query: str, limit: int = 25, *, normalised: bool = False, subset: bool = True
    ) -> list[Suggestion]:
        """Entries ordered by their best-scoring name, above the suggestion threshold.
        `subset=False` skips the word-subset scorer, the slowest of the three (autocomplete)."""
        key = query if normalised else normalise(query)
        if not key or not self._keys:
            return []
        query_numbers = numbered_tokens(key) if self._strict_numbers else frozenset()
        words = set(key.split())
        best: dict[str, tuple[tuple[int, int, int], float, IndexedName]] = {}
        for position, raw_score in self._scored(key, limit * 4, subset=subset).items():
            item = self._names[position]
            score = raw_score
            if query_numbers and not query_numbers <= item.numbers:
                score = min(raw_score, NUMBER_MISMATCH_SCORE * 100)
            # Among equal scores, the name sharing more of the question's words: "pip install
            # llama-cpp-python failed" is about the build error, not about llama.cpp.
            name_words = item.words
            if name_words < words:  # the whole name sits inside a longer question
                score = min(
                    score, SUBSET_WEIGHT * 100 - EXTRA_WORD_PENALTY * len(words - name_words)
                )
            shared = len(words & name_words)
            rank_key = (round(score), shared, -len(name_words))  # within a point is a tie
            if item.entry_id not in best or best[item.entry_id][0] < rank_key:
                best[item.entry_id] = (rank_key, score, item)
        ordered = sorted(best.values(), key=lambda t: (-t[0][0], -t[0][1], -t[0][2], t[2].title))
        return [_suggest(item, round(score / 100, 3)) for _, score, item in ordered[:limit]]

    def _scored(self, key: str, limit: int, *, subset: bool = True) -> dict[int, float]:
        """Best score per name position under three rapidfuzz scorers, each run in C."""
        cutoff = SUGGEST_THRESHOLD * 100
        scores: dict[int, float] = {}
        scorers = [(fuzz.ratio, 1.0), (fuzz.token_sort_ratio, 1.0)]
        if subset and len(key) >= MIN_SUBSET_LENGTH:
            scorers.append((fuzz.token_set_ratio, SUBSET_WEIGHT))
        for scorer, weight in scorers:
            hits = process.extract(
                key,
                self._keys,
                scorer=scorer,
                processor=None,
                limit=limit,
                score_cutoff=cutoff / weight,
            )
            for _, score, position in hits:
                if weight != 1.0 and len(self._keys[position]) < MIN_SUBSET_LENGTH:
                    continue
                if score * weight > scores.get(position, 0.0):
                    scores[position] = score * weight
        return scores

    def _prefixed(self, key: str, limit: int) -> list[IndexedName]:
        """One name per entry whose key starts with `key`, shortest titles first."""
        seen: dict[str, IndexedName] = {}
        start = bisect.bisect_left(self._sorted_keys, (key, -1))
        for name_key, position in self._sorted_keys[start:]:
            if not name_key.startswith(key):
                break
            item = self._names[position]
            seen.setdefault(item.entry_id, item)
        return sorted(seen.values(), key=lambda i: (len(i.title), i.title.lower()))[:limit]

    def complete(self, prefix: str, limit: int = 25) -> list[Suggestion]:
        """Autocomplete: names starting with what was typed first, then fuzzy matches."""
        key = normalise(prefix)
        if not key:
            return [_suggest(item, 0.0) for item in self._alphabetical[:limit]]
        ordered = [_suggest(item, 1.0) for item in self._prefixed(key, limit)]
        if len(ordered) < limit and len(key) >= MIN_FUZZY_PREFIX:
            taken = {s.entry_id for s in ordered}
            # A half-typed word is no word set: the subset scorer would cost most and add least.
            fuzzy = self.rank(key, limit=limit, normalised=True, subset=False)
            ordered += [s for s in fuzzy if s.entry_id not in taken]
        return ordered[:limit]


def _suggest(item: IndexedName, score: float) -> Suggestion:
    return Suggestion(entry_id=item.entry_id, title=item.title, kind=item.kind, score=score)
