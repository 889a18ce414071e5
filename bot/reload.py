"""Content reload without a restart: SIGHUP to a running bot makes it load the content again.

A running process (the Discord bot, the editors' web page) calls `install_reload_signal` once its
event loop runs. That records a small status file `<data>/run/<pid>.json` and reloads the
ContentHolder on every SIGHUP. `python -m bot editor reload` finds those files, signals each
live process and waits for it to write back how the reload went. A broken file keeps the last
good content live; the status file and the log say what was wrong.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content.holder import ContentHolder
from bot.content.problems import ContentError, Problem

log = logging.getLogger(__name__)

RELOAD_SIGNAL = getattr(signal, "SIGHUP", None)
"""None on platforms without SIGHUP (Windows), where only an in-process reload works."""


@dataclass(frozen=True)
class ReloadOutcome:
    """How one reload went, in one process."""

    pid: int
    name: str
    ok: bool
    message: str
    at: float = 0.0
    """`time.time()` when the reload finished; 0 when it never happened."""


def run_dir(data_dir: Path) -> Path:
    """Where running processes leave their status files."""
    return data_dir / "run"


@dataclass(frozen=True)
class ContentReload:
    """What one in-process reload did: the new counts, or why the old content stayed live."""

    ok: bool
    counts: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    failure: str = ""
    """An unexpected error (an unreadable folder) rather than problems in the files."""

    @property
    def message(self) -> str:
        """One paragraph: the counts, or every problem (for logs and status files)."""
        if self.ok:
            return "reloaded: " + ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        if self.problems:
            return f"kept the previous content live: {ContentError(list(self.problems))}"
        return f"kept the previous content live: {self.failure}"

    def brief(self, root: Path, shown: int = 5) -> str:
        """A few lines for a chat reply: the first `shown` problems, file names relative to
        `root` (never the server's own paths), and how many more there are."""
        if self.ok:
            return self.message.capitalize() + "."
        if not self.problems:
            return "Kept the previous content live: the content could not be read (see the log)."
        noun = "problem" if len(self.problems) == 1 else "problems"
        lines = [f"Kept the previous content live: {len(self.problems)} {noun}."]
        for problem in self.problems[:shown]:
            where = _relative(problem.file, root)
            if problem.entry != "-":
                where += f" ({problem.entry}"
                where += f", `{problem.field}`)" if problem.field != "-" else ")"
            lines.append(f"- {where}: {problem.message}")
        if len(self.problems) > shown:
            lines.append(f"- and {len(self.problems) - shown} more; `python -m bot validate`")
        return "\n".join(lines)


def _relative(file: str, root: Path) -> str:
    """`file` as an editor knows it, in backticks: relative to the content folder."""
    path = Path(file)
    if not path.is_absolute():
        return f"`{file}`"
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        return f"`{path.name}`"
    return f"`{relative}`" if relative != "." else "the content folder"


def try_reload(holder: ContentHolder) -> ContentReload:
    """Reload the holder and say how it went. Never raises: bad content keeps the old live."""
    try:
        snapshot = holder.reload()
    except ContentError as error:
        return ContentReload(ok=False, problems=tuple(error.problems))
    except Exception as error:  # an unreadable folder must not kill a serving process
        log.exception("content reload failed")
        return ContentReload(ok=False, failure=repr(error))
    return ContentReload(ok=True, counts=snapshot.counts())


def reload_content(holder: ContentHolder) -> tuple[bool, str]:
    """Reload the holder; return (ok, what to tell the editor). Never raises on bad content."""
    outcome = try_reload(holder)
    return outcome.ok, outcome.message


class ReloadHandle:
    """The installed signal handler and status file; `close()` removes both."""

    def __init__(
        self, holder: ContentHolder, data_dir: Path, name: str, loop: asyncio.AbstractEventLoop
    ) -> None:
        self.holder = holder
        self.name = name
        self.loop = loop
        self.pid = os.getpid()
        self.status_file = run_dir(data_dir) / f"{self.pid}.json"
        self.last: ReloadOutcome | None = None
        self._pending: asyncio.Task[ReloadOutcome] | None = None

    def _write_status(self) -> None:
        payload: dict[str, Any] = {"pid": self.pid, "name": self.name, "last_reload": None}
        if self.last is not None:
            payload["last_reload"] = {
                "ok": self.last.ok,
                "message": self.last.message,
                "at": self.last.at,
            }
        self.status_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.status_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(payload), encoding="utf-8")
        temporary.replace(self.status_file)

    async def reload(self) -> ReloadOutcome:
        """Reload on a worker thread (loading reads many files), then publish the outcome."""
        ok, message = await asyncio.to_thread(reload_content, self.holder)
        self.last = ReloadOutcome(self.pid, self.name, ok, message, time.time())
        (log.info if ok else log.error)("content reload (%s): %s", self.name, message)
        self._write_status()
        return self.last

    def _on_signal(self) -> None:
        self._pending = self.loop.create_task(self.reload())

    def close(self) -> None:
        """Stop listening for the signal and remove the status file."""
        if RELOAD_SIGNAL is not None:
            self.loop.remove_signal_handler(RELOAD_SIGNAL)
        self.status_file.unlink(missing_ok=True)


def install_reload_signal(holder: ContentHolder, data_dir: Path, name: str) -> ReloadHandle:
    """Reload `holder` on SIGHUP from now on. Call from inside the running event loop.

    `name` says which process this is ("discord", "web") in `editor reload`'s report.
    """
    handle = ReloadHandle(holder, data_dir, name, asyncio.get_running_loop())
    if RELOAD_SIGNAL is None:
        log.warning("this platform has no SIGHUP; content reloads need a restart")
        return handle
    handle.loop.add_signal_handler(RELOAD_SIGNAL, handle._on_signal)
    handle._write_status()
    log.info("reloading content on SIGHUP to pid %s", handle.pid)
    return handle


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_status(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def signal_running(data_dir: Path, timeout_s: float = 10.0) -> list[ReloadOutcome]:
    """SIGHUP every live process that installed the reload signal; wait for their outcomes.

    Stale status files (the process is gone) are removed. A process that does not answer in
    `timeout_s` is reported as not ok.
    """
    if RELOAD_SIGNAL is None:
        return []
    sent: dict[Path, tuple[int, str]] = {}
    started = time.time()
    for path in sorted(run_dir(data_dir).glob("*.json")):
        status = _read_status(path)
        if status is None:
            continue
        pid, name = int(status.get("pid", 0)), str(status.get("name", "?"))
        if pid <= 0 or not _alive(pid):
            path.unlink(missing_ok=True)
            continue
        os.kill(pid, RELOAD_SIGNAL)
        sent[path] = (pid, name)
    outcomes: dict[Path, ReloadOutcome] = {}
    while len(outcomes) < len(sent) and time.time() - started < timeout_s:
        for path, (pid, name) in sent.items():
            last = (_read_status(path) or {}).get("last_reload") or {}
            if path not in outcomes and float(last.get("at", 0)) >= started:
                outcomes[path] = ReloadOutcome(
                    pid, name, bool(last["ok"]), last["message"], last["at"]
                )
        time.sleep(0.05)
    for path, (pid, name) in sent.items():
        outcomes.setdefault(path, ReloadOutcome(pid, name, False, "did not answer in time"))
    return list(outcomes.values())
