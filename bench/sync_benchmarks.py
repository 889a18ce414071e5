#!/usr/bin/env python3
"""Copy published measurements from bench/reference/ into catalog/benchmarks/.

Run from the repository root: `python bench/sync_benchmarks.py [--dry-run] [--root DIR]`.

`bench/reference/speed.yaml` and `memory.yaml` hold every figure we collected; the catalog's
`benchmarks/` files hold the ones `/willitrun` and `/bench` may quote. This script turns each
reference row whose model, devices and runtime are all catalog ids into `BenchmarkEntry` items,
following "From here to catalog/benchmarks" in `bench/reference/README.md`:

- a speed row becomes one `decode_tps` or `prompt_tps` entry;
- a memory row becomes a `kv_cache_mib` entry (the logged `KV self size`) and, for a single-GPU
  log, a `compute_mib` entry (the GPU compute buffer);
- outlier rows, CPU-only runs on a GPU machine and memory rows without a quant stay out;
- every entry's notes end with "Reference row <id> in bench/reference/<file>".

A row is already synced when some catalog entry's notes name its id; such rows are left alone, so
the script can run again at any time and only appends. Existing entries are never rewritten: new
ones are added as text at the end of the right file (`speed-nvidia`, `speed-apple`,
`speed-amd-intel-other` by device vendor, `memory` for memory rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.fit_reference import gpu_keys  # noqa: E402
from bot.content.loader import load_content  # noqa: E402
from bot.content.snapshot import Snapshot  # noqa: E402
from bot.schema.catalog import BenchmarkEntry  # noqa: E402
from bot.schema.common import REVIEWER  # noqa: E402

Row = dict[str, Any]
Entry = dict[str, Any]

REVIEWED_ON = dt.date(2026, 11, 22)
"""Review stamp written into a benchmarks file this script has to create."""

REFERENCE_ROW = re.compile(r"Reference row ((?:spd|mem)-\d+) in bench/reference/")
"""How a catalog entry names the reference row it was copied from (the last words of notes)."""

SPEED_FILES = {"nvidia": "speed-nvidia.yaml", "apple": "speed-apple.yaml"}
OTHER_SPEED_FILE = "speed-amd-intel-other.yaml"
MEMORY_FILE = "memory.yaml"

TEST_SLUGS = {
    "llmfit bench avg": "bench",
    "obench eval rate": "obench",
    "decode_tokens_per_second from the ollama log": "decode",
}
"""Short id endings for long test names, as the hand-copied entries spell them."""


@dataclass
class SyncPlan:
    """What a sync would add, per catalog file, and why the other rows were left out."""

    additions: dict[str, list[Entry]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    stale_flags: list[str] = field(default_factory=list)
    """Rows whose ids are all in the catalog but which still say `ids_listed: false`."""

    @property
    def count(self) -> int:
        return sum(len(entries) for entries in self.additions.values())


def load_reference(reference: Path) -> tuple[list[Row], list[Row]]:
    """The memory rows and the speed rows of `reference/memory.yaml` and `reference/speed.yaml`."""

    def rows(name: str) -> list[Row]:
        path = reference / name
        if not path.exists():
            return []
        return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("rows", []))

    return rows("memory.yaml"), rows("speed.yaml")


def synced_rows(snapshot: Snapshot) -> set[str]:
    """Reference row ids that some catalog benchmark already names in its notes."""
    return {m for b in snapshot.benchmarks.values() for m in REFERENCE_ROW.findall(b.notes)}


def missing_ids(row: Row, snapshot: Snapshot) -> list[str]:
    """The row's model, device and runtime ids that the catalog does not have (empty: all in)."""
    missing = [] if row.get("model") in snapshot.models else [f"model {row.get('model')}"]
    missing += [
        f"hardware {d.get('hardware')}"
        for d in row.get("devices") or []
        if d.get("hardware") not in snapshot.hardware
    ]
    if row.get("runtime") not in snapshot.tools:
        missing.append(f"runtime {row.get('runtime')}")
    return missing


def slug(text: str) -> str:
    """Lower-case id fragment: runs of anything but letters, digits, `.` and `_` become `-`."""
    return re.sub(r"[^a-z0-9._]+", "-", text.lower()).strip("-._")


def devices_slug(devices: list[dict[str, Any]]) -> str:
    """`rtx-3090`, `rtx-3090-x2`, `rtx-5090-rtx-3090`: how existing ids name the devices."""
    parts = []
    for d in devices:
        count = int(d.get("count", 1))
        parts.append(d["hardware"] + (f"-x{count}" if count > 1 else ""))
    return "-".join(parts)


def id_stem(row: Row) -> str:
    """`llama3-8b-q4_k_m-rtx-3090-llama-cpp`: model, quant, devices and runtime, as in the
    existing ids; the metric's part follows."""
    parts = [row["model"], quant_slug(row["quant"]), devices_slug(row["devices"]), row["runtime"]]
    return "-".join(parts)


def test_slug(test: str) -> str:
    """The id ending for a source's test name (`tg128`, `prompt-eval`, `bench`)."""
    plain = _without_asides(test).lower()
    return TEST_SLUGS.get(plain, slug(plain).replace("_", "-"))


def quant_slug(quant: str) -> str:
    """`Q4_K_M` -> `q4_k_m`; an aside in brackets (`MXFP4 (MLX, Q8 non-expert)`) is left out."""
    return slug(_without_asides(quant))


def _without_asides(text: str) -> str:
    return re.sub(r"\s*\(.*?\)", "", text).strip()


def _devices(row: Row) -> list[dict[str, Any]]:
    return [{"hardware": d["hardware"], "count": int(d.get("count", 1))} for d in row["devices"]]


def _sources(row: Row) -> list[dict[str, str]]:
    return [dict(s) for s in [row["source"], *(row.get("extra_sources") or [])]]


def _sentence(text: str | None) -> str:
    text = " ".join(str(text or "").split())
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def _notes(*parts: str | None) -> str:
    return " ".join(s for s in (_sentence(p) for p in parts) if s)


def _gpu_layers(value: Any) -> int | None:
    """`gpu_layers` for the catalog: the count when only part of the model was on the GPU."""
    if isinstance(value, int):
        return value
    if m := re.match(r"^\s*(\d+)\s*/\s*(\d+)", str(value or "")):
        return int(m[1]) if int(m[1]) < int(m[2]) else None
    return None


def _optional(row: Row, *names: str) -> Entry:
    out: Entry = {}
    for name in names:
        value = row.get(name)
        if value is None or (name == "measured_on" and not isinstance(value, dt.date)):
            continue
        out[name] = value
    return out


def speed_entry(row: Row) -> Entry:
    """The catalog entry for one speed row (one figure)."""
    test = str(row.get("test") or row["metric"])
    ending = test_slug(test) + (f"-c{row['context']}" if row.get("context") else "")
    entry: Entry = {
        "id": f"{id_stem(row)}-{ending}",
        "model": row["model"],
        "quant": row["quant"],
        "devices": _devices(row),
        "runtime": row["runtime"],
        "metric": row["metric"],
        "value": row["value"],
        **_optional(row, "context", "prompt_tokens", "gen_tokens"),
    }
    if (layers := _gpu_layers(row.get("gpu_layers"))) is not None:
        entry["gpu_layers"] = layers
    entry.update(_optional(row, "command", "measured_on"))
    entry["notes"] = _notes(
        f"Backend: {row.get('backend', 'not stated')}",
        f"Test: {test}",
        f"Device as published: {row['device_label']}" if row.get("device_label") else None,
        row.get("notes"),
        f"Reference row {row['id']} in bench/reference/speed.yaml",
    )
    entry["sources"] = _sources(row)
    return entry


def _mib(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {float(v):.2f}" for k, v in values.items())


def memory_entries(row: Row) -> list[Entry]:
    """The catalog entries for one memory row: the KV cache, and the GPU compute buffer when the
    log is from one GPU; empty when the log shows neither."""
    kv_type = row.get("kv_type", "f16")
    base: Entry = {
        "model": row["model"],
        "quant": row["quant"],
        "devices": _devices(row),
        "runtime": row["runtime"],
        **_optional(row, "context"),
        "kv_cache": kv_type,
    }
    if (layers := _gpu_layers(row.get("gpu_layers"))) is not None:
        base["gpu_layers"] = layers
    context = f"-c{row['context']}" if row.get("context") else ""
    stem = f"{id_stem(row)}{context}-kv{kv_type}"
    fa = row.get("flash_attention")
    attention = f"Flash attention: {'not stated' if fa is None else ('on' if fa else 'off')}"
    tail = (row.get("notes"), f"Reference row {row['id']} in bench/reference/memory.yaml")
    entries = []
    if row.get("kv_total_mib"):
        per_device = row.get("kv_buffer_mib") or {}
        where = f" (per device MiB: {_mib(per_device)})" if per_device else ""
        entries.append(
            {
                "id": f"{stem}-kv",
                **base,
                "metric": "kv_cache_mib",
                "value": row["kv_total_mib"],
                "notes": _notes(
                    f"Logged 'KV self size' for the whole context{where}", attention, *tail
                ),
                "sources": _sources(row),
            }
        )
    compute = row.get("compute_buffer_mib") or {}
    gpu_buffers = gpu_keys(compute)
    one_gpu = sum(d["count"] for d in base["devices"]) == 1
    if one_gpu and len(gpu_buffers) == 1:
        host = {k: v for k, v in compute.items() if k not in gpu_buffers}
        separate = f"; the host-side compute buffer is separate ({_mib(host)} MiB)" if host else ""
        entries.append(
            {
                "id": f"{stem}-compute",
                **base,
                "metric": "compute_mib",
                "value": compute[gpu_buffers[0]],
                "notes": _notes(
                    f"Logged GPU compute buffer ('{gpu_buffers[0]} compute buffer size'){separate}",
                    attention,
                    *tail,
                ),
                "sources": _sources(row),
            }
        )
    return entries


def speed_file(row: Row, snapshot: Snapshot) -> str:
    """Which speed file a row belongs in: by vendor when every device shares one."""
    vendors = {snapshot.hardware[d["hardware"]].vendor for d in row["devices"]}
    if len(vendors) != 1:
        return OTHER_SPEED_FILE
    return SPEED_FILES.get(vendors.pop(), OTHER_SPEED_FILE)


def _cpu_run_on_gpu_machine(row: Row, snapshot: Snapshot) -> bool:
    """A CPU-only run on a GPU or SoC: the catalog entry could not say that the GPU was unused,
    and `/willitrun` would show the figure as the device's speed."""
    if str(row.get("backend", "")) != "cpu":
        return False
    return all(snapshot.hardware[d["hardware"]].device_kind != "cpu" for d in row["devices"])


def _validate(entry: Entry, row_id: str) -> None:
    try:
        BenchmarkEntry.model_validate(
            {"reviewed_by": REVIEWER, "reviewed_on": REVIEWED_ON, **entry}
        )
    except ValidationError as error:
        raise SystemExit(f"reference row {row_id} does not make a valid entry:\n{error}") from error


def row_entries(kind: str, row: Row, snapshot: Snapshot) -> tuple[str, list[Entry]] | str:
    """The catalog file and entries for one row whose ids are all in the catalog, or the reason
    it stays out (outlier, CPU-only run on a GPU, no quant, nothing to copy)."""
    if row.get("outlier"):
        return f"{kind}: marked outlier"
    if kind == "speed":
        if _cpu_run_on_gpu_machine(row, snapshot):
            return "speed: CPU-only run on a GPU machine"
        return speed_file(row, snapshot), [speed_entry(row)]
    if not row.get("quant"):
        return "memory: quant not stated"
    entries = memory_entries(row)
    return (MEMORY_FILE, entries) if entries else "memory: no KV total or single-GPU compute buffer"


def plan_sync(snapshot: Snapshot, memory_rows: list[Row], speed_rows: list[Row]) -> SyncPlan:
    """The entries a sync would append, without writing anything."""
    plan = SyncPlan()
    done = synced_rows(snapshot)
    taken = set(snapshot.benchmarks)
    for kind, rows in (("speed", speed_rows), ("memory", memory_rows)):
        for row in rows:
            if missing := missing_ids(row, snapshot):
                plan.skipped[f"{kind}: not in the catalog ({', '.join(missing)})"] += 1
                continue
            if row.get("ids_listed") is False:
                plan.stale_flags.append(row["id"])
            if row["id"] in done:
                plan.skipped[f"{kind}: already in the catalog"] += 1
                continue
            result = row_entries(kind, row, snapshot)
            if isinstance(result, str):
                plan.skipped[result] += 1
                continue
            target, entries = result
            for entry in entries:
                if entry["id"] in taken:
                    entry["id"] = f"{entry['id']}-{row['id']}"
                taken.add(entry["id"])
                _validate(entry, row["id"])
            plan.additions.setdefault(target, []).extend(entries)
    return plan


def _dump(entries: list[Entry], indent: str) -> str:
    text = yaml.safe_dump(entries, sort_keys=False, width=100, allow_unicode=True)
    return "".join(indent + line if line.strip() else line for line in text.splitlines(True))


def append_entries(path: Path, entries: list[Entry]) -> None:
    """Add `entries` at the end of a benchmarks file as text, so the entries already there stay
    byte for byte; create the file (with the review stamp) when it does not exist."""
    if not path.exists():
        header = {"reviewed_by": REVIEWER, "reviewed_on": REVIEWED_ON, "benchmarks": entries}
        path.write_text(yaml.safe_dump(header, sort_keys=False, width=100), encoding="utf-8")
        return
    old = path.read_text(encoding="utf-8")
    before = (yaml.safe_load(old) or {}).get("benchmarks") or []
    item = re.search(r"^( *)- ", old.split("benchmarks:", 1)[-1], re.MULTILINE)
    text = old + ("" if old.endswith("\n") else "\n") + _dump(entries, item[1] if item else "")
    after = (yaml.safe_load(text) or {}).get("benchmarks") or []
    if after != [*before, *entries]:
        raise SystemExit(f"appending to {path} would not keep its entries; nothing written")
    path.write_text(text, encoding="utf-8")


def sync(root: Path, reference: Path, *, write: bool = True) -> SyncPlan:
    """Plan the sync for the content under `root` and, unless `write` is false, append the new
    entries and check that the content still loads."""
    snapshot = load_content(root)
    plan = plan_sync(snapshot, *load_reference(reference))
    if write and plan.count:
        for name, entries in plan.additions.items():
            append_entries(root / "catalog" / "benchmarks" / name, entries)
        load_content(root)
    return plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="content root (catalog/)")
    parser.add_argument("--reference", type=Path, default=ROOT / "bench" / "reference")
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")
    args = parser.parse_args()
    plan = sync(args.root, args.reference, write=not args.dry_run)
    verb = "would add" if args.dry_run else "added"
    for name, entries in sorted(plan.additions.items()):
        print(f"{name}: {verb} {len(entries)}")
        for entry in entries:
            print(f"  {entry['id']}  ({REFERENCE_ROW.search(entry['notes'])[1]})")
    print(f"{verb} {plan.count} entries in all")
    if plan.skipped:
        print("rows left out:")
        for reason, n in sorted(plan.skipped.items()):
            print(f"  {n:4}  {reason}")
    if plan.stale_flags:
        print(f"rows whose ids are all in the catalog but say ids_listed: false: "
              f"{', '.join(plan.stale_flags)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
