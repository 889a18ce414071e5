"""Checks that span entries: unique ids, unique names, and references that point somewhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.content.problems import Problem
from bot.search.normalise import normalise

ANSWER_KINDS = ("glossary", "errors", "quick", "pages")


def _names(entry: Any) -> Iterable[str]:
    return getattr(entry, "names", [])


def _duplicate_ids(
    kinds: Iterable[str], entries: dict[str, list[tuple[str, Any]]]
) -> list[Problem]:
    seen: dict[str, str] = {}
    found = []
    for kind in kinds:
        for file, entry in entries.get(kind, []):
            entry_id = entry.id
            if entry_id in seen:
                found.append(
                    Problem(
                        file=file,
                        entry=entry_id,
                        field="id",
                        message=f"the id is already used in {seen[entry_id]}",
                    )
                )
            else:
                seen[entry_id] = file
    return found


def _name_clashes(kind: str, items: list[tuple[str, Any]]) -> list[Problem]:
    """Within one kind, a name (after normalising) may lead to one entry only."""
    owner: dict[str, tuple[str, str]] = {}
    found = []
    for file, entry in items:
        entry_id = entry.id
        for name in _names(entry):
            key = normalise(name)
            if not key:
                continue
            if key in owner and owner[key][0] != entry_id:
                other_id, other_file = owner[key]
                found.append(
                    Problem(
                        file=file,
                        entry=entry_id,
                        field="aliases",
                        message=f"the name {name!r} is also claimed by {other_id} ({other_file})",
                    )
                )
            owner.setdefault(key, (entry_id, file))
    return found


def _dangling_related(entries: dict[str, list[tuple[str, Any]]]) -> list[Problem]:
    known = {e.id for kind in ANSWER_KINDS for _, e in entries.get(kind, [])}
    found = []
    for kind in ANSWER_KINDS:
        for file, entry in entries.get(kind, []):
            for related in getattr(entry, "related", []):
                if related not in known:
                    found.append(
                        Problem(
                            file=file,
                            entry=entry.id,
                            field="related",
                            message=f"no glossary, error or quick entry has the id {related!r}",
                        )
                    )
    return found


Reference = tuple[str, str, str]
"""(field, id referred to, kind of entry it must be)."""


def _references(kind: str, entry: Any) -> list[Reference]:
    """The ids a catalog entry points at, by kind of entry."""
    if kind == "benchmarks":
        refs = [("model", entry.model, "models"), ("runtime", entry.runtime, "tools")]
        return refs + [("devices", device.hardware, "hardware") for device in entry.devices]
    if kind == "prices":
        return [("hardware", entry.hardware, "hardware")]
    if kind == "cloud":
        fields = ("same_weights_as", "comparable_to")
        return [(field, ref, "models") for field in fields for ref in getattr(entry, field)]
    return []


def _catalog_references(entries: dict[str, list[tuple[str, Any]]]) -> list[Problem]:
    """Benchmarks, prices and cloud rates name models, devices and runtimes: each must exist."""
    known = {
        kind: {e.id for _, e in entries.get(kind, [])} for kind in ("models", "hardware", "tools")
    }
    found = []
    for kind in ("benchmarks", "prices", "cloud"):
        for file, entry in entries.get(kind, []):
            for field, ref, target in _references(kind, entry):
                if ref not in known[target]:
                    message = f"no catalog entry has the id {ref!r}"
                    found.append(Problem(file=file, entry=entry.id, field=field, message=message))
    return found


def cross_check(entries: dict[str, list[tuple[str, Any]]]) -> list[Problem]:
    """Every cross-entry problem at once, in a stable order."""
    found = _duplicate_ids(ANSWER_KINDS, entries)
    for kind in ("models", "hardware", "tools", "benchmarks", "prices", "cloud"):
        found += _duplicate_ids([kind], entries)
    for kind, items in entries.items():
        found += _name_clashes(kind, items)
    found += _dangling_related(entries)
    found += _catalog_references(entries)
    return found
