"""Types shared by every kind of entry: ids, sources and the review stamp."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

ENTRY_ID_PATTERN = r"^[a-z0-9][a-z0-9.+_-]*[a-z0-9]$"
REVIEWER = "RunLocal editors"


class Frozen(BaseModel):
    """Base for every data type: immutable, and unknown fields are an error (catches typos)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _https_only(url: str) -> str:
    if not re.match(r"^https://[^\s/$.?#][^\s]*$", url):
        raise ValueError(f"a source URL must be https:// and contain no spaces, got {url!r}")
    return url


HttpsUrl = Annotated[str, AfterValidator(_https_only)]
EntryId = Annotated[str, Field(pattern=ENTRY_ID_PATTERN, min_length=2, max_length=80)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Source(Frozen):
    """A page an editor actually read; every number in an entry must match one of these."""

    title: Annotated[str, Field(min_length=3, max_length=200)]
    url: HttpsUrl


def _is_editors(name: str) -> str:
    if name != REVIEWER:
        raise ValueError(f"reviewed_by must be {REVIEWER!r}; we never name a person")
    return name


class Reviewed(Frozen):
    """Mixin for entries a person checked: who (always the editors) and when."""

    sources: Annotated[list[Source], Field(min_length=1)]
    reviewed_by: Annotated[str, AfterValidator(_is_editors)] = REVIEWER
    reviewed_on: dt.date
