"""`/about`: what the bot is and how it answers, from the page `answers/pages/about.md`."""

from __future__ import annotations

import re

from bot.content.snapshot import Snapshot
from bot.schema.answers import Answer, EntryAnswer, Section

PAGE_ID = "about"
_HEADING = re.compile(r"^## +(.+?)\s*$", re.MULTILINE)


def page_sections(body: str) -> list[Section]:
    """Split a page body at its `## ` headings; text before the first heading is "Overview"."""
    marks = list(_HEADING.finditer(body))
    sections = []
    lead = body[: marks[0].start()].strip() if marks else body.strip()
    if lead:
        sections.append(Section(heading="Overview", body=lead))
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        text = body[mark.end() : following.start() if following else len(body)].strip()
        if text:
            sections.append(Section(heading=mark.group(1), body=text))
    return sections


def about(snapshot: Snapshot) -> Answer:
    """The about page as an answer: summary first, its sections to open, its sources."""
    page = snapshot.pages.get(PAGE_ID)
    if page is None:
        # Still an answer (not a miss for editors' queue): the content folder lacks the page.
        return Answer(
            kind="about",
            answered=True,
            title="About RunLocal Bot",
            summary="RunLocal Bot answers local-AI questions with reviewed, sourced entries. "
            "The about page is missing from this content folder.",
        )
    return EntryAnswer(
        kind="about",
        answered=True,
        entry_id=page.id,
        confidence=1.0,
        title=page.title,
        summary=page.summary,
        sources=page.sources,
        sections=page_sections(page.body),
        reviewed_by=page.reviewed_by,
        reviewed_on=page.reviewed_on,
    )
