"""Turn a written entry into an answer, and a failed lookup into an honest "I don't know"."""

from __future__ import annotations

from bot.content.snapshot import Snapshot
from bot.schema.answers import Answer, EntryAnswer, Section, Suggestion
from bot.schema.content import ErrorEntry, GlossaryEntry, QuickAnswer
from bot.search.resolver import Match

PLATFORM_NAMES = {
    "all": "All platforms",
    "nvidia": "NVIDIA / CUDA",
    "amd": "AMD / ROCm",
    "apple": "Apple / Metal",
    "intel": "Intel",
    "cpu": "CPU",
}


def _related(snapshot: Snapshot, ids: list[str]) -> list[Suggestion]:
    found = []
    for entry_id in ids:
        entry = snapshot.answer_entry(entry_id)
        if entry is not None:
            found.append(
                Suggestion(entry_id=entry.id, title=entry.title, kind=entry.kind, score=1.0)
            )
    return found


def _sections(entry: GlossaryEntry | ErrorEntry | QuickAnswer) -> list[Section]:
    if isinstance(entry, GlossaryEntry):
        return [
            Section(heading="Definition", body=entry.definition),
            Section(heading="Deeper dive", body=entry.deeper_dive),
            Section(heading="Practical example", body=entry.practical_example),
            Section(heading="Workflow example", body=entry.workflow_example),
        ]
    if isinstance(entry, ErrorEntry):
        fixes = [
            Section(heading=f"Fix: {PLATFORM_NAMES[platform]}", body=text)
            for platform, text in entry.fixes.items()
        ]
        return [
            Section(heading="Symptoms", body=entry.symptoms),
            Section(heading="Causes", body=entry.causes),
            *fixes,
            Section(heading="Commands", body=entry.commands),
        ]
    return [Section(heading="Details", body=entry.details)] if entry.details else []


def entry_answer(
    command: str,
    query: str,
    entry: GlossaryEntry | ErrorEntry | QuickAnswer,
    confidence: float,
    snapshot: Snapshot,
    *,
    suggestions: list[Suggestion] | None = None,
) -> EntryAnswer:
    """The full answer for one written entry: summary first, sections to open, sources."""
    return EntryAnswer(
        kind=command,
        answered=True,
        query=query,
        entry_id=entry.id,
        confidence=round(confidence, 3),
        title=entry.title,
        summary=entry.summary,
        sources=entry.sources,
        suggestions=suggestions or [],
        entry_kind=entry.kind,
        sections=_sections(entry),
        related=_related(snapshot, entry.related),
        reviewed_by=entry.reviewed_by,
        reviewed_on=entry.reviewed_on,
    )


def not_found(command: str, query: str, what: str, match: Match | None) -> Answer:
    """An honest miss: say so, offer what is close, and note that editors will see it."""
    suggestions = [] if match is None else ([match.best] if match.best else []) + match.suggestions
    shown = query.strip() or "(empty)"
    if suggestions:
        listed = ", ".join(f"“{s.title.rstrip('?')}”" for s in suggestions[:3])
        summary = f"I don't have {what} for “{shown}” yet. Did you mean {listed}?"
    else:
        summary = f"I don't have {what} for “{shown}” yet."
    summary += " The question has been noted for the editors."
    best = match.best.score if match and match.best else 0.0
    return Answer(
        kind=command,
        answered=False,
        query=query,
        confidence=round(best, 3),
        title="Not found",
        summary=summary,
        suggestions=suggestions[:5],
    )
