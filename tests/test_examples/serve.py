"""Run an example as its README says, ``python -m examples.NAME``, on a free loopback port."""

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx

from tests.pgserver import free_port

ROOT = Path(__file__).parents[2]


@contextlib.contextmanager
def serving(module: str, *args: str, cwd: Path, database_url: str | None = None) -> Iterator[httpx.Client]:
    """A client of the example's real server, started in ``cwd`` and stopped afterwards,
    on its own SQLite file or on ``database_url``."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    command = [sys.executable, "-m", module, "--port", str(port), *args]
    server = subprocess.Popen(command, cwd=cwd, env=env, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.get("/openapi.json")
                    break
                except httpx.TransportError:
                    assert server.poll() is None, server.stderr.read() if server.stderr else ""
                    assert time.monotonic() < deadline, f"{module} did not start"
                    time.sleep(0.1)
            yield client
    finally:
        server.terminate()
        server.wait(10)
