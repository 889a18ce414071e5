"""Run a command for any transport: check options, call the handler, record misses.

Transports (console, Discord, HTTP) build an Invocation, await `Dispatcher.run` and render the
answer. Nothing a user types can make this raise: bad input becomes an answer that says what to
do, and an unexpected failure becomes a short apology while the traceback goes to the log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Protocol

from bot.content.holder import ContentHolder
from bot.handlers.commands import commands
from bot.handlers.entries import entry_answer
from bot.handlers.spec import Command, Option, run_handler
from bot.schema.answers import Answer
from bot.schema.common import Frozen
from bot.schema.misses import Miss, MissReason
from bot.search.normalise import normalise

log = logging.getLogger(__name__)

FEEDBACK_THANKS = {
    "helpful": "Thanks! Glad it helped.",
    "not_helpful": "Thanks for saying so. The editors will look at this entry.",
    "report": "Thanks for the report. The editors will check this entry and fix it.",
}
"""What a reader sees after a vote or a report, whichever transport carried it."""
LOW_CONFIDENCE = 0.9
"""Answers below this are given but also shown to editors, who may add an alias."""
FEEDBACK_DETAIL_MAX = 1000
"""Longest "Report a mistake" text kept (the form allows as much)."""


class MissLog(Protocol):
    """Where misses go (the SQLite store in production) and where editors' fixes come from."""

    async def record(self, miss: Miss) -> None: ...

    async def resolution(self, command: str, option: str, normalised: str) -> str | None:
        """The entry id an editor linked to this question, if any."""
        ...


class NullMissLog:
    """Records nothing: for tests and one-off console use without a database."""

    async def record(self, miss: Miss) -> None:
        return None

    async def resolution(self, command: str, option: str, normalised: str) -> str | None:
        return None


class Invocation(Frozen):
    """One use of a command, whatever transport it came from."""

    command: str
    options: dict[str, str | int] = {}
    guild_id: int | None = None
    channel_id: int | None = None
    user_id: int | None = None


class OptionError(ValueError):
    """An option the user gave cannot be used; the message says what to do."""


def hash_user(user_id: int | None, salt: str) -> str | None:
    """A salted hash: lets editors count distinct askers without storing who asked."""
    if user_id is None:
        return None
    return hashlib.sha256(f"{salt}:{user_id}".encode()).hexdigest()[:32]


def clean_options(command: Command, given: dict[str, str | int]) -> dict[str, str | int]:
    """Coerce and bound every option; raise OptionError on what cannot be fixed."""
    cleaned: dict[str, str | int] = {}
    for option in command.options:
        value = given.get(option.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if option.required:
                raise OptionError(f"/{command.name} needs `{option.name}`: {option.description}.")
            continue
        cleaned[option.name] = _coerce(command, option, value)
    return cleaned


def _coerce(command: Command, option: Option, value: str | int) -> str | int:
    if option.type == "integer":
        try:
            number = int(str(value).strip().replace(",", "").replace("_", ""))
        except ValueError:
            raise OptionError(f"`{option.name}` must be a whole number, e.g. 8192.") from None
        low, high = option.min_value, option.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            raise OptionError(f"`{option.name}` must be between {low} and {high}.")
        return number
    text = " ".join(str(value).split())[: option.max_length]
    if option.choices and text not in option.choices:
        allowed = ", ".join(option.choices)
        raise OptionError(f"`{option.name}` must be one of: {allowed} (for /{command.name}).")
    return text


def _miss_reason(answer: Answer) -> MissReason | None:
    if not answer.answered:
        return "unanswered"
    if answer.confidence < LOW_CONFIDENCE:
        return "low_confidence"
    return None


class Dispatcher:
    """Answers invocations against the live content and logs what it could not answer."""

    def __init__(
        self, content: ContentHolder, misses: MissLog | None = None, salt: str = ""
    ) -> None:
        self.content = content
        self.misses = misses or NullMissLog()
        self.salt = salt

    async def run(self, invocation: Invocation) -> Answer:
        """The answer to one invocation. Never raises for anything a user can type."""
        command = commands().get(invocation.command.lower().lstrip("/"))
        if command is None:
            names = ", ".join(f"/{name}" for name in commands())
            return _problem(invocation.command, f"I don't know that command. Try one of: {names}.")
        try:
            options = clean_options(command, invocation.options)
            options = await self._apply_resolutions(command, options)
            answer = run_handler(command, self.content.snapshot, options)
        except OptionError as error:
            return _problem(command.kind, str(error))
        except Exception:
            log.exception("handler for /%s failed on %r", command.name, invocation.options)
            return _problem(command.kind, "Something went wrong on my side; it has been logged.")
        await self._record(command, options, answer, invocation)
        return answer

    async def answer_for_entry(self, kind: str, entry_id: str) -> Answer | None:
        """The answer for an entry named in a button ("Show more"), rebuilt from the live content.

        Buttons carry only the command and the entry id, so any transport, after any restart,
        can answer a click; None when the entry no longer exists.
        """
        snapshot = self.content.snapshot
        entry = snapshot.answer_entry(entry_id)
        if entry is not None:
            return entry_answer(kind, entry.names[0], entry, 1.0, snapshot)
        spec, name = commands().get(kind), snapshot.name_of(entry_id)
        if spec is None or name is None:
            return None
        options = {spec.options[0].name: name} if spec.options else {}
        answer = await self.run(Invocation(command=kind, options=options))
        return answer if answer.entry_id == entry_id else None

    async def feedback(
        self,
        command: str,
        entry_id: str,
        reason: MissReason,
        *,
        detail: str = "",
        guild_id: int | None = None,
        channel_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        """Record a reader's verdict on an answer ("helpful", "not_helpful" or "report").

        Goes to the same log as misses so editors see it in one queue. Never raises: losing
        a vote must not cost the user a reply.
        """
        spec = commands().get(command)
        option = spec.options[0].name if spec and spec.options else ""
        try:
            await self.misses.record(
                Miss(
                    command=spec.kind if spec else command,
                    option=option,
                    query=entry_id,
                    normalised=normalise(entry_id),
                    reason=reason,
                    answered_entry_id=entry_id,
                    confidence=1.0,
                    detail=detail.strip()[:FEEDBACK_DETAIL_MAX],
                    guild_id=guild_id,
                    channel_id=channel_id,
                    user_hash=hash_user(user_id, self.salt),
                    at=dt.datetime.now(dt.UTC),
                )
            )
        except Exception:
            log.exception("could not record %s feedback on %s", reason, entry_id)

    async def _apply_resolutions(
        self, command: Command, options: dict[str, str | int]
    ) -> dict[str, str | int]:
        """Swap in the entry an editor linked to a previously missed question."""
        resolved = dict(options)
        for name, value in options.items():
            if not isinstance(value, str):
                continue
            entry_id = await self.misses.resolution(command.kind, name, normalise(value))
            if entry_id:
                primary = self.content.snapshot.name_of(entry_id)
                if primary:
                    resolved[name] = primary
        return resolved

    async def _record(
        self, command: Command, options: dict[str, str | int], answer: Answer, inv: Invocation
    ) -> None:
        reason = _miss_reason(answer)
        if reason is None:
            return
        option = answer.missed_option or (command.options[0].name if command.options else "")
        query = str(options.get(option, answer.query))
        miss = Miss(
            command=command.kind,
            option=option,
            query=query,
            normalised=normalise(query),
            reason=reason,
            answered_entry_id=answer.entry_id,
            confidence=answer.confidence,
            guild_id=inv.guild_id,
            channel_id=inv.channel_id,
            user_hash=hash_user(inv.user_id, self.salt),
            at=dt.datetime.now(dt.UTC),
        )
        try:
            await self.misses.record(miss)
        except Exception:
            # Losing a log row must never cost the user their answer.
            log.exception("could not record a miss for /%s", command.name)


def _problem(command: str, message: str) -> Answer:
    return Answer(
        kind=command.lstrip("/") or "unknown",
        answered=False,
        title="Can't do that",
        summary=message,
        error=True,
    )
