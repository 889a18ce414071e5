"""The loaded content: every entry by id, plus the name indexes built over them.

A Snapshot is immutable and built once per load; a reload builds a new one and swaps it in
whole, so a command never sees half-old, half-new content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from bot.schema.catalog import (
    BenchmarkEntry,
    CloudPrice,
    HardwareEntry,
    HardwarePrice,
    ModelEntry,
    ToolEntry,
)
from bot.schema.content import ErrorEntry, GlossaryEntry, QuickAnswer
from bot.schema.pages import Page
from bot.search.normalise import normalise
from bot.search.resolver import Resolver


def _by_id(entries: Iterable[Any]) -> Mapping[str, Any]:
    return MappingProxyType({entry.id: entry for entry in entries})


def _index(
    kind: str, entries: Mapping[str, Any], title: str = "title", *, catalog: bool = False
) -> Resolver:
    return Resolver.build(
        ((entry.id, getattr(entry, title), kind, entry.names) for entry in entries.values()),
        strict_numbers=catalog,
    )


@dataclass(frozen=True)
class Indexes:
    """One resolver per lookup a command does."""

    glossary: Resolver
    errors: Resolver
    quick: Resolver
    models: Resolver
    hardware: Resolver
    tools: Resolver
    cloud: Resolver = field(default_factory=lambda: Resolver([]))


@dataclass(frozen=True)
class Snapshot:
    """Everything the bot knows, validated and indexed. Never mutated after it is built."""

    glossary: Mapping[str, GlossaryEntry]
    errors: Mapping[str, ErrorEntry]
    quick: Mapping[str, QuickAnswer]
    pages: Mapping[str, Page]
    models: Mapping[str, ModelEntry]
    hardware: Mapping[str, HardwareEntry]
    tools: Mapping[str, ToolEntry]
    benchmarks: Mapping[str, BenchmarkEntry]
    indexes: Indexes
    source: str = ""
    loaded_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    cloud: Mapping[str, CloudPrice] = field(default_factory=lambda: MappingProxyType({}))
    """Cloud API prices per million tokens (`catalog/cloud/`)."""

    def counts(self) -> dict[str, int]:
        """How many entries of each kind; shown by `validate` and the coverage report."""
        kinds = (
            "glossary",
            "errors",
            "quick",
            "pages",
            "models",
            "hardware",
            "tools",
            "benchmarks",
        )
        return {kind: len(getattr(self, kind)) for kind in kinds}

    @cached_property
    def error_messages(self) -> list[tuple[str, ErrorEntry]]:
        """Every known log message, normalised, longest first (what /fix looks for in a paste)."""
        pairs = [(normalise(m), e) for e in self.errors.values() for m in e.messages]
        return sorted(pairs, key=lambda pair: -len(pair[0]))

    def name_of(self, entry_id: str) -> str | None:
        """The first name of any entry by id (the one its own index resolves exactly)."""
        entry = self.answer_entry(entry_id)
        if entry is not None:
            return entry.names[0]
        for catalog in (self.models, self.hardware, self.tools):
            if entry_id in catalog:
                return catalog[entry_id].names[0]
        if entry_id in self.pages:
            return self.pages[entry_id].title
        return None

    def answer_entry(self, entry_id: str) -> GlossaryEntry | ErrorEntry | QuickAnswer | None:
        """A glossary, error or quick entry by id (ids are unique across the three)."""
        return self.glossary.get(entry_id) or self.errors.get(entry_id) or self.quick.get(entry_id)


def with_prices(
    hardware: Iterable[HardwareEntry], prices: Iterable[HardwarePrice]
) -> list[HardwareEntry]:
    """Each device with the prices from `catalog/prices/` added to its own, oldest first.

    Prices live in their own files so the people who keep specs and the people who track
    prices never edit the same file; the commands see one list per device."""
    extra: dict[str, list[HardwarePrice]] = {}
    for price in prices:
        extra.setdefault(price.hardware, []).append(price)
    merged = []
    for entry in hardware:
        added = [p.as_price() for p in extra.get(entry.id, [])]
        if not added:
            merged.append(entry)
            continue
        every = sorted([*entry.prices, *added], key=lambda p: (p.as_of, p.condition, p.usd))
        merged.append(entry.model_copy(update={"prices": every}))
    return merged


def build_snapshot(entries: Mapping[str, list[Any]], source: str = "") -> Snapshot:
    """Index validated entries. Pure: the loader does the reading and checking."""
    glossary = _by_id(entries.get("glossary", []))
    errors = _by_id(entries.get("errors", []))
    quick = _by_id(entries.get("quick", []))
    models = _by_id(entries.get("models", []))
    hardware = _by_id(with_prices(entries.get("hardware", []), entries.get("prices", [])))
    cloud = _by_id(entries.get("cloud", []))
    tools = _by_id(entries.get("tools", []))
    indexes = Indexes(
        glossary=_index("glossary", glossary),
        errors=Resolver.build(
            (e.id, e.title, "error", [*e.names, *e.messages]) for e in errors.values()
        ),
        quick=_index("quick", quick),
        models=_index("model", models, title="name", catalog=True),
        hardware=_index("hardware", hardware, title="name", catalog=True),
        tools=_index("tool", tools, title="name", catalog=True),
        cloud=Resolver.build(
            (c.id, f"{c.provider} {c.model_name}", "cloud", c.names) for c in cloud.values()
        ),
    )
    return Snapshot(
        glossary=glossary,
        errors=errors,
        quick=quick,
        pages=_by_id(entries.get("pages", [])),
        models=models,
        hardware=hardware,
        tools=tools,
        benchmarks=_by_id(entries.get("benchmarks", [])),
        indexes=indexes,
        source=source,
        cloud=cloud,
    )
