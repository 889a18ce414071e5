#!/usr/bin/env python3
"""Performance bench: start-up, memory, handler and autocomplete latency, and the cost curve.

Run from the repository root: `python bench/perf.py [--scale 10] [--rounds 200]`.
Prints a table; exits 0 whatever the figures (targets are read by people, not enforced).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.content.holder import ContentHolder  # noqa: E402
from bot.content.loader import load_content  # noqa: E402
from bot.content.markdown import split_front_matter  # noqa: E402
from bot.handlers.dispatch import Dispatcher, Invocation  # noqa: E402
from bot.handlers.willitrun import clear_verdict_cache  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.transports.console import parse_line  # noqa: E402

QUERIES = ROOT / "tests" / "queries"
SCALED_CATALOG_KINDS = ("models", "hardware", "tools", "benchmarks")
COMMAND_FOR_FILE = {"define": "/define", "fix": "/fix", "ask": "/ask", "willitrun": "/willitrun"}


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def query_lines() -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {}
    for path in sorted(QUERIES.glob("*.txt")):
        command = COMMAND_FOR_FILE.get(path.stem)
        if command is None:
            continue
        rows = [r.strip() for r in path.read_text().splitlines()]
        lines[command] = [f"{command} {r}" for r in rows if r and not r.startswith("#")]
    return lines


def time_startup(root: Path, rounds: int = 5) -> float:
    """Median seconds to read, validate, cross-check and index all content."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        load_content(root)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def resident_memory_mb(root: Path) -> float:
    """RSS of a fresh interpreter after loading the content, in MB (10^6 bytes)."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from pathlib import Path; from bot.content.loader import load_content;"
        "from bot.handlers.commands import commands; commands();"
        "s = load_content(Path(sys.argv[2]));"
        "print([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), str(root)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.strip()) * 1024 / 1e6


def handler_latency(root: Path, rounds: int) -> dict[str, tuple[float, float, int]]:
    """p50 and p99 in milliseconds per command, over every query line, `rounds` passes."""
    dispatcher = Dispatcher(ContentHolder(root))
    results = {}
    for command, lines in query_lines().items():
        invocations = []
        for line in lines:
            try:
                invocations.append(parse_line(line))
            except ValueError:
                continue
        if not invocations:
            continue
        samples = []

        async def run_all(
            invs: list[Invocation] = invocations, samples: list[float] = samples
        ) -> None:
            for inv in invs:  # warm-up: first calls pay for imports and caches
                await dispatcher.run(inv)
            for _ in range(rounds):
                for inv in invs:
                    clear_verdict_cache()  # time the engine, not the verdict cache
                    start = time.perf_counter()
                    await dispatcher.run(inv)
                    samples.append((time.perf_counter() - start) * 1000)

        asyncio.run(run_all())
        results[command] = (percentile(samples, 0.5), percentile(samples, 0.99), len(invocations))
    return results


def autocomplete_latency(root: Path, rounds: int) -> tuple[float, float]:
    """p50 and p99 in ms of one autocomplete call, over prefixes of every query."""
    snapshot = load_content(root)
    indexes = [
        snapshot.indexes.glossary,
        snapshot.indexes.errors,
        snapshot.indexes.models,
        snapshot.indexes.hardware,
    ]
    prefixes = {
        line.split(" ", 1)[1][:n]
        for lines in query_lines().values()
        for line in lines
        for n in (1, 3, 6, 12)
    }
    samples = []
    for _ in range(max(1, rounds // 20)):
        for prefix in prefixes:
            for index in indexes:
                start = time.perf_counter()
                index.complete(prefix, limit=25)
                samples.append((time.perf_counter() - start) * 1000)
    return percentile(samples, 0.5), percentile(samples, 0.99)


def scaled_copy(root: Path, scale: int, target: Path) -> Path:
    """Content with every answer and catalog entry repeated `scale` times under new ids."""
    shutil.copytree(root / "answers", target / "answers")
    shutil.copytree(root / "catalog", target / "catalog")
    for copy in range(1, scale):
        suffix = f"-x{copy}"
        for path in list((root / "answers").rglob("*.md")):
            if path.name == "README.md" or path.parent.name == "pages":
                continue
            text = _rename_answer(path.read_text(), suffix)
            out = target / path.relative_to(root).with_name(path.stem + suffix + ".md")
            out.write_text(text)
        for path in list((root / "catalog").rglob("*.yaml")):
            if path.parent.name not in SCALED_CATALOG_KINDS:
                continue  # prices and cloud rates stay single: they refer to the entries above
            out = target / path.relative_to(root).with_name(path.stem + suffix + ".yaml")
            out.write_text(_rename_catalog(path.read_text(), suffix))
    return target


def _rename_answer(text: str, suffix: str) -> str:
    """The same entry under a new id and title, claiming no alias and linking nothing."""
    data, body = split_front_matter(text)
    data["id"] = f"{data['id']}{suffix}"
    for field in ("term", "title", "question"):
        if field in data:
            data[field] = f"{data[field]} {suffix}"
    for field in ("aliases", "phrasings", "related", "messages"):
        if field in data:
            data[field] = [f"{data['id']} {field}"] if field == "messages" else []
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body


def _rename_catalog(text: str, suffix: str) -> str:
    data = yaml.safe_load(text)
    for key, entries in data.items():
        if not isinstance(entries, list):
            continue
        for entry in entries:
            entry["id"] = entry["id"] + suffix
            if "name" in entry:
                entry["name"] = f"{entry['name']} {suffix}"
            for field in ("aliases", "ollama_tags", "hf_ids", "gguf_repos"):
                entry.pop(field, None)
            if key == "benchmarks":
                entry["model"] += suffix
                entry["runtime"] += suffix
                for device in entry["devices"]:
                    device["hardware"] += suffix
    return yaml.safe_dump(data, sort_keys=False)


def report(label: str, root: Path, rounds: int) -> None:
    counts = load_content(root).counts()
    print(f"\n## {label}: {sum(counts.values())} entries {counts}")
    print(
        f"start-up (load + validate + index): {time_startup(root) * 1000:.0f} ms  (target < 1000)"
    )
    print(f"resident memory after load: {resident_memory_mb(root):.0f} MB  (target < 150)")
    for command, (p50, p99, n) in handler_latency(root, rounds).items():
        print(
            f"handler {command:<11} p50 {p50:.3f} ms  p99 {p99:.3f} ms  over {n} queries "
            "(target p99 < 5)"
        )
    p50, p99 = autocomplete_latency(root, rounds)
    print(f"autocomplete p50 {p50:.3f} ms  p99 {p99:.3f} ms  (target p99 < 2)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=10, help="content multiplier for the curve")
    parser.add_argument("--rounds", type=int, default=50, help="passes over the queries")
    args = parser.parse_args()
    root = Settings.from_env().content_dir
    report("bundled content", root, args.rounds)
    if args.scale > 1:
        with tempfile.TemporaryDirectory() as tmp:
            report(f"{args.scale}x content", scaled_copy(root, args.scale, Path(tmp)), args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
