"""A hand-written stand-in for `discord.Interaction` that records what the bot sends.

Only the attributes the Frontend and Reply use exist here, so a call to anything else fails
loudly instead of passing silently (the trouble with bare mocks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Sent:
    """One call the bot made: which one, and its keyword arguments."""

    call: str
    kwargs: dict[str, Any]


@dataclass
class _User:
    id: int


@dataclass
class _Response:
    log: list[Sent]
    done: bool = False

    def is_done(self) -> bool:
        return self.done

    async def send_message(self, **kwargs: Any) -> None:
        assert not self.done, "answered twice (Discord error 40060)"
        self.done = True
        self.log.append(Sent("send_message", kwargs))

    async def defer(self, **kwargs: Any) -> None:
        assert not self.done
        self.done = True
        self.log.append(Sent("defer", kwargs))


@dataclass
class _Followup:
    log: list[Sent]

    async def send(self, **kwargs: Any) -> None:
        self.log.append(Sent("followup", kwargs))


@dataclass
class RecordingInteraction:
    """What a slash command or click looks like to our code."""

    client: Any = None
    user_id: int = 4242
    guild_id: int | None = 1
    channel_id: int | None = 2
    sent: list[Sent] = field(default_factory=list)
    command: Any = None
    data: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self.user = _User(self.user_id)
        self.response = _Response(self.sent)
        self.followup = _Followup(self.sent)

    async def edit_original_response(self, **kwargs: Any) -> None:
        self.sent.append(Sent("edit", kwargs))

    async def delete_original_response(self) -> None:
        self.sent.append(Sent("delete", {}))

    @property
    def replies(self) -> list[Sent]:
        """Calls that carry a message (not defer or delete)."""
        return [s for s in self.sent if s.call in ("send_message", "followup", "edit")]
