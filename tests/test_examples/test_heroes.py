"""The hero example: the tutorial's app on sqlcrud, sync and async, on every backend."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from examples.heroes import app as sync_example
from examples.heroes import app_async as async_example
from tests.conftest import Backend
from tests.pgserver import free_port

ROOT = Path(__file__).parents[2]


def exercise(client: TestClient) -> None:
    """The tutorial's walk through the API."""
    created = client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
    assert (created.status_code, created.json()) == (200, {"name": "Deadpond", "age": None, "id": 1})
    client.post("/heroes/", json={"name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48})
    assert client.get("/heroes/?limit=1&offset=1").json() == [{"name": "Rusty-Man", "age": 48, "id": 2}]
    assert client.patch("/heroes/1", json={"age": 30}).json() == {"name": "Deadpond", "age": 30, "id": 1}
    assert client.get("/heroes/1").json() == {"name": "Deadpond", "age": 30, "id": 1}
    assert client.delete("/heroes/1").json() == {"ok": True}
    assert client.get("/heroes/1").json() == {"detail": "Hero not found"}
    assert client.get("/docs").status_code == 200


def test_example_on_every_backend(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the lifespan creates the example's own tables in heroes.db
    example = async_example if backend.is_async else sync_example
    example.app.dependency_overrides[example.get_session] = backend.session
    try:
        with TestClient(example.app) as client:
            exercise(client)
    finally:
        example.app.dependency_overrides.clear()


@pytest.mark.parametrize("flag", [[], ["--async"]], ids=["sync", "async"])
def test_example_runs_as_shipped(flag: list[str], tmp_path: Path) -> None:
    """``python -m examples.heroes``: a real server on 127.0.0.1 and its SQLite file."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "examples.heroes", "--port", str(port), *flag]
    server = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.get("/heroes/")
                    break
                except httpx.TransportError:
                    assert server.poll() is None, server.stderr.read() if server.stderr else ""
                    assert time.monotonic() < deadline, "the example did not start"
                    time.sleep(0.1)
            exercise(client)  # type: ignore[arg-type]
    finally:
        server.terminate()
        server.wait(10)
    assert (tmp_path / "heroes.db").exists()
