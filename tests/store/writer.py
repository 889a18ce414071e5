"""A writer process for the loss tests: records misses and prints each id once committed.

    python -m tests.store.writer DB_PATH PREFIX COUNT [--same]

Prints `committed N` after the N-th commit returned, flushed at once, so a test that kills this
process knows which rows must be in the database.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from bot.schema.misses import Miss
from bot.store import MissStore


def miss(query: str, normalised: str) -> Miss:
    return Miss(
        command="define",
        option="term",
        query=query,
        normalised=normalised,
        reason="unanswered",
        user_hash=None,
        at=dt.datetime.now(dt.UTC),
    )


def main(argv: list[str]) -> int:
    path, prefix, count = Path(argv[0]), argv[1], int(argv[2])
    same = "--same" in argv
    store = MissStore(path)
    for number in range(count):
        key = "shared question" if same else f"{prefix} {number}"
        store.record(miss(key, key))
        print(f"committed {number}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
