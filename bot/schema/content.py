"""The answers editors write: glossary terms, error fixes and quick answers.

Each is one Markdown file with YAML front matter in `answers/<kind>/<id>.md`. The loader turns
the Markdown sections into the fields below; `answers/README.md` shows the file layout.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bot.schema.common import EntryId, NonEmpty, Reviewed

SUMMARY_MAX = 700
"""A summary is the quick answer: short enough to read in a chat without opening more."""

GlossaryCategory = Literal[
    "models-and-training",
    "quantization",
    "runtimes",
    "hardware-and-memory",
    "inference",
    "serving",
    "retrieval",
    "fine-tuning",
]

Platform = Literal["all", "nvidia", "amd", "apple", "intel", "cpu"]

PLATFORM_HEADINGS: dict[str, Platform] = {
    "all platforms": "all",
    "nvidia / cuda": "nvidia",
    "amd / rocm": "amd",
    "apple / metal": "apple",
    "intel": "intel",
    "cpu": "cpu",
}
"""The `###` headings allowed under `## Fixes` in an error entry, and the platform each names."""

Summary = Annotated[str, Field(min_length=40, max_length=SUMMARY_MAX)]
Aliases = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=40)]


class GlossaryEntry(Reviewed):
    """A term of local AI, explained at two depths: the summary, then sections to open."""

    kind: Literal["glossary"] = "glossary"
    id: EntryId
    term: Annotated[str, Field(min_length=1, max_length=100)]
    aliases: Aliases = []
    category: GlossaryCategory
    summary: Summary
    definition: NonEmpty
    deeper_dive: NonEmpty
    practical_example: NonEmpty
    workflow_example: NonEmpty
    related: list[EntryId] = []

    @property
    def title(self) -> str:
        return self.term

    @property
    def names(self) -> list[str]:
        """Every name a person may type for this entry: the term first, then aliases."""
        return [self.term, *self.aliases]


class ErrorEntry(Reviewed):
    """A problem people paste into help channels, how to recognise it and how to fix it."""

    kind: Literal["error"] = "error"
    id: EntryId
    title: Annotated[str, Field(min_length=1, max_length=120)]
    aliases: Aliases = []
    messages: Annotated[list[NonEmpty], Field(min_length=1)]
    """Text people paste from logs; matched case-insensitively inside a pasted message."""
    platforms: Annotated[list[Platform], Field(min_length=1)]
    summary: Summary
    symptoms: NonEmpty
    causes: NonEmpty
    fixes: dict[Platform, NonEmpty]
    commands: NonEmpty
    related: list[EntryId] = []

    @model_validator(mode="after")
    def _fixes_present(self) -> ErrorEntry:
        if not self.fixes:
            raise ValueError("an error entry needs at least one `### <platform>` under ## Fixes")
        return self

    @property
    def names(self) -> list[str]:
        return [self.title, *self.aliases]


class QuickAnswer(Reviewed):
    """A question asked in many phrasings, with a short answer and an optional longer one."""

    kind: Literal["quick"] = "quick"
    id: EntryId
    question: Annotated[str, Field(min_length=5, max_length=200)]
    phrasings: Aliases = []
    summary: Summary
    details: str = ""
    related: list[EntryId] = []

    @property
    def title(self) -> str:
        return self.question

    @property
    def names(self) -> list[str]:
        return [self.question, *self.phrasings]


ContentEntry = GlossaryEntry | ErrorEntry | QuickAnswer
