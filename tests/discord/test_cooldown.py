"""The per-user cooldown: a sliding window per user, friendly wording."""

from __future__ import annotations

from bot.transports.discord_bot.cooldown import Cooldown, cooldown_message


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_user_may_run_n_commands_then_waits_for_the_window() -> None:
    clock = Clock()
    cooldown = Cooldown(uses=2, seconds=10, clock=clock)
    assert cooldown.retry_after(1) == 0
    clock.now += 1
    assert cooldown.retry_after(1) == 0
    assert cooldown.retry_after(1) == 9
    clock.now += 9
    assert cooldown.retry_after(1) == 0


def test_users_do_not_share_a_window() -> None:
    cooldown = Cooldown(uses=1, seconds=10, clock=Clock())
    assert cooldown.retry_after(1) == 0
    assert cooldown.retry_after(2) == 0
    assert cooldown.retry_after(1) > 0


def test_zero_seconds_turns_it_off() -> None:
    cooldown = Cooldown(uses=1, seconds=0, clock=Clock())
    assert all(cooldown.retry_after(1) == 0 for _ in range(100))


def test_the_message_is_friendly_and_rounded() -> None:
    assert cooldown_message(0.2) == "You're going a bit fast. Try again in 1 second."
    assert cooldown_message(12.6) == "You're going a bit fast. Try again in 13 seconds."
