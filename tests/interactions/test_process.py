"""`python -m bot serve-http` as a real process: it answers, and SIGTERM stops it cleanly."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from nacl.signing import SigningKey

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_http_answers_a_signed_ping_and_stops_on_sigterm(tmp_path: Path, workers: int):
    key = SigningKey.generate()
    port = free_port()
    env = {
        **os.environ,
        "DISCORD_PUBLIC_KEY": key.verify_key.encode().hex(),
        "RUNLOCAL_DATA_DIR": str(tmp_path),
        "RUNLOCAL_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve-http", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        body = b'{"type": 1}'
        stamp = str(int(time.time()))
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/interactions",
            data=body,
            method="POST",
            headers={
                "X-Signature-Ed25519": key.sign(stamp.encode() + body).signature.hex(),
                "X-Signature-Timestamp": stamp,
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.loads(response.read()) == {"type": 1}
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    assert code == 0
