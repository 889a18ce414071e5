"""Discord's size limits, and cutting text to fit them cleanly.

The numbers are Discord's ("Embed Limits" in the message resource of the developer docs, the same
figures as discord.py's `Embed` docstrings). Breaking any of them makes Discord refuse the whole
message with `400 Bad Request`, so every renderer passes its text through `cut` and the embed
through `fit_embed` (in `embed.py`) before anything is sent.
"""

from __future__ import annotations

import re
import unicodedata

EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
AUTHOR_NAME = 256
EMBED_TOTAL = 6000
"""All titles, descriptions, field names and values, footers and author names of one message."""
MESSAGE_CONTENT = 2000
CHOICE_NAME = 100
CHOICE_VALUE = 100
CHOICES = 25
CUSTOM_ID = 100
BUTTON_LABEL = 80
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100
COMMAND_OPTIONS = 25
TEXT_INPUT_VALUE = 4000

ELLIPSIS = "…"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_MENTION = re.compile(r"@(everyone|here)|<@([!&]?)(\d+)>?")
"""The closing `>` is optional: a quoted query cut mid-mention must not keep half of one."""


def scrub(text: str) -> str:
    """Text without control or bidirectional-override characters (tabs and newlines stay).

    A user's input is echoed in answers ("I don't have an entry for …"); control characters
    there could garble the message or reorder it visually.
    """
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    # NFC keeps lengths honest: Discord counts characters after composition.
    return unicodedata.normalize("NFC", cleaned)


def defuse_mentions(text: str) -> str:
    """Text in which `@everyone`, `@here`, `<@123>` and `<@&456>` no longer render as mentions.

    Pings are already impossible (every message says `allowed_mentions: {"parse": []}`); this
    also keeps a role or user name from showing as a highlighted mention in an echoed query.
    """
    return _MENTION.sub(lambda m: m.group(0).replace("@", "@\u200b", 1), text)


def cut(text: str, limit: int, *, ellipsis: str = ELLIPSIS) -> str:
    """`text` if it fits in `limit` characters, else its head ending in an ellipsis.

    The cut falls at the last line break in the final third of the room, else at the last
    space, so a word is not split; with no boundary in the second half it falls mid-word.
    An unclosed code fence in the kept part is closed so the rest of the message renders.
    """
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit <= len(ellipsis):
        return text[:limit]
    room = limit - len(ellipsis)
    head = text[:room]
    # A line break in the last third beats a space; half the room is the most ever given up.
    for boundary, floor in (("\n", room * 2 // 3), (" ", room * 2 // 3), (" ", room // 2)):
        at = head.rfind(boundary)
        if at >= floor and at > 0:
            head = head[:at]
            break
    head = head.rstrip()
    if head.count("```") % 2 == 1:
        closer = "\n```"
        head = head[: max(room - len(closer), 0)].rstrip() + closer
    return head + ellipsis


def cut_lines(lines: list[str], limit: int) -> str:
    """Whole lines joined by newlines, as many as fit in `limit`, with "…" if some were left.

    For lists such as sources, where half a line (half a link) is worse than one line fewer.
    """
    kept: list[str] = []
    used = 0
    for position, line in enumerate(lines):
        extra = len(line) + (1 if kept else 0)
        more_after = position < len(lines) - 1
        reserve = len("\n" + ELLIPSIS) if more_after else 0
        if used + extra + reserve > limit:
            if not kept:
                return cut(line, limit)
            return "\n".join(kept) + "\n" + ELLIPSIS
        kept.append(line)
        used += extra
    return "\n".join(kept)
