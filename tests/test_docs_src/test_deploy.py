"""docs_src/deploy.py: the pooled PostgreSQL engine serves the hero app."""

import importlib
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

import docs_src.deploy


@pytest.fixture
def deploy(backend: Any, serve: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """On sync PostgreSQL, the module's own engine and session; elsewhere the backend's."""
    module: ModuleType = docs_src.deploy
    if backend.name != "pg_sync":
        yield serve(module)
        return
    monkeypatch.setenv("DATABASE_URL", backend.engine.url.render_as_string(hide_password=False))
    module = importlib.reload(module)
    try:
        yield TestClient(module.app, base_url="http://127.0.0.1:8000")
    finally:
        module.engine.dispose()


def test_hero_routes(deploy: TestClient) -> None:
    body = {"name": "Deadpond", "secret_name": "Dive Wilson"}
    assert deploy.post("/heroes/", json=body).json() == {"name": "Deadpond", "age": None, "id": 1}
    assert deploy.get("/heroes/").json() == [{"name": "Deadpond", "age": None, "id": 1}]


def test_pool_settings() -> None:
    pool: Any = docs_src.deploy.engine.pool
    assert (pool.size(), pool._max_overflow, pool._timeout, pool._pre_ping) == (5, 5, 10, True)


def test_only_trusted_hosts(deploy: TestClient) -> None:
    assert deploy.get("/heroes/", headers={"host": "evil.example"}).status_code == 400
    assert deploy.get("/heroes/").status_code == 200
