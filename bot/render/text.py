"""Render an answer as plain text for the console (and as the fallback in logs)."""

from __future__ import annotations

import textwrap

from bot.render.fit_text import render_fit_text
from bot.schema.answers import Answer, EntryAnswer
from bot.schema.fit import FitResult

WIDTH = 100


def _wrap(text: str) -> str:
    """Wrap prose paragraphs; leave code blocks, lists and tables as written."""
    out: list[str] = []
    in_fence = False
    for line in text.splitlines():
        if line.strip().startswith(("```", "~~~")):
            in_fence = not in_fence
        keep = in_fence or not line.strip() or line.lstrip()[:1] in "-*|#>0123456789`"
        out.append(line if keep else textwrap.fill(line, WIDTH))
    return "\n".join(out)


def _sources(answer: Answer) -> list[str]:
    if not answer.sources:
        return []
    return ["", "Sources:", *(f"  - {s.title} <{s.url}>" for s in answer.sources)]


def render_text(answer: Answer, *, full: bool = True) -> str:
    """The answer as a person reads it: title, summary, sections if `full`, sources, review."""
    if isinstance(answer, FitResult):
        return render_fit_text(answer)
    lines = [answer.title, "=" * min(len(answer.title), WIDTH), _wrap(answer.summary)]
    if isinstance(answer, EntryAnswer):
        if full:
            for section in answer.sections:
                lines += ["", f"## {section.heading}", _wrap(section.body)]
        if answer.related:
            lines += ["", "Related: " + ", ".join(r.title for r in answer.related)]
    lines += _sources(answer)
    if isinstance(answer, EntryAnswer) and answer.reviewed_on:
        lines += ["", f"Reviewed by {answer.reviewed_by} on {answer.reviewed_on.isoformat()}."]
    if answer.answered and answer.suggestions and answer.confidence < 1.0:
        lines += ["", "Also close: " + ", ".join(s.title for s in answer.suggestions[:3])]
    return "\n".join(lines).rstrip() + "\n"
