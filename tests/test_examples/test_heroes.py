"""The hero example: the tutorial's app on sqlcrud, sync and async, on every backend."""

import importlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from examples.heroes import app as sync_example
from examples.heroes import app_async as async_example
from tests.conftest import Backend


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


@pytest.mark.parametrize("backend", ["pg_sync", "pg_async", "mariadb_sync", "mariadb_async"], indirect=True)
def test_example_by_its_database_url(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """``DATABASE_URL`` alone moves the example to PostgreSQL or MariaDB, sync or async."""
    url = backend.async_url() if backend.is_async else backend.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    example = importlib.reload(async_example if backend.is_async else sync_example)
    try:
        with TestClient(example.app) as client:
            exercise(client)
            if backend.is_async:  # its pooled connections belong to the client's event loop
                client.portal.call(example.engine.dispose)
    finally:
        if not backend.is_async:
            example.engine.dispose()
        monkeypatch.delenv("DATABASE_URL")
        importlib.reload(example)  # back on its default database, for the tests that follow
