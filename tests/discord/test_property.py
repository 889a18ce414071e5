"""Property tests: no input, however hostile, makes a command or an autocomplete fail, and
every reply fits Discord's limits and pings nobody."""

from __future__ import annotations

import asyncio
from typing import Any, get_args

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.content.holder import ContentHolder
from bot.handlers.commands import commands
from bot.handlers.dispatch import Dispatcher
from bot.handlers.spec import Command, IndexName
from bot.render.limits import CHOICE_NAME, CHOICE_VALUE, CHOICES
from bot.transports.discord_bot.cooldown import Cooldown
from bot.transports.discord_bot.frontend import Frontend
from tests.conftest import FIXTURE_CONTENT
from tests.discord.recording import RecordingInteraction
from tests.discord.test_frontend import check_reply
from tests.test_dispatch import RecordingMissLog

FRONTEND = Frontend(
    Dispatcher(ContentHolder(FIXTURE_CONTENT), RecordingMissLog()), Cooldown(1000, 0)
)
NASTY = [
    "",
    " ",
    "@everyone",
    "@here please",
    "<@123> <@!123> <@&456>",
    "**bold** __under__ `code` ```fence",
    "[click](https://example.com)",
    "\x00\x07\x1b[31m\u202eevil\u200b",
    "😀" * 50,
    "KV cache",
    "CUDA error: out of memory",
    "Ｆｕｌｌｗｉｄｔｈ",
    "q4_k_m 70b 2x3090 8192",
]
hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=200),
    st.text(min_size=1, max_size=3).map(lambda s: s * 4000),
    st.lists(st.sampled_from(NASTY), max_size=6).map(" ".join),
)
option_value = st.one_of(hostile_text, st.integers(min_value=-(2**63), max_value=2**63))
FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _invoke(spec: Command, options: dict[str, Any]) -> None:
    interaction = RecordingInteraction()
    asyncio.run(FRONTEND.run_command(interaction, spec, options))  # type: ignore[arg-type]
    [reply] = interaction.replies
    embed = check_reply(reply)
    if reply.kwargs["ephemeral"] is False:
        assert embed["color"] != 0xC0392B


@FAST
@given(data=st.data())
def test_every_option_of_every_command_survives_hostile_input(data: st.DataObject) -> None:
    spec = data.draw(st.sampled_from(list(commands().values())), label="command")
    options = {
        option.name: data.draw(
            option_value if option.type == "integer" else hostile_text, label=option.name
        )
        for option in spec.options
        if option.required or data.draw(st.booleans(), label=f"give {option.name}")
    }
    _invoke(spec, options)


@FAST
@given(index=st.sampled_from(get_args(IndexName)), typed=hostile_text)
def test_autocomplete_always_answers_within_limits(index: IndexName, typed: str) -> None:
    choices = FRONTEND.complete(index, typed)
    assert len(choices) <= CHOICES
    for choice in choices:
        assert 1 <= len(choice.name) <= CHOICE_NAME
        assert 1 <= len(str(choice.value)) <= CHOICE_VALUE
        assert "\x00" not in choice.name
