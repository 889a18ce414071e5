"""A small Chrome DevTools Protocol client over aiohttp's websocket, for the browser test.

Just what the test needs: start Debian's chromium headless, open its page, navigate, click with
real mouse events, type, read the page, take a screenshot. No browser download, no extra package.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
    "--remote-debugging-port=0",
)


def find_chromium() -> str | None:
    """The browser to drive: $RUNLOCAL_CHROMIUM, else chromium (Debian) on the PATH."""
    explicit = os.environ.get("RUNLOCAL_CHROMIUM")
    if explicit:
        return shutil.which(explicit)
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


class CdpError(RuntimeError):
    """The browser answered a command with an error."""


class Page:
    """One browser tab, driven over its DevTools websocket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: list[tuple[str, dict[str, Any]]] = []
        self._event_arrived = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data:
                future = self._pending.pop(data["id"], None)
                if future and not future.done():
                    future.set_result(data)
            else:
                self.events.append((data["method"], data.get("params", {})))
                self._event_arrived.set()

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Run one DevTools command and return its result."""
        self._next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[self._next_id] = future
        await self.ws.send_str(
            json.dumps({"id": self._next_id, "method": method, "params": params})
        )
        reply = await asyncio.wait_for(future, timeout=30)
        if "error" in reply:
            raise CdpError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    async def wait_for_event(self, method: str, after: int, timeout: float = 30) -> dict[str, Any]:
        """The first `method` event among those that arrived after `after` events."""
        async with asyncio.timeout(timeout):
            while True:
                for name, params in self.events[after:]:
                    if name == method:
                        return params
                self._event_arrived.clear()
                await self._event_arrived.wait()

    async def navigate(self, url: str) -> None:
        mark = len(self.events)
        await self.send("Page.navigate", url=url)
        await self.wait_for_event("Page.loadEventFired", mark)

    async def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page (DevTools, not page script)."""
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise CdpError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def click(self, selector: str, navigates: bool = False) -> None:
        """Press and release the mouse at the middle of the element, as a person would."""
        box = await self.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        x, y = box
        mark = len(self.events)
        await self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            await self.send(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )
        if navigates:
            await self.wait_for_event("Page.loadEventFired", mark)

    async def type_text(self, text: str) -> None:
        """Type into the focused element."""
        await self.send("Input.insertText", text=text)

    async def screenshot(self, path: Path) -> None:
        shot = await self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self.ws.close()


class Browser:
    """A headless chromium process with a fresh profile, and a session to talk to it."""

    def __init__(self, executable: str, profile: Path) -> None:
        self.executable = executable
        self.profile = profile
        self.process: asyncio.subprocess.Process | None = None
        self.session: aiohttp.ClientSession | None = None
        self.log: list[str] = []

    async def start(self) -> Page:
        """Launch, wait for the DevTools address, and connect to the first tab."""
        self.process = await asyncio.create_subprocess_exec(
            self.executable,
            *FLAGS,
            f"--user-data-dir={self.profile}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        assert self.process.stderr is not None
        port = None
        async with asyncio.timeout(60):
            while port is None:
                line = (await self.process.stderr.readline()).decode(errors="replace")
                if not line:
                    raise CdpError("chromium exited:\n" + "".join(self.log))
                self.log.append(line)
                found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
                port = int(found.group(1)) if found else None
        self._drain = asyncio.create_task(self._keep_reading_log())
        self.session = aiohttp.ClientSession()
        targets = await (await self.session.get(f"http://127.0.0.1:{port}/json/list")).json()
        page_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        page = Page(await self.session.ws_connect(page_url, max_msg_size=0))
        await page.send("Page.enable")
        await page.send("Runtime.enable")
        return page

    async def _keep_reading_log(self) -> None:
        assert self.process and self.process.stderr
        while line := await self.process.stderr.readline():
            self.log.append(line.decode(errors="replace"))

    async def stop(self) -> None:
        if self.session:
            await self.session.close()
        if self.process and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        if hasattr(self, "_drain"):
            self._drain.cancel()
