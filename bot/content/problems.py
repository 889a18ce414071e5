"""A problem found while loading content, precise enough for an editor to fix it at once."""

from __future__ import annotations

from pydantic import ValidationError

from bot.schema.common import Frozen


class Problem(Frozen):
    """One thing wrong with one file: which file, which entry, which field, and what."""

    file: str
    entry: str = "-"
    field: str = "-"
    message: str

    def __str__(self) -> str:
        return f"{self.file}: entry {self.entry}: field {self.field}: {self.message}"


class ContentError(Exception):
    """Content could not be loaded; `problems` lists every reason at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(
            f"{len(problems)} {noun} in the content:\n" + "\n".join(map(str, problems))
        )


def problems_from_validation(error: ValidationError, file: str, entry: str) -> list[Problem]:
    """One Problem per pydantic error, naming the field by its dotted path."""
    found = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"]) or "-"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "is required but missing"
        elif item["type"] == "extra_forbidden":
            message = "is not a known field (a typo?)"
        found.append(Problem(file=file, entry=entry, field=location, message=message))
    return found
