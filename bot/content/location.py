"""Where the bundled content lives, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_content_dir() -> Path:
    """The content shipped with the bot.

    A wheel carries it inside the package (`bot/_bundled/`); a checkout has it at the
    repository root, next to the package.
    """
    inside = _PACKAGE / "_bundled"
    if (inside / "answers").is_dir():
        return inside
    return _PACKAGE.parent
