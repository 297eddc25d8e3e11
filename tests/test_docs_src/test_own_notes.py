"""docs_src/own_notes.py: each user's notes only, and an owner the client cannot choose.

A PATCH of the scoped column, which ``NoteUpdate`` does not declare, is refused with a
422 when an update model does: ``tests/test_access.py`` checks it.
"""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docs_src import own_notes

ANN, BOB = {"Authorization": "Bearer ann-key"}, {"Authorization": "Bearer bob-key"}
MISSING = b'{"detail":"Note not found"}'


@pytest.fixture
def client(serve: Callable[..., TestClient]) -> TestClient:
    client = serve(own_notes)
    for name in ("ann", "bob"):
        assert client.post("/users/", json={"username": name, "password": f"{name}'s password"}).status_code == 200
    assert client.post("/notes/", json={"title": "Groceries"}, headers=ANN).status_code == 200
    return client


ANNS = [{"id": 1, "owner_id": 1, "title": "Groceries", "body": ""}]


def test_each_user_sees_their_own(client: TestClient) -> None:
    assert client.get("/notes/", headers=ANN).json() == ANNS
    assert client.get("/notes/", headers=BOB).json() == []
    assert client.get("/notes/1", headers=ANN).json() == ANNS[0]


@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PATCH", {"title": "Mine now"}), ("DELETE", None)])
def test_another_users_row_is_a_missing_row(client: TestClient, method: str, body: Any) -> None:
    foreign = client.request(method, "/notes/1", json=body, headers=BOB)
    missing = client.request(method, "/notes/99", json=body, headers=BOB)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content == MISSING
    assert dict(foreign.headers) == dict(missing.headers)
    assert client.get("/notes/", headers=ANN).json() == ANNS


def test_login_required(client: TestClient) -> None:
    assert client.get("/notes/").status_code == 401
    response = client.get("/notes/", headers={"Authorization": "Bearer guessed"})
    assert (response.status_code, response.json()) == (401, {"detail": "Unknown API key"})


def test_the_server_sets_the_owner(client: TestClient) -> None:
    created = client.post("/notes/", json={"title": "Planted", "owner_id": 1, "id": 50}, headers=BOB)
    assert created.json() == {"id": 2, "owner_id": 2, "title": "Planted", "body": ""}
    patched = client.patch("/notes/2", json={"owner_id": 1, "id": 60, "body": "b"}, headers=BOB)
    assert patched.json() == {"id": 2, "owner_id": 2, "title": "Planted", "body": "b"}
    assert client.get("/notes/", headers=ANN).json() == ANNS
