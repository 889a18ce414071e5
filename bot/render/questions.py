"""The editors' list of missed questions as a Discord embed (`/unanswered`).

Pure (no discord import). Every query is text a user typed, so each is flattened to one line,
cut, stripped of mentions and Markdown-escaped before it reaches the embed; the embed then passes
`fit_embed` like every other.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.render import limits
from bot.render.embed import COLOUR_ANSWER, Embed, escape_markdown, fit_embed
from bot.render.limits import cut, cut_lines, defuse_mentions, scrub
from bot.store.records import Question

QUERY_WIDTH = 80
"""Characters of each query shown; `python -m bot editor show ID` has the rest."""
LIST_LIMIT = 20
"""Questions shown at most: the most asked are the ones worth an entry."""
_STATUS_WORD = {"open": "Open", "resolved": "Resolved", "ignored": "Ignored", None: "All"}


def user_text(text: str, width: int = QUERY_WIDTH) -> str:
    """What a user typed, safe to show in Markdown: one line, cut, no mentions, escaped."""
    flat = " ".join(scrub(text).split())
    return escape_markdown(defuse_mentions(cut(flat, width)))


def question_line(question: Question) -> str:
    """`**#12** · 5× · /define · attention memory` (plus where a closed one went)."""
    line = f"**#{question.id}** · {question.count}× · /{question.command} · "
    line += user_text(question.query) or "(empty)"
    if question.status == "resolved" and question.resolved_entry_id:
        line += f" → `{question.resolved_entry_id}`"
    elif question.status == "ignored":
        line += " (ignored)"
    return line


def questions_embed(
    questions: Sequence[Question],
    *,
    status: str | None = "open",
    command: str | None = None,
    more: bool = False,
) -> Embed:
    """The list, most asked first as given, within every embed limit.

    `more` says the store holds further questions than those given, so the footer points to the
    full list instead of implying this is all.
    """
    where = f" for /{command}" if command else ""
    title = f"{_STATUS_WORD.get(status, 'All')} questions{where}, most asked first"
    if not questions:
        noun = f"{status} questions" if status else "questions"
        return fit_embed(
            {"title": title, "description": f"No {noun}{where}.", "color": COLOUR_ANSWER}
        )
    lines = [question_line(q) for q in questions]
    footer = "Link one to an entry: /resolve id entry."
    if more:
        footer = (
            f"The {len(questions)} most asked are shown; python -m bot editor list or the "
            "review page has them all. " + footer
        )
    embed: Embed = {
        "title": title,
        "description": cut_lines(lines, limits.EMBED_DESCRIPTION),
        "color": COLOUR_ANSWER,
        "footer": {"text": footer},
    }
    return fit_embed(embed)
