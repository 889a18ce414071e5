"""`/choosegpu BUDGET [TARGET]`: the hardware a budget buys, ranked for a model or a use.

Candidates are the catalog's priced devices (newest new and used prices, launch prices only
where nothing newer exists), alone or up to four identical cards, within the budget. For a
model target each candidate is run through the fit engine at Q4_K_M and 8K context; the ones
that fit and reach the asked speed come first, cheapest first. Uses the engine does not model
(image generation, training) are answered honestly as out of scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.content.snapshot import Snapshot
from bot.handlers.planning_input import problem
from bot.planning import fitport
from bot.planning.fitport import FitOutcome, FitPort, PlanningInputError
from bot.planning.rigs import price_line
from bot.planning.targets import (
    Candidate,
    Target,
    candidates,
    model_words,
    pick_model,
    priced_ids,
    read_target,
)
from bot.planning.words import assumptions_section, gib, tps, usd
from bot.schema.answers import Answer, Section
from bot.schema.catalog import ModelEntry
from bot.schema.common import Source
from bot.schema.planning import Band, ChooseAnswer, Pick

REFERENCE_CONTEXT = 8192
SHOWN = 5
DEFAULT_MODEL_SIZE_B = 8.0
"""Without a target the ranking is by memory; this is only used to name a starting model."""


@dataclass(frozen=True)
class _Scored:
    candidate: Candidate
    outcome: FitOutcome | None

    @property
    def fits(self) -> bool:
        return self.outcome is not None and self.outcome.verdict == "runs_on_gpu"

    def meets(self, tokens_per_s: float | None) -> bool:
        """Fits, and even the slow end of the speed estimate reaches the target."""
        if not self.fits or self.outcome is None:
            return False
        return tokens_per_s is None or self.outcome.decode_low >= tokens_per_s

    def may_meet(self, tokens_per_s: float | None) -> bool:
        """Fits, and only the fast end of the estimate reaches the target."""
        if not self.fits or self.outcome is None or tokens_per_s is None:
            return False
        return self.outcome.decode_low < tokens_per_s <= self.outcome.decode_high

    @property
    def speed(self) -> float:
        return self.outcome.decode_low if self.outcome else 0.0


def _quant_for(model: ModelEntry) -> str | None:
    """Q4_K_M, except for models published in their own 4-bit format (gpt-oss: MXFP4)."""
    return None if model.family == "gpt-oss" else "Q4_K_M"


def _score(port: FitPort, model: ModelEntry, pool: list[Candidate]) -> list[_Scored]:
    """Fit every candidate; for one device, stop adding cards once the model fits (more cards
    in a layer split add memory, not decode speed)."""
    scored = []
    fitted_devices: set[tuple[str, str, float]] = set()
    for cand in sorted(pool, key=lambda c: (c.entry.id, c.price.condition, c.count)):
        key = (cand.entry.id, cand.price.condition, cand.memory_gib)
        if key in fitted_devices:
            continue
        try:
            outcome = port.fit(
                model.id, cand.rig_text, quant=_quant_for(model), context=REFERENCE_CONTEXT
            )
        except PlanningInputError:
            outcome = None
        item = _Scored(cand, outcome)
        scored.append(item)
        if item.fits:
            fitted_devices.add(key)
    return scored


def _rank_for_model(scored: list[_Scored], tokens_per_s: float | None) -> list[_Scored]:
    """Meets the target first (cheapest first when a speed was asked, fastest first when not),
    then fits without the speed (fastest first), then the rest (fastest first)."""

    def key(s: _Scored) -> tuple[int, float, float]:
        if s.meets(tokens_per_s):
            first = s.candidate.usd if tokens_per_s is not None else -s.speed
            return (0, first, s.candidate.usd)
        if s.may_meet(tokens_per_s):
            return (1, -s.speed, s.candidate.usd)
        if s.fits:
            return (2, -s.speed, s.candidate.usd)
        return (3, -s.speed, s.candidate.usd)

    return sorted(scored, key=key)


def _why_model(s: _Scored, model: ModelEntry, tokens_per_s: float | None) -> str:
    cand, out = s.candidate, s.outcome
    memory = f"{cand.memory_gib * cand.count:g} GiB"
    if out is None:
        return f"{memory}; the fit engine could not read this hardware."
    need = gib(out.total_bytes)
    speed = tps(out.decode_low, out.decode_high)
    if out.verdict == "runs_on_gpu":
        on_gpu = gib(out.gpu_bytes)
        text = f"{memory} holds {model.name} {out.quant} at 8K context ({on_gpu} used); {speed}"
        if tokens_per_s is not None:
            if s.meets(tokens_per_s):
                text += f", reaches {tokens_per_s:g} tokens/s"
            elif s.may_meet(tokens_per_s):
                text += f", reaches {tokens_per_s:g} tokens/s only at the fast end of the estimate"
            else:
                text += f", short of {tokens_per_s:g} tokens/s"
        return text + "."
    if out.verdict == "runs_with_offload":
        return f"{memory} is short of the {need} needed: runs only partly on the GPU at {speed}."
    return f"{memory} is far short of the {need} needed: does not run."


def _candidate_pick(rank: int, cand: Candidate, why: str, **fit: Any) -> Pick:
    """A ranked option: what it is and costs, why, and (`fit`) the engine's outcome if any."""
    return Pick(
        rank=rank,
        label=cand.label,
        hardware_id=cand.entry.id,
        count=cand.count,
        memory_gib=cand.memory_gib * cand.count,
        condition=cand.price.condition,
        usd=cand.usd,
        price=price_line(cand.price, cand.count),
        why=why,
        **fit,
    )


def _pick(rank: int, s: _Scored, why: str, tokens_per_s: float | None) -> Pick:
    out = s.outcome
    if out is None:
        return _candidate_pick(rank, s.candidate, why)
    return _candidate_pick(
        rank,
        s.candidate,
        why,
        fits=s.fits,
        decode_tokens_per_s=Band(low=out.decode_low, high=out.decode_high),
        meets_target=s.meets(tokens_per_s),
    )


def _general_rank(pool: list[Candidate]) -> list[Candidate]:
    """Without a model: most memory first (it decides what can run at all), then bandwidth
    (it decides decode speed), then price."""
    return sorted(
        pool,
        key=lambda c: (-c.memory_gib * c.count, -c.entry.bandwidth_gbps, c.usd, c.count),
    )


def _pick_lines(picks: list[Pick]) -> str:
    return "\n".join(
        f"{p.rank}. **{p.label}**: {usd(p.usd)} {p.condition}. {p.why}\n   - Price: {p.price}"
        for p in picks
    )


def _sources(picks: list[Pick], pool: list[Candidate], extra: list[Source]) -> list[Source]:
    by_label = {c.label: c for c in pool}
    found: list[Source] = []
    for p in picks:
        cand = by_label.get(p.label)
        if cand is not None:
            found += [cand.price.source, cand.entry.sources[0]]
    return list(dict.fromkeys([*found, *extra]))[:12]


def _unpriced(snapshot: Snapshot, today: dt.date) -> int:
    """Devices (not RAM configurations) with no price that can be ranked."""
    devices = sum(1 for e in snapshot.hardware.values() if e.device_kind != "ram")
    return devices - len(priced_ids(snapshot.hardware, today))


def _base_assumptions(pool: list[Candidate], unpriced: int) -> list[str]:
    return [
        "Prices are the catalog's newest dated new and used prices; a launch price (MSRP) is used "
        "only where there is nothing newer and the launch was in the last three years, and may "
        "not be what the part sells for today.",
        "Only the card or computer is priced: a rig of several cards also needs a board, power "
        "supply and case that can carry them.",
        f"{len(pool)} priced options fit the budget; {unpriced} catalog devices have no usable "
        "price yet and were not considered.",
    ]


def _memory_why(c: Candidate) -> str:
    return f"{c.memory_gib * c.count:g} GiB of memory at {c.entry.bandwidth_gbps:g} GB/s."


def _memory_picks(pool: list[Candidate]) -> list[Pick]:
    """The best-ranked options by memory and bandwidth alone, for when no model decides."""
    return [
        _candidate_pick(i + 1, c, _memory_why(c)) for i, c in enumerate(_general_rank(pool)[:SHOWN])
    ]


def _out_of_scope(budget: float, target: Target, pool: list[Candidate]) -> ChooseAnswer:
    picks = _memory_picks(pool)
    use = target.out_of_scope
    summary = (
        f"I can't rank hardware for {use}: the bot estimates running language models, not "
        f"{use}, and guessing would mislead you. Below is what the budget buys, by memory, for "
        "reference only."
    )
    return ChooseAnswer(
        answered=True,
        query=f"{budget:g} | {target.text}",
        title=f"Out of scope: {use}",
        summary=summary,
        sections=[Section(heading="Within budget, by memory (not a recommendation)",
                          body=_pick_lines(picks) or "Nothing in the catalog fits this budget.")],
        sources=_sources(picks, pool, []),
        budget_usd=budget,
        target=target.text,
        scope="out_of_scope",
        picks=picks,
        considered=len(pool),
    )  # fmt: skip


def _resolve_model(snapshot: Snapshot, target: Target) -> ModelEntry | None:
    named = model_words(target.text)
    if named:
        match = snapshot.indexes.models.resolve(named)
        if match.confident and match.best:
            return snapshot.models[match.best.entry_id]
    return pick_model(target, snapshot.models.values())


def choosegpu(snapshot: Snapshot, *, budget: int, target: str | None = None) -> Answer:
    """The best hardware a budget buys for a model (and speed), or by memory without one."""
    wanted = read_target(target)
    today = dt.date.today()
    pool = candidates(snapshot.hardware, budget, today)
    if wanted.out_of_scope:
        return _out_of_scope(budget, wanted, pool)
    if not pool:
        cheapest = min((p.usd for e in snapshot.hardware.values() for p in e.prices), default=None)
        hint = f" The cheapest priced device is {usd(cheapest)}." if cheapest else ""
        return problem("choosegpu", f"Nothing in the catalog is priced within {usd(budget)}.{hint}")
    model = _resolve_model(snapshot, wanted) if wanted.text else None
    if wanted.text and model is None and model_words(wanted.text):
        return problem(
            "choosegpu",
            f"I could not tell which model “{wanted.text}” means. Name one (e.g. `qwen2.5:32b`) "
            "or a size (e.g. `70B at 10 tok/s`, `coding 32B`, `image generation`).",
        )
    port = fitport.port_for(snapshot)
    unpriced = _unpriced(snapshot, today)
    assumptions = _base_assumptions(pool, unpriced)
    if wanted.text and model is None:
        assumptions.append(
            f"“{wanted.text}” names no model size, so this is ranked by memory; add one "
            "(e.g. `coding 32B`, `70B at 10 tok/s`) to rank for a model."
        )
    if model is None or port is None:
        return _by_memory(budget, wanted, pool, assumptions, model, port is None)
    scored = _rank_for_model(_score(port, model, pool), wanted.tokens_per_s)
    picks = [
        _pick(i + 1, s, _why_model(s, model, wanted.tokens_per_s), wanted.tokens_per_s)
        for i, s in enumerate(scored[:SHOWN])
    ]
    assumptions += [
        f"Each option is estimated by the fit engine for {model.name} at "
        f"{_quant_for(model) or 'its published quantization'} with {REFERENCE_CONTEXT:,} "
        "tokens of context; speeds are estimates, not measurements.",
    ]
    if wanted.params_b and model.params_b != wanted.params_b and not model_words(wanted.text):
        assumptions.append(f"{wanted.params_b:g}B was read as {model.name}.")
    top = picks[0] if picks else None
    speed_goal = f" at {wanted.tokens_per_s:g} tokens/s" if wanted.tokens_per_s else ""
    if top and top.meets_target:
        summary = (
            f"For {model.name}{speed_goal} within {usd(budget)}: **{top.label}** "
            f"({usd(top.usd)} {top.condition}). {top.why}"
        )
    elif top and top.fits:
        summary = (
            f"Within {usd(budget)} nothing surely reaches {wanted.tokens_per_s:g} tokens/s with "
            f"{model.name}; the best is **{top.label}** ({usd(top.usd)} {top.condition}). "
            f"{top.why}"
        )
    else:
        summary = f"Nothing within {usd(budget)} runs {model.name} fully on the GPU. " + (
            f"Closest: {top.label} ({usd(top.usd)}). {top.why}" if top else ""
        )
    outcome_sources = next((s.outcome.sources for s in scored if s.outcome), [])
    return ChooseAnswer(
        answered=True,
        query=f"{budget} | {wanted.text}",
        entry_id=model.id,
        confidence=1.0,
        title=f"Best hardware for {model.name} under {usd(budget)}",
        summary=summary,
        sections=[
            Section(heading="Ranked", body=_pick_lines(picks)),
            assumptions_section(assumptions),
        ],
        sources=_sources(picks, pool, list(outcome_sources[:2])),
        assumptions=assumptions,
        budget_usd=budget,
        target=wanted.text,
        scope="model",
        target_model_id=model.id,
        target_tokens_per_s=wanted.tokens_per_s,
        picks=picks,
        considered=len(pool),
        unpriced=unpriced,
    )


def _by_memory(  # noqa: PLR0917
    budget: float,
    wanted: Target,
    pool: list[Candidate],
    assumptions: list[str],
    model: ModelEntry | None,
    engine_missing: bool,
) -> ChooseAnswer:
    picks = _memory_picks(pool)
    assumptions = [
        *assumptions,
        "Ranked by memory (what can run at all), then bandwidth (how fast it decodes), then price.",
    ]
    if model is not None and engine_missing:
        assumptions.append(fitport.ENGINE_MISSING + f" Whether {model.name} fits is not checked.")
    top = picks[0]
    summary = (
        f"Within {usd(budget)} the most memory is **{top.label}** ({usd(top.usd)} "
        f"{top.condition}): {top.why} Add a target (e.g. `70B at 10 tok/s`) to rank for a model."
    )
    return ChooseAnswer(
        answered=True,
        query=f"{budget:g} | {wanted.text}",
        title=f"Most memory under {usd(budget)}",
        summary=summary,
        sections=[
            Section(heading="Ranked by memory", body=_pick_lines(picks)),
            assumptions_section(assumptions),
        ],
        sources=_sources(picks, pool, []),
        assumptions=assumptions,
        budget_usd=budget,
        target=wanted.text,
        scope="general",
        target_model_id=model.id if model else None,
        picks=picks,
        considered=len(pool),
    )
