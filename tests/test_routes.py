"""The five routes do what the tutorial's hand-written ones do, on every backend."""

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from tests.conftest import Backend, hero_router, sync_dependency

DEADPOND = {"name": "Deadpond", "secret_name": "Dive Wilson"}


def test_create_returns_public_model(client: TestClient) -> None:
    response = client.post("/heroes/", json=DEADPOND)
    assert response.status_code == 200
    assert response.json() == {"name": "Deadpond", "age": None, "id": 1}


def test_create_ignores_fields_outside_the_create_model(client: TestClient) -> None:
    response = client.post("/heroes/", json={**DEADPOND, "id": 42, "age": 30, "power": "x"})
    assert response.json() == {"name": "Deadpond", "age": 30, "id": 1}
    assert client.get("/heroes/42").status_code == 404


def test_read_one(client: TestClient) -> None:
    client.post("/heroes/", json={**DEADPOND, "age": 30})
    response = client.get("/heroes/1")
    assert response.status_code == 200
    assert response.json() == {"name": "Deadpond", "age": 30, "id": 1}


def test_read_missing_is_404(client: TestClient) -> None:
    response = client.get("/heroes/1")
    assert response.status_code == 404
    assert response.json() == {"detail": "Hero not found"}


def test_list_pages_in_primary_key_order(client: TestClient) -> None:
    for i in range(5):
        client.post("/heroes/", json={"name": f"h{i}", "secret_name": "s"})
    client.patch("/heroes/2", json={"age": 1})  # PostgreSQL would move it last without ORDER BY
    assert [h["id"] for h in client.get("/heroes/").json()] == [1, 2, 3, 4, 5]
    assert [h["id"] for h in client.get("/heroes/?offset=1&limit=2").json()] == [2, 3]
    assert client.get("/heroes/?offset=5").json() == []
    assert client.get("/heroes/?limit=0").json() == []


def test_list_default_limit_is_max_limit(client: TestClient) -> None:
    for i in range(102):
        client.post("/heroes/", json={"name": f"h{i}", "secret_name": "s"})
    assert len(client.get("/heroes/").json()) == 100
    assert len(client.get("/heroes/?offset=100").json()) == 2


def test_patch_changes_only_the_fields_sent(client: TestClient) -> None:
    client.post("/heroes/", json={**DEADPOND, "age": 30})
    response = client.patch("/heroes/1", json={"name": "Deadpool"})
    assert response.status_code == 200
    assert response.json() == {"name": "Deadpool", "age": 30, "id": 1}
    assert client.patch("/heroes/1", json={"age": None}).json() == {"name": "Deadpool", "age": None, "id": 1}
    assert client.get("/heroes/1").json() == {"name": "Deadpool", "age": None, "id": 1}


def test_patch_empty_body_changes_nothing(client: TestClient) -> None:
    client.post("/heroes/", json={**DEADPOND, "age": 30})
    response = client.patch("/heroes/1", json={})
    assert response.status_code == 200
    assert response.json() == {"name": "Deadpond", "age": 30, "id": 1}


def test_patch_missing_is_404(client: TestClient) -> None:
    response = client.patch("/heroes/1", json={"name": "x"})
    assert (response.status_code, response.json()) == (404, {"detail": "Hero not found"})
    response = client.patch("/heroes/1", json={})
    assert (response.status_code, response.json()) == (404, {"detail": "Hero not found"})


def test_delete(client: TestClient) -> None:
    client.post("/heroes/", json=DEADPOND)
    response = client.delete("/heroes/1")
    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert client.get("/heroes/1").status_code == 404
    response = client.delete("/heroes/1")
    assert (response.status_code, response.json()) == (404, {"detail": "Hero not found"})


def test_secret_fields_never_shown(client: TestClient) -> None:
    created = client.post("/heroes/", json=DEADPOND).json()
    listed = client.get("/heroes/").json()
    patched = client.patch("/heroes/1", json={"secret_name": "Other"}).json()
    for body in (created, *listed, patched, client.get("/heroes/1").json()):
        assert "secret_name" not in body


@pytest.mark.parametrize("backend", ["mariadb_sync"], indirect=True)
def test_the_mariadb_spelling_of_the_url(backend: Backend) -> None:
    """``mariadb+pymysql://`` names another SQLAlchemy dialect than ``mysql+``: the same answers."""
    engine = sa.create_engine(backend.engine.url.set(drivername="mariadb+pymysql"))
    spelled = Backend(backend.name, engine, sync_dependency(engine), engine)
    with spelled.client(hero_router(spelled, sort=True, filters=True)) as client:
        for name in ("b", "B", "a"):
            client.post("/heroes/", json={"name": name, "secret_name": "s"})
        assert [hero["name"] for hero in client.get("/heroes/?sort=name").json()] == ["B", "a", "b"]
        assert [hero["id"] for hero in client.get("/heroes/?name=b").json()] == [1]
        assert client.patch("/heroes/1", json={"age": 3}).json() == {"name": "b", "age": 3, "id": 1}
    engine.dispose()
