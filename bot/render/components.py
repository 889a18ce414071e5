"""The buttons under an answer and the report form, as the JSON Discord's API takes.

Pure (no discord import): the HTTP endpoint sends these dicts as they are, and the gateway
bot's views use the same `custom_id` scheme, so a button works whichever transport sent it.
A `custom_id` carries everything a click needs (`rl:fb:h:define:kv-cache`), so no state is
kept between requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.render.limits import CUSTOM_ID

KIND_PATTERN = r"(?P<kind>[a-z][a-z0-9_-]{0,19})"
ENTRY_PATTERN = r"(?P<entry>[a-z0-9][a-z0-9.+_-]{0,79})"
VOTES = {"h": "helpful", "n": "not_helpful"}
REPORT_MAX = 1000
REPORT_FIELD = "what"
REPORT_LABEL = "What is wrong or missing?"
REPORT_PLACEHOLDER = "e.g. the VRAM figure for this card is 20 GB, see the vendor page"

_BUTTON, _ACTION_ROW, _TEXT_INPUT = 2, 1, 4
_SECONDARY, _PRIMARY = 2, 1
_PARAGRAPH = 2

_CLICK = re.compile(
    rf"rl:(?:(?P<action>fb):(?P<vote>[hn])|(?P<other>report|more|form)):{KIND_PATTERN}:{ENTRY_PATTERN}"
)


def custom_id(*parts: str) -> str:
    """`rl:` + parts joined by colons; ValueError past Discord's 100-character limit."""
    value = ":".join(("rl", *parts))
    if len(value) > CUSTOM_ID:
        raise ValueError(f"custom_id over {CUSTOM_ID} characters: {value!r}")
    return value


@dataclass(frozen=True)
class Click:
    """What a button press or form asks for: `vote`, `report`, `more` or `form`."""

    action: str
    kind: str
    entry_id: str
    vote: str = ""


def parse_click(value: str) -> Click | None:
    """The Click a custom_id encodes, or None for anything that is not ours."""
    match = _CLICK.fullmatch(value or "")
    if match is None:
        return None
    if match["action"] == "fb":
        return Click("vote", match["kind"], match["entry"], VOTES[match["vote"]])
    return Click(match["other"], match["kind"], match["entry"])


def _button(label: str, cid: str, *, primary: bool = False, emoji: str = "") -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": _BUTTON,
        "style": _PRIMARY if primary else _SECONDARY,
        "label": label,
        "custom_id": cid,
    }
    if emoji:
        button["emoji"] = {"name": emoji}
    return button


def answer_components(kind: str, entry_id: str | None, *, more: bool) -> list[dict[str, Any]]:
    """One row of buttons for an entry answer; none for misses and errors (nothing to rate)."""
    if not entry_id or not re.fullmatch(ENTRY_PATTERN, entry_id):
        return []
    if not re.fullmatch(KIND_PATTERN, kind):
        return []
    buttons = (
        [_button("Show more", custom_id("more", kind, entry_id), primary=True)] if more else []
    )
    buttons += [
        _button("Helpful", custom_id("fb", "h", kind, entry_id), emoji="👍"),
        _button("Not helpful", custom_id("fb", "n", kind, entry_id), emoji="👎"),
        _button("Report a mistake", custom_id("report", kind, entry_id), emoji="⚠️"),
    ]
    return [{"type": _ACTION_ROW, "components": buttons}]


def report_modal(kind: str, entry_id: str) -> dict[str, Any]:
    """The "Report a mistake" form: one paragraph box."""
    return {
        "custom_id": custom_id("form", kind, entry_id),
        "title": "Report a mistake",
        "components": [
            {
                "type": _ACTION_ROW,
                "components": [
                    {
                        "type": _TEXT_INPUT,
                        "custom_id": REPORT_FIELD,
                        "label": REPORT_LABEL,
                        "placeholder": REPORT_PLACEHOLDER,
                        "style": _PARAGRAPH,
                        "max_length": REPORT_MAX,
                        "required": True,
                    }
                ],
            }
        ],
    }


def submitted_text(data: dict[str, Any]) -> str:
    """The report text from a MODAL_SUBMIT interaction's data ("" when absent)."""
    for row in data.get("components") or []:
        for item in (row or {}).get("components") or []:
            if isinstance(item, dict) and item.get("custom_id") == REPORT_FIELD:
                return str(item.get("value") or "")[:REPORT_MAX]
    return ""
