"""Checking an editor's resolution against the content before it is stored.

Linking a /define question to a model id, or to a misspelt id, would leave the question as
unanswered as before; the check asks the question again as if resolved and says what happens.
"""

from __future__ import annotations

from pathlib import Path

from bot.content.holder import ContentHolder
from bot.content.snapshot import Snapshot
from bot.handlers.dispatch import Dispatcher, Invocation
from bot.schema.misses import Miss
from bot.store.records import Question


def entry_exists(snapshot: Snapshot, entry_id: str) -> bool:
    """True when some entry (an answer or a catalog entry) has this id."""
    if snapshot.answer_entry(entry_id) is not None:
        return True
    return any(entry_id in c for c in (snapshot.models, snapshot.hardware, snapshot.tools))


class _OneResolution:
    """A miss log that knows only the resolution being tried and records nothing."""

    def __init__(self, key: tuple[str, str, str], entry_id: str) -> None:
        self.key, self.entry_id = key, entry_id

    async def record(self, miss: Miss) -> None:
        return None

    async def resolution(self, command: str, option: str, normalised: str) -> str | None:
        return self.entry_id if (command, option, normalised) == self.key else None


async def resolution_problem(snapshot: Snapshot, question: Question, entry_id: str) -> str | None:
    """Why linking `question` to `entry_id` would not make the bot answer it; None if it would."""
    if not entry_exists(snapshot, entry_id):
        return f"no entry has id {entry_id!r} in the content (check the spelling)"
    holder = ContentHolder(Path(snapshot.source), loader=lambda _root: snapshot)
    key = (question.command, question.option, question.normalised)
    dispatcher = Dispatcher(holder, _OneResolution(key, entry_id))
    invocation = Invocation(command=question.command, options={question.option: question.query})
    answer = await dispatcher.run(invocation)
    if answer.error:
        return None  # the command needs other options as well; the link itself is right
    if not answer.answered or answer.entry_id != entry_id:
        return (
            f"/{question.command} would answer with {answer.entry_id or 'nothing'}, not {entry_id}"
        )
    return None
