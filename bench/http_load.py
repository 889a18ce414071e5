#!/usr/bin/env python3
"""Load bench for `python -m bot serve-http` on 127.0.0.1, bounded in time and requests.

Starts the endpoint in its own process, signs a mix of real interactions once, then sends them
from N concurrent connections for a fixed time and prints requests per second and latency
p50/p99. The load comes from `wrk` (Debian package `wrk`) when it is installed, since a Python
client on the same two cores takes half the CPU from the server it measures; otherwise from an
aiohttp client. Run from the repository root:
`python bench/http_load.py [--seconds 10] [--concurrency 32] [--distinct 3000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from nacl.signing import SigningKey

ROOT = Path(__file__).resolve().parent.parent
MAX_REQUESTS = 200_000
"""A hard stop, whatever the duration: the bench must end by itself."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def interactions(distinct_verdicts: int = 0) -> list[dict]:
    def command(name: str, **options: str | int) -> dict:
        return {
            "type": 2,
            "id": "1",
            "token": "t",
            "guild_id": "1",
            "channel_id": "2",
            "member": {"user": {"id": "3"}},
            "data": {
                "name": name,
                "options": [{"name": k, "value": v, "type": 3} for k, v in options.items()],
            },
        }

    autocomplete = command("define", term="kv")
    autocomplete["type"] = 4
    autocomplete["data"]["options"][0]["focused"] = True
    if distinct_verdicts:
        # Every /willitrun asks a different context, so none is served from the verdict cache.
        verdicts = [
            command("willitrun", model="qwen2.5:72b", hardware="2x3090", context=1024 + n)
            for n in range(distinct_verdicts)
        ]
    else:
        verdicts = [command("willitrun", model="qwen2.5:72b", hardware="2x3090")]
    mix = [
        {"type": 1},
        command("define", term="KV cache"),
        command("fix", problem="CUDA out of memory"),
        command("ask", question="how much RAM do I need for a 70B model?"),
        autocomplete,
    ]
    # Interleave: one verdict after each of the other kinds, cycling through the verdicts.
    return [item for verdict in verdicts for item in (*mix, verdict)]


def sign(key: SigningKey, payload: dict) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    stamp = str(int(time.time()))
    signature = key.sign(stamp.encode() + body).signature.hex()
    return body, {
        "X-Signature-Ed25519": signature,
        "X-Signature-Timestamp": stamp,
        "Content-Type": "application/json",
    }


async def wait_ready(url: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the endpoint did not start")


async def load(
    url: str, requests: list[tuple[bytes, dict[str, str]]], seconds: float, concurrency: int
) -> tuple[list[float], int]:
    latencies: list[float] = []
    failures = 0
    stop = time.monotonic() + seconds

    async def worker(session: aiohttp.ClientSession, offset: int) -> None:
        nonlocal failures
        i = offset
        while time.monotonic() < stop and len(latencies) + failures < MAX_REQUESTS:
            body, headers = requests[i % len(requests)]
            i += 1
            start = time.perf_counter()
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    failures += 1
                    continue
            latencies.append((time.perf_counter() - start) * 1000)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session, n) for n in range(concurrency)))
    return latencies, failures


WRK_SCRIPT = """
local requests = {%s}
local n = 0
request = function()
  n = n + 1
  local r = requests[(n %% #requests) + 1]
  return wrk.format("POST", "/interactions", r.headers, r.body)
end
done = function(summary, latency, requests)
  io.write(string.format("WRK %%d %%d %%.3f %%.3f %%d\\n", summary.requests,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def _lua_request(body: bytes, headers: dict[str, str]) -> str:
    fields = ", ".join(f'["{k}"] = "{v}"' for k, v in headers.items())
    return "{body = [==[" + body.decode() + "]==], headers = {" + fields + "}}"


def load_with_wrk(
    url: str, requests: list[tuple[bytes, dict[str, str]]], seconds: float, concurrency: int
) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p99 ms, failures) measured by wrk."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "interactions.lua"
        script.write_text(WRK_SCRIPT % ", ".join(_lua_request(b, h) for b, h in requests))
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{concurrency}",
                f"-d{max(1, round(seconds))}s",
                "-s",
                str(script),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    line = next(row for row in out.splitlines() if row.startswith("WRK "))
    done, duration_us, p50, p99, failures = line.split()[1:]
    return int(done) / (int(duration_us) / 1e6), float(p50), float(p99), int(failures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="serve-http worker processes (default: one per core)",
    )
    parser.add_argument("--python-client", action="store_true", help="never use wrk")
    parser.add_argument(
        "--distinct",
        type=int,
        default=0,
        help="N different /willitrun questions (defeats the verdict cache; 0: one repeated)",
    )
    args = parser.parse_args()
    key = SigningKey.generate()
    port = free_port()
    env = {
        **os.environ,
        "DISCORD_PUBLIC_KEY": key.verify_key.encode().hex(),
        "RUNLOCAL_LOG_LEVEL": "WARNING",
        "RUNLOCAL_DATA_DIR": str(Path("data") / "bench"),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "serve-http",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(wait_ready(base + "/healthz"))
        requests = [sign(key, payload) for payload in interactions(args.distinct)]
        if shutil.which("wrk") and not args.python_client:
            generator = "wrk"
            # Warm-up: every worker imports, loads and fills its caches before the clock runs.
            load_with_wrk(base + "/interactions", requests, 2, args.concurrency)
            rate, p50, p99, failures = load_with_wrk(
                base + "/interactions", requests, args.seconds, args.concurrency
            )
        else:
            generator = "aiohttp client"
            latencies, failures = asyncio.run(
                load(base + "/interactions", requests, args.seconds, args.concurrency)
            )
            latencies.sort()
            done = len(latencies)
            rate = done / args.seconds
            p50 = latencies[done // 2] if done else float("nan")
            p99 = latencies[min(done - 1, int(done * 0.99))] if done else float("nan")
    finally:
        server.terminate()
        server.wait(timeout=10)
    cache = f"{args.distinct} distinct verdicts" if args.distinct else "one repeated verdict"
    print(
        f"HTTP endpoint, {args.concurrency} connections for {args.seconds:g} s, "
        f"{args.workers} worker(s), 6 interaction kinds, {cache}, load from {generator}:"
    )
    print(
        f"  {rate:,.0f} requests/s  p50 {p50:.1f} ms  p99 {p99:.1f} ms  "
        f"({failures} failed)  (targets: >= 1000 req/s, p99 < 50 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
