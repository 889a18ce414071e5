"""The catalog's hardware, indexed for chat-style names: every name, alias and id by its words.

A lookup keeps the entries whose names contain every word the user wrote, prefers those that add
no variant word the user did not write ("3090" is not the "3090 Ti"), then the one whose memory
matches the size given, then the faster one, and reports the others that matched as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.fuzz import WRatio

from bot.fit.index_cache import IdentityCache
from bot.schema.catalog import HardwareEntry

QUALIFIERS = frozenset(
    {
        "ti",
        "super",
        "xt",
        "xtx",
        "gre",
        "max",
        "pro",
        "ultra",
        "laptop",
        "sxm",
        "pcie",
        "nvl",
        "mini",
        "air",
        "plus",
        "lite",
        "s",
    }
)
"""Words that tell variants apart; a catalog name may not add one the user did not write
unless nothing else matches."""


def normalize(text: str) -> str:
    """Lower case, "×" as "x", "38-core" and "38 core" as "38c", brackets and hyphens as spaces."""
    t = text.lower().replace("×", "x").replace("_", " ")
    t = re.sub(r"(\d)\s*-?\s*cores?\b", r"\1c", t)
    t = re.sub(r"[()\[\]\"']", " ", t)
    t = re.sub(r"-", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def singular(tok: str) -> str:
    """ "3090s", "p40s" (a plural of a model number) without the s."""
    if re.fullmatch(r"[a-z]*\d+[a-z]*s", tok) and not tok.endswith("gbs"):
        return tok[:-1]
    return tok


def words_of(text: str, *, cut_plurals: bool = True) -> list[str]:
    """The words of a device name, with "mobile" read as "laptop" and plurals ("3090s") cut.
    Catalog names keep theirs: "4070s" there is an alias of the SUPER, not two 4070s."""
    words = ["laptop" if raw == "mobile" else raw for raw in normalize(text).split()]
    return [singular(w) for w in words] if cut_plurals else words


@dataclass(frozen=True, slots=True)
class _Key:
    tokens: frozenset[str]
    entry: HardwareEntry


@dataclass(frozen=True, slots=True)
class HardwareIndex:
    """Catalog hardware prepared for parsing (build once per catalog snapshot)."""

    keys: tuple[_Key, ...]
    entries: tuple[HardwareEntry, ...]
    choices: tuple[str, ...]
    """Display names and aliases, for suggestions."""
    choice_ids: tuple[str, ...]
    postings: dict[str, frozenset[int]]
    """Token -> indexes of the keys containing it, so a lookup touches only candidates."""


def _split_alnum(tokens: Iterable[str]) -> set[str]:
    """Also index "rtx3090" as "rtx" + "3090" and "3060ti" as "3060" + "ti"."""
    out = set()
    for t in tokens:
        out.add(t)
        parts = re.findall(r"[a-z]+|\d+", t)
        if len(parts) > 1 and not re.fullmatch(r"[a-z]\d+", t) and not re.fullmatch(r"\d+c", t):
            out.update(parts)
    return out


def build_hardware_index(entries: Sequence[HardwareEntry]) -> HardwareIndex:
    """Index every name, alias and id of the catalog's hardware by its tokens."""
    keys = []
    choices: list[str] = []
    choice_ids: list[str] = []
    for e in entries:
        for name in (*e.names, e.id):
            toks = _split_alnum(words_of(name, cut_plurals=False))
            toks -= {"gb", "gib"}
            keys.append(_Key(frozenset(toks), e))
        choices.extend(e.names)
        choice_ids.extend(e.id for _ in e.names)
    postings: dict[str, set[int]] = {}
    for i, key in enumerate(keys):
        for tok in key.tokens:
            postings.setdefault(tok, set()).add(i)
    return HardwareIndex(
        tuple(keys),
        tuple(entries),
        tuple(choices),
        tuple(choice_ids),
        {tok: frozenset(ids) for tok, ids in postings.items()},
    )


_INDEXES: IdentityCache[HardwareEntry, HardwareIndex] = IdentityCache(build_hardware_index)


def hardware_index(entries: Sequence[HardwareEntry]) -> HardwareIndex:
    """The index for these entries, built once per catalog snapshot."""
    return _INDEXES.get(entries)


def memory_matches(entry: HardwareEntry, memory_gib: float | None) -> bool:
    """True if the size the user wrote is the entry's memory or one of its options."""
    if memory_gib is None:
        return False
    options = entry.memory_options_gib or [entry.memory_gib]
    return any(abs(o - memory_gib) < 0.6 for o in options)


def resolve(
    index: HardwareIndex, tokens: list[str], memory_gib: float | None
) -> tuple[HardwareEntry | None, list[HardwareEntry]]:
    """The entry these tokens name, and the other entries that matched just as well (so the
    answer can say which variant it assumed)."""
    want = _split_alnum(tokens)
    if not want:
        return None, []
    scored: dict[str, tuple[tuple[int, int, int, float, str], HardwareEntry]] = {}
    candidates: frozenset[int] | None = None
    for tok in want:
        hits = index.postings.get(tok, frozenset())
        candidates = hits if candidates is None else candidates & hits
        if not candidates:
            return None, []
    for i in sorted(candidates or ()):
        key = index.keys[i]
        extra = len((key.tokens & QUALIFIERS) - want)
        entry = key.entry
        score = (
            extra,
            0 if memory_matches(entry, memory_gib) else 1,
            0 if key.tokens == want else 1,  # a name or alias written out in full
            -entry.bandwidth_gbps,
            entry.id,
        )
        if entry.id not in scored or score < scored[entry.id][0]:
            scored[entry.id] = (score, entry)
    if not scored:
        return None, []
    ranked = sorted(scored.values(), key=lambda s: s[0])
    best_score, best = ranked[0]
    ties = [e for s, e in ranked[1:] if s[:2] == best_score[:2]]
    return best, ties


def suggest(index: HardwareIndex, text: str) -> tuple[list[str], list[str]]:
    """Up to three close device names and their ids."""
    if not index.choices:
        return [], []
    found = process.extract(text, index.choices, scorer=WRatio, limit=10, score_cutoff=50)
    names: list[str] = []
    ids: list[str] = []
    for _choice, _score, i in found:
        entry_id = index.choice_ids[i]
        if entry_id not in ids:
            ids.append(entry_id)
            names.append(next(e.name for e in index.entries if e.id == entry_id))
    return names[:3], ids[:3]
