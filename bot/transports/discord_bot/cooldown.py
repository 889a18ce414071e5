"""A per-user cooldown: at most N commands per user in a sliding window of S seconds.

Pure and in memory (no discord import): a restart forgets it, which is fine for spam control.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_TRACKED_USERS = 50_000
"""Forget the oldest users past this many, so memory stays bounded on a busy deployment."""


@dataclass
class Cooldown:
    """Sliding-window rate limit keyed by user id."""

    uses: int
    seconds: float
    clock: Callable[[], float] = time.monotonic
    _seen: dict[int, deque[float]] = field(default_factory=dict)

    def retry_after(self, user_id: int) -> float:
        """0 and the use is counted if the user may go ahead; else seconds until they may."""
        if self.seconds <= 0:
            return 0.0
        now = self.clock()
        stamps = self._seen.pop(user_id, None) or deque()
        while stamps and now - stamps[0] >= self.seconds:
            stamps.popleft()
        if len(stamps) >= self.uses:
            self._seen[user_id] = stamps
            return max(self.seconds - (now - stamps[0]), 0.1)
        stamps.append(now)
        # Re-inserting keeps the dict ordered by last use, so the oldest go first below.
        self._seen[user_id] = stamps
        while len(self._seen) > MAX_TRACKED_USERS:
            del self._seen[next(iter(self._seen))]
        return 0.0


def cooldown_message(retry_after: float) -> str:
    """The friendly sentence a user sees when they go too fast."""
    seconds = max(round(retry_after), 1)
    unit = "second" if seconds == 1 else "seconds"
    return f"You're going a bit fast. Try again in {seconds} {unit}."
