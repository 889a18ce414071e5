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


def _benchmark_references(entries: dict[str, list[tuple[str, Any]]]) -> list[Problem]:
    models = {e.id for _, e in entries.get("models", [])}
    hardware = {e.id for _, e in entries.get("hardware", [])}
    tools = {e.id for _, e in entries.get("tools", [])}
    found = []
    for file, bench in entries.get("benchmarks", []):
        checks = [("model", bench.model, models), ("runtime", bench.runtime, tools)]
        checks += [("devices", device.hardware, hardware) for device in bench.devices]
        for field, ref, known in checks:
            if ref not in known:
                found.append(
                    Problem(
                        file=file,
                        entry=bench.id,
                        field=field,
                        message=f"no catalog entry has the id {ref!r}",
                    )
                )
    return found


def _price_references(entries: dict[str, list[tuple[str, Any]]]) -> list[Problem]:
    """Hardware prices name a device, cloud prices name models: each must exist."""
    models = {e.id for _, e in entries.get("models", [])}
    hardware = {e.id for _, e in entries.get("hardware", [])}
    found = []
    for file, price in entries.get("prices", []):
        if price.hardware not in hardware:
            found.append(
                Problem(
                    file=file,
                    entry=price.id,
                    field="hardware",
                    message=f"no hardware entry has the id {price.hardware!r}",
                )
            )
    for file, cloud in entries.get("cloud", []):
        for field in ("same_weights_as", "comparable_to"):
            for ref in getattr(cloud, field):
                if ref not in models:
                    found.append(
                        Problem(
                            file=file,
                            entry=cloud.id,
                            field=field,
                            message=f"no model entry has the id {ref!r}",
                        )
                    )
    return found


def cross_check(entries: dict[str, list[tuple[str, Any]]]) -> list[Problem]:
    """Every cross-entry problem at once, in a stable order."""
    found = _duplicate_ids(ANSWER_KINDS, entries)
    for kind in ("models", "hardware", "tools", "benchmarks", "prices", "cloud"):
        found += _duplicate_ids([kind], entries)
    for kind, items in entries.items():
        found += _name_clashes(kind, items)
    found += _dangling_related(entries)
    found += _benchmark_references(entries)
    found += _price_references(entries)
    return found
