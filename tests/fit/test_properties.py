"""Invariants a user relies on, checked over many cases (hypothesis).

More memory never turns a fit into a miss; a longer context never needs less memory; a smaller
quantization never needs more; adding a second card never lowers capacity; no input crashes.
"""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.fit.engine import estimate
from bot.fit.errors import FitInputError
from bot.fit.quant import COMMON_QUANTS
from bot.fit.weights import is_gpt_oss
from bot.schema.fit import FitRequest, FitResult
from tests.fit.conftest import load_fixture_catalog

CATALOG = load_fixture_catalog()
DENSE_TAGS = [m.ollama_tags[0] for m in CATALOG.models if not is_gpt_oss(m.architecture.arch)]
ALL_TAGS = [m.ollama_tags[0] for m in CATALOG.models]
RUNS = {"runs_on_gpu": 2, "runs_with_offload": 1, "does_not_run": 0}
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

models = st.sampled_from(ALL_TAGS)
quants = st.sampled_from(COMMON_QUANTS)
contexts = st.sampled_from([512, 2048, 4096, 8192, 16384, 32768])
runtimes = st.sampled_from(["ollama", "llama.cpp"])
gpu_gb = st.integers(min_value=4, max_value=200)


def run(model: str, hardware: str, **kw: object) -> FitResult:
    return estimate(FitRequest(model=model, hardware=hardware, **kw), CATALOG)  # type: ignore[arg-type]


def gpu_bytes(r: FitResult) -> int:
    return sum(d.total_bytes for d in r.memory.per_device[:-1])


@SETTINGS
@given(models, quants, contexts, runtimes, gpu_gb, st.integers(min_value=1, max_value=64))
def test_more_memory_never_turns_a_fit_into_a_miss(  # noqa: PLR0917
    model: str, quant: str, ctx: int, runtime: str, gb: int, more: int
) -> None:
    small = run(model, f"{gb}gb vram + 64gb ram", quant=quant, context=ctx, runtime=runtime)
    big = run(model, f"{gb + more}gb vram + 64gb ram", quant=quant, context=ctx, runtime=runtime)
    assert RUNS[big.verdict] >= RUNS[small.verdict]
    assert big.placement.percent_on_gpu >= small.placement.percent_on_gpu - 0.1
    more_ram = run(model, f"{gb}gb vram + 256gb ram", quant=quant, context=ctx, runtime=runtime)
    assert RUNS[more_ram.verdict] >= RUNS[small.verdict]


@SETTINGS
@given(models, quants, contexts, contexts)
def test_longer_context_never_needs_less_memory(model: str, quant: str, a: int, b: int) -> None:
    short, long = sorted((a, b))
    hw = "500gb vram"
    r1 = run(model, hw, quant=quant, context=short, runtime="llama.cpp")
    r2 = run(model, hw, quant=quant, context=long, runtime="llama.cpp")
    assert r2.memory.total_bytes >= r1.memory.total_bytes
    assert r2.memory.kv_cache_bytes >= r1.memory.kv_cache_bytes


@SETTINGS
@given(st.sampled_from(DENSE_TAGS), contexts, gpu_gb)
def test_smaller_quant_never_needs_more(model: str, ctx: int, gb: int) -> None:
    results = [
        run(model, f"{gb}gb vram + 512gb ram", quant=q, context=ctx, runtime="llama.cpp")
        for q in COMMON_QUANTS
    ]
    weights = [r.memory.weights_bytes for r in results]
    assert weights == sorted(weights, reverse=True)
    ranks = [RUNS[r.verdict] for r in results]
    assert ranks == sorted(ranks)


@SETTINGS
@given(models, quants, contexts, runtimes, gpu_gb, gpu_gb)
def test_adding_a_second_card_never_lowers_capacity(  # noqa: PLR0917
    model: str, quant: str, ctx: int, runtime: str, first: int, second: int
) -> None:
    one = run(model, f"{first}gb vram + 64gb ram", quant=quant, context=ctx, runtime=runtime)
    two = run(
        model, f"{first}gb vram + {second}gb vram + 64gb ram", quant=quant, context=ctx,
        runtime=runtime,
    )  # fmt: skip
    assert RUNS[two.verdict] >= RUNS[one.verdict]
    # capacity = share of the model's bytes held by GPUs (layer counts differ when the MoE
    # plan moves experts instead of layers)
    assert two.placement.percent_on_gpu >= one.placement.percent_on_gpu - 0.1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_no_input_crashes_the_engine(model: str, hardware: str) -> None:
    with contextlib.suppress(FitInputError):
        run(model.strip() or "x", hardware.strip() or "x")
