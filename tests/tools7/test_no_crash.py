"""No text a user can type makes a planning command fail with an apology instead of an answer."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.handlers.dispatch import Dispatcher, Invocation

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=60
) | st.sampled_from(["2x3090", "m3 max 128gb", "70B at 10 tok/s", "0", "$", "|", "vs", "-5"])


def _run(dispatcher: Dispatcher, command: str, options: dict[str, str | int]) -> None:
    answer = asyncio.run(dispatcher.run(Invocation(command=command, options=options)))
    assert answer.summary
    assert "went wrong on my side" not in answer.summary


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(model=TEXT, hardware=TEXT, price=TEXT)
def test_cost_and_bench_never_crash(
    planning_dispatcher: Dispatcher, fake_engine: list, model: str, hardware: str, price: str
) -> None:
    _run(
        planning_dispatcher,
        "cost",
        {"model": model, "hardware": hardware, "electricity_price": price},
    )
    _run(planning_dispatcher, "bench", {"model": model, "hardware": hardware})


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=TEXT, b=TEXT, target=TEXT, budget=st.integers(min_value=-10, max_value=10**7))
def test_compare_and_choosegpu_never_crash(
    planning_dispatcher: Dispatcher, fake_engine: list, *, a: str, b: str, target: str, budget: int
) -> None:
    _run(planning_dispatcher, "compare", {"a": a, "b": b})
    _run(planning_dispatcher, "choosegpu", {"budget": budget, "target": target})
