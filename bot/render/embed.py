"""Render an answer as a Discord embed: a plain dict in the JSON shape Discord's API takes.

Pure (no discord import), so every limit is tested without a client. The compact view shows the
summary, the sources and the review stamp; `full=True` adds the written sections. Whatever the
answer holds, `fit_embed` makes the result fit every one of Discord's limits, cutting at a line or
word boundary with an ellipsis; it never raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.render import limits
from bot.render.limits import cut, cut_lines, defuse_mentions, scrub
from bot.schema.answers import Answer, EntryAnswer
from bot.schema.common import Source

Embed = dict[str, Any]

COLOUR_ANSWER = 0x2E86AB
COLOUR_MISS = 0xE0A526
COLOUR_ERROR = 0xC0392B
MORE_HINT = "Press **Show more** for: "
_MARKDOWN = re.compile(r"([\\*_~`|>\[\]()#-])")
_BLOCK_START = re.compile(r"^\s*([-*+>|#]|\d+[.)]\s|```|~~~)")

EmbedRenderer = Callable[[Answer, bool], Embed]
_RENDERERS: list[tuple[type[Answer], EmbedRenderer]] = []


def register_renderer(kind: type[Answer], renderer: EmbedRenderer) -> None:
    """Let a subclass of Answer (the fit verdict) bring its own embed layout."""
    _RENDERERS.insert(0, (kind, renderer))


def escape_markdown(text: str) -> str:
    """`text` with Markdown marks backslash-escaped, so user input shows as typed."""
    return _MARKDOWN.sub(r"\\\1", text)


def source_line(source: Source) -> str:
    """A source as a Markdown link whose text and address cannot break the link syntax."""
    title = source.title.replace("[", "(").replace("]", ")")
    url = source.url.replace("(", "%28").replace(")", "%29")
    return f"[{title}]({url})"


def review_stamp(answer: Answer) -> str:
    """ "Reviewed by RunLocal editors on 2026-11-22", or "" for answers nobody reviewed."""
    if isinstance(answer, EntryAnswer) and answer.reviewed_on and answer.reviewed_by:
        return f"Reviewed by {answer.reviewed_by} on {answer.reviewed_on.isoformat()}"
    return ""


def unwrap(text: str) -> str:
    """Join the soft line breaks inside paragraphs, which Discord would show as hard ones.

    Entries are written wrapped at ~100 columns; a chat window is narrower or wider. Lists,
    tables, quotes, headings, code blocks and blank lines keep their breaks.
    """
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        fence = line.lstrip().startswith(("```", "~~~"))
        joinable = (
            not in_fence
            and not fence
            and line.strip()
            and out
            and out[-1].strip()
            and not _BLOCK_START.match(line)
            and not out[-1].endswith("  ")
            and not out[-1].lstrip().startswith(("#", "|", "```", "~~~"))
        )
        if joinable:
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
        if fence:
            in_fence = not in_fence
    return "\n".join(out)


def has_more(answer: Answer) -> bool:
    """True when the full view shows more than the compact one (the "Show more" button)."""
    return isinstance(answer, EntryAnswer) and bool(answer.sections)


def _colour(answer: Answer) -> int:
    if answer.error:
        return COLOUR_ERROR
    return COLOUR_ANSWER if answer.answered else COLOUR_MISS


def _echo_safe(text: str, query: str) -> str:
    """Escape the user's own words where an answer quotes them (no masked links, no bold)."""
    query = query.strip()
    if not query or query not in text:
        return text
    return text.replace(query, escape_markdown(defuse_mentions(query)))


def _description(answer: Answer, full: bool) -> str:
    summary = unwrap(_echo_safe(answer.summary, answer.query))
    if not isinstance(answer, EntryAnswer) or not answer.sections:
        return summary
    if not full:
        headings = ", ".join(s.heading for s in answer.sections)
        return f"{summary}\n\n{MORE_HINT}{headings}."
    parts = [summary]
    parts.extend(f"**{s.heading}**\n{unwrap(s.body)}" for s in answer.sections)
    return "\n\n".join(parts)


def _fields(answer: Answer) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = []
    if isinstance(answer, EntryAnswer) and answer.related:
        names = " · ".join(r.title for r in answer.related)
        fields.append({"name": "Related", "value": names, "inline": False})
    if answer.answered and answer.suggestions and answer.confidence < 1.0:
        close = " · ".join(s.title for s in answer.suggestions[:3])
        fields.append({"name": "Also close", "value": close, "inline": False})
    if answer.sources:
        lines = [source_line(s) for s in answer.sources]
        fields.append(
            {
                "name": "Sources",
                "value": cut_lines(lines, limits.FIELD_VALUE),
                "inline": False,
            }
        )
    return fields


def answer_embed(answer: Answer, full: bool = False) -> Embed:
    """The standard layout: title, summary (or every section), related, sources, review."""
    embed: Embed = {
        "title": _echo_safe(answer.title, answer.query),
        "description": _description(answer, full),
        "color": _colour(answer),
        "fields": _fields(answer),
    }
    stamp = review_stamp(answer)
    if stamp:
        embed["footer"] = {"text": stamp}
    return embed


def render_embed(answer: Answer, *, full: bool = False) -> Embed:
    """The embed for any answer, within every Discord limit. Never raises."""
    renderer: EmbedRenderer = answer_embed
    for kind, special in _RENDERERS:
        if isinstance(answer, kind):
            renderer = special
            break
    return fit_embed(renderer(answer, full))


MAX_PAGES = 3
"""Most messages one "Show more" sends; a longer entry is cut on the last page."""
_PAGE_MARGIN = 64
"""Room kept for what scrubbing and mention-defusing may add after measuring."""


def _pack(blocks: list[str], budgets: list[int]) -> list[list[str]]:
    """Blocks in order, as many whole blocks per page as its budget allows."""
    pages: list[list[str]] = [[]]
    used = 0
    for block in blocks:
        budget = budgets[min(len(pages) - 1, len(budgets) - 1)]
        extra = len(block) + (2 if pages[-1] else 0)
        if pages[-1] and used + extra > budget and len(pages) < MAX_PAGES:
            pages.append([])
            used, extra = 0, len(block)
        pages[-1].append(block)
        used += extra
    return pages


def render_pages(answer: Answer) -> list[Embed]:
    """The full view as one to three embeds, each within every limit, split between sections.

    One message holds 6000 characters at most, so a long entry continues in further messages
    (sent privately after "Show more") instead of being cut. The first page carries the
    sources and the review stamp.
    """
    if not has_more(answer) or any(isinstance(answer, kind) for kind, _ in _RENDERERS):
        return [render_embed(answer, full=True)]
    assert isinstance(answer, EntryAnswer)
    first = fit_embed({**answer_embed(answer), "description": ""})
    room_first = limits.EMBED_TOTAL - embed_size(first) - _PAGE_MARGIN
    title = cut(_text(answer.title), limits.EMBED_TITLE - 12) + " (continued)"
    room_next = limits.EMBED_TOTAL - len(title) - _PAGE_MARGIN
    blocks = [unwrap(_echo_safe(answer.summary, answer.query))]
    blocks += [f"**{s.heading}**\n{unwrap(s.body)}" for s in answer.sections]
    budgets = [min(limits.EMBED_DESCRIPTION, room_first), min(limits.EMBED_DESCRIPTION, room_next)]
    pages = _pack(blocks, budgets)
    embeds = [fit_embed({**first, "description": "\n\n".join(pages[0])})]
    for page in pages[1:]:
        continued = {"title": title, "description": "\n\n".join(page), "color": first["color"]}
        embeds.append(fit_embed(continued))
    return embeds


def _text(value: object) -> str:
    return defuse_mentions(scrub(str(value))).strip() if value is not None else ""


def _field_text(field: dict[str, Any]) -> tuple[str, str]:
    name = cut(_text(field.get("name")), limits.FIELD_NAME)
    value = cut(_text(field.get("value")), limits.FIELD_VALUE)
    return name or "\u200b", value or "\u200b"


def embed_size(embed: Embed) -> int:
    """Characters Discord counts toward the 6000 total of one message's embeds."""
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len(embed.get("footer", {}).get("text", ""))
    size += len(embed.get("author", {}).get("name", ""))
    for field in embed.get("fields", []):
        size += len(field["name"]) + len(field["value"])
    return size


def _fit_parts(embed: Embed) -> Embed:
    """Each part cut to its own limit; empty parts dropped (Discord rejects empty strings)."""
    fitted: Embed = {k: v for k, v in embed.items() if k not in ("fields", "footer", "author")}
    for key, limit in (("title", limits.EMBED_TITLE), ("description", limits.EMBED_DESCRIPTION)):
        text = cut(_text(embed.get(key)), limit)
        if text:
            fitted[key] = text
        else:
            fitted.pop(key, None)
    fields = []
    for field in list(embed.get("fields") or [])[: limits.EMBED_FIELDS]:
        name, value = _field_text(field)
        fields.append({"name": name, "value": value, "inline": bool(field.get("inline", False))})
    fitted["fields"] = fields
    for key, label, limit in (
        ("footer", "text", limits.FOOTER_TEXT),
        ("author", "name", limits.AUTHOR_NAME),
    ):
        part = embed.get(key)
        text = cut(_text(part.get(label)), limit) if part else ""
        if text:
            fitted[key] = {**part, label: text}
    return fitted


def _fit_total(fitted: Embed) -> Embed:
    """Meet the 6000 total: shorten the description, then drop fields from the end."""
    overflow = embed_size(fitted) - limits.EMBED_TOTAL
    if overflow > 0 and "description" in fitted:
        fitted["description"] = cut(fitted["description"], len(fitted["description"]) - overflow)
        if not fitted["description"]:
            del fitted["description"]
    while embed_size(fitted) > limits.EMBED_TOTAL and fitted["fields"]:
        fitted["fields"].pop()
    if embed_size(fitted) > limits.EMBED_TOTAL:
        # Only a huge footer or author can still be over: the title must stay readable.
        fitted.pop("author", None)
        if "footer" in fitted:
            room = max(limits.EMBED_TOTAL - embed_size({**fitted, "footer": {}}), 0)
            footer = cut(fitted.pop("footer")["text"], room)
            if footer:
                fitted["footer"] = {"text": footer}
    return fitted


def fit_embed(embed: Embed) -> Embed:
    """A copy of `embed` within every limit: each part cut cleanly, at most 25 fields, and
    the 6000 total met by shortening the description first and then dropping last fields."""
    fitted = _fit_total(_fit_parts(embed))
    if not fitted.get("title") and not fitted.get("description") and not fitted["fields"]:
        fitted["description"] = "(empty answer)"
    return fitted


def limit_problems(embed: Embed) -> list[str]:
    """Every Discord embed limit `embed` breaks, one sentence each; [] when it would be sent.

    The check the tests (and content checks) run on any rendered answer.
    """
    problems = []
    for key, limit in (("title", limits.EMBED_TITLE), ("description", limits.EMBED_DESCRIPTION)):
        value = embed.get(key)
        if value is not None and not 1 <= len(value) <= limit:
            problems.append(f"{key} is {len(value)} characters (1-{limit})")
    fields = embed.get("fields", [])
    if len(fields) > limits.EMBED_FIELDS:
        problems.append(f"{len(fields)} fields (at most {limits.EMBED_FIELDS})")
    for position, field in enumerate(fields):
        if not 1 <= len(field["name"]) <= limits.FIELD_NAME:
            problems.append(f"field {position} name is {len(field['name'])} characters")
        if not 1 <= len(field["value"]) <= limits.FIELD_VALUE:
            problems.append(f"field {position} value is {len(field['value'])} characters")
    footer = embed.get("footer", {}).get("text")
    if footer is not None and not 1 <= len(footer) <= limits.FOOTER_TEXT:
        problems.append(f"footer is {len(footer)} characters")
    if embed_size(embed) > limits.EMBED_TOTAL:
        problems.append(f"{embed_size(embed)} characters in all (at most {limits.EMBED_TOTAL})")
    return problems


# Layouts for Answer subclasses register themselves when imported; importing them here means
# every caller of render_embed gets them. (At the bottom: they import the names above.)
from bot.render import verdict as _verdict  # noqa: E402, F401


def notice_embed(text: str, *, title: str = "") -> Embed:
    """A short private message (cooldown, thanks, apology) as an embed within limits."""
    embed: Embed = {"description": text, "color": COLOUR_ERROR if title else 0x5865F2}
    if title:
        embed["title"] = title
    return fit_embed(embed)
