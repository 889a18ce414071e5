#!/usr/bin/env python3
"""How long the fit engine takes per `/willitrun` estimate (target: well under 1 ms).

Run from the repository root: `python bench/fit_speed.py [--content DIR] [--rounds 200]`.
Loads the catalog (the repository's, or the test fixtures when it has no models), answers every
query in `tests/queries/willitrun.txt` once to warm the per-model caches, then times each query
`--rounds` times, five times over, and keeps the best of the five (what the code costs, not what
the other processes on the machine cost). Prints per-query and overall figures; also the core
evaluation alone (memory, placement, speed) without the context table and alternatives.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fit_catalog import load_catalog  # noqa: E402
from bot.fit.engine import estimate  # noqa: E402
from bot.fit.errors import FitInputError  # noqa: E402
from bot.fit.hardware_parser import parse_hardware  # noqa: E402
from bot.fit.model_parser import parse_model  # noqa: E402
from bot.fit.runtimes import OLLAMA  # noqa: E402
from bot.fit.scenario import Case, build_hardware, evaluate  # noqa: E402
from bot.handlers.willitrun import split_positional  # noqa: E402
from bot.schema.fit import FitRequest  # noqa: E402

QUERIES = ROOT / "tests" / "queries" / "willitrun.txt"


def requests() -> list[FitRequest]:
    out = []
    for line in QUERIES.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            options = split_positional(" | ".join(p.strip() for p in line.split("|")))
            context = options.pop("context", None)
            out.append(FitRequest(**options, context=int(context) if context else None))
    return out


def best_of(fn: Callable[[], object], rounds: int, repeats: int = 5) -> float:
    """Best mean seconds per call over `repeats` loops of `rounds` calls."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(rounds):
            fn()
        best = min(best, (time.perf_counter() - start) / rounds)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT, help="content root (catalog/)")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    catalog, origin = load_catalog(args.content)
    print(f"catalog: {origin} ({len(catalog.models)} models, {len(catalog.hardware)} devices)")
    full: list[float] = []
    core: list[float] = []
    print(f"{'query':58} {'full ms':>8} {'core ms':>8}")
    for request in requests():
        label = f"{request.model} | {request.hardware}"[:58]
        try:
            estimate(request, catalog)
        except FitInputError:
            print(f"{label:58} {'(not in catalog)':>17}")
            continue
        t_full = best_of(lambda r=request: estimate(r, catalog), args.rounds)
        match = parse_model(request.model, catalog.models)
        parsed = parse_hardware(request.hardware, catalog.hardware)
        hw = build_hardware(
            parsed.devices, parsed.system_ram_bytes, parsed.system_ram_bandwidth_gbps, OLLAMA
        )
        case = Case(match.model, match.quant or "Q4_K_M", request.context or 4096)
        t_core = best_of(lambda c=case, h=hw: evaluate(c, h, OLLAMA), args.rounds)
        full.append(t_full * 1e3)
        core.append(t_core * 1e3)
        print(f"{label:58} {t_full * 1e3:8.3f} {t_core * 1e3:8.3f}")
    if full:
        print()
        print(f"estimates timed: {len(full)}")
        print(f"full answer  median {statistics.median(full):.3f} ms   worst {max(full):.3f} ms")
        print(f"core only    median {statistics.median(core):.3f} ms   worst {max(core):.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
