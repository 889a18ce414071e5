"""Answer objects of the planning commands: /bench, /cost, /compare and /choosegpu.

Each is an `EntryAnswer`, so every renderer shows it through its sections (the handler writes
them), and each adds the structured figures that `--json` prints for scripts. Ranges are
`low`/`high` pairs; a break-even that never comes is `None` with `break_even_never` set.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from bot.schema.answers import EntryAnswer
from bot.schema.common import Frozen, Source


class Band(Frozen):
    """A low-high pair (tokens/s, dollars, months)."""

    low: float
    high: float


class PlanningAnswer(EntryAnswer):
    """Base of the planning answers: every assumption the numbers rest on, in words."""

    assumptions: list[str] = []


class BenchRow(Frozen):
    """One measured figure from the catalog, as it was published."""

    benchmark_id: str
    hardware: str
    """The devices, e.g. "2x NVIDIA GeForce RTX 3090"."""
    hardware_ids: list[str]
    quant: str
    runtime: str
    metric: str
    value: float
    unit: str
    context: int | None = None
    kv_cache: str = "f16"
    prompt_tokens: int | None = None
    gen_tokens: int | None = None
    gpu_layers: int | None = None
    command: str | None = None
    measured_on: dt.date | None = None
    notes: str = ""
    source: Source


class BenchAnswer(PlanningAnswer):
    kind: Literal["bench"] = "bench"
    model_id: str
    hardware_filter: str | None = None
    rows: list[BenchRow] = []


class CloudQuote(Frozen):
    """A dated cloud price the home cost is compared with."""

    cloud_id: str
    provider: str
    model_name: str
    input_usd_per_mtok: float
    output_usd_per_mtok: float
    as_of: dt.date
    match: Literal["same_weights", "comparable"]
    source: Source


class CostAnswer(PlanningAnswer):
    kind: Literal["cost"] = "cost"
    model_id: str
    hardware: str
    quant: str
    power_w: float | None = None
    decode_tokens_per_s: Band | None = None
    speed_basis: Literal["measured", "estimated", "none"] = "none"
    usd_per_kwh: float
    hours_per_day: float
    home_usd_per_mtok: Band | None = None
    cloud: list[CloudQuote] = []
    hardware_usd: float | None = None
    monthly_saving_usd: Band | None = None
    break_even_months: Band | None = None
    """Fast end first; None when either end never pays back (see break_even_never)."""
    break_even_never: bool = False


class ModelSpeed(Frozen):
    """How one reference model fares on one rig."""

    model_id: str
    model_name: str
    verdict: str
    decode_tokens_per_s: Band


class RigColumn(Frozen):
    """One side of a comparison."""

    text: str
    label: str
    memory_gib: float
    """GPU memory (or unified memory) of all devices together."""
    bandwidth_gbps: list[float]
    fp16_tflops: float | None = None
    power_w: float | None = None
    backends: list[str] = []
    price_usd: float | None = None
    price_lines: list[str] = []
    largest_fit: str | None = None
    """The largest reference model that fits fully at the reference quant and context."""
    speeds: list[ModelSpeed] = []


class CompareAnswer(PlanningAnswer):
    kind: Literal["compare"] = "compare"
    rigs: list[RigColumn]
    reference_quant: str = "Q4_K_M"
    reference_context: int = 8192


class Pick(Frozen):
    """One ranked choice for a budget."""

    rank: int
    label: str
    hardware_id: str
    count: int
    memory_gib: float
    condition: str
    usd: float
    price: str
    """The price line with its date and source."""
    fits: bool | None = None
    decode_tokens_per_s: Band | None = None
    meets_target: bool | None = None
    why: str


class ChooseAnswer(PlanningAnswer):
    kind: Literal["choosegpu"] = "choosegpu"
    budget_usd: float
    target: str = ""
    scope: Literal["model", "general", "out_of_scope"] = "general"
    target_model_id: str | None = None
    target_tokens_per_s: float | None = None
    picks: list[Pick] = []
    considered: int = 0
    unpriced: int = 0
