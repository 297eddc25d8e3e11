"""The notes example: users with hashed passwords, each with their own notes."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from examples.notes import app as example
from examples.notes.models import User
from examples.notes.security import verify_password
from tests.conftest import Backend, sync_dependency
from tests.pgserver import free_port

ANN, BOB = ("ann", "ann's password"), ("bob", "bob's password")


# The example is written for a sync Session: it runs on both sync backends.
pytestmark = pytest.mark.parametrize("backend", ["sqlite_sync", "pg_sync"], indirect=True)


@pytest.fixture
def client(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.chdir(tmp_path)  # the lifespan creates its own tables in notes.db
    example.app.dependency_overrides[example.get_session] = backend.session
    try:
        with TestClient(example.app) as client:
            for username, password in (ANN, BOB):
                client.post("/users/", json={"username": username, "password": password})
            yield client
    finally:
        example.app.dependency_overrides.clear()


def test_passwords_are_stored_hashed(client: TestClient, backend: Backend) -> None:
    with backend.engine.connect() as connection:
        hashed = connection.execute(sa.select(User.hashed_password).where(User.username == "ann")).scalar_one()
    assert hashed.startswith("scrypt$")
    assert ANN[1] not in hashed
    assert verify_password(ANN[1], hashed)
    assert not verify_password("wrong", hashed)


def test_signup_answers_without_the_hash(client: TestClient) -> None:
    response = client.post("/users/", json={"username": "cid", "password": "cid's password", "hashed_password": "x"})
    assert response.json() == {"id": 3, "username": "cid"}
    assert client.post("/users/", json={"username": "cid", "password": "another one"}).status_code == 409


def test_login_required(client: TestClient) -> None:
    assert client.get("/notes/").status_code == 401
    response = client.get("/notes/", auth=("ann", "wrong password"))
    assert (response.status_code, response.headers["www-authenticate"]) == (401, "Basic")


def test_users_see_only_their_notes(client: TestClient) -> None:
    client.post("/notes/", json={"title": "ann's", "owner_id": 2}, auth=ANN)
    client.post("/notes/", json={"title": "bob's"}, auth=BOB)
    assert client.get("/notes/", auth=ANN).json() == [{"id": 1, "owner_id": 1, "title": "ann's", "body": ""}]
    for method in ("GET", "PATCH", "DELETE"):
        response = client.request(method, "/notes/1", json={"title": "x"}, auth=BOB)
        assert (response.status_code, response.json()) == (404, {"detail": "Note not found"})
    assert client.get("/users/1", auth=BOB).status_code == 404
    assert client.patch("/users/1", json={"password": "taken over!"}, auth=BOB).status_code == 404
    assert client.get("/users/2", auth=BOB).json() == {"id": 2, "username": "bob"}


def test_password_change(client: TestClient) -> None:
    assert client.patch("/users/1", json={"password": "a new password"}, auth=ANN).status_code == 200
    assert client.get("/notes/", auth=ANN).status_code == 401
    assert client.get("/notes/", auth=("ann", "a new password")).status_code == 200


def test_only_admins_delete_any_note(client: TestClient, backend: Backend) -> None:
    client.post("/notes/", json={"title": "ann's"}, auth=ANN)
    response = client.delete("/admin/notes/1", auth=BOB)
    assert (response.status_code, response.json()) == (403, {"detail": "Admins only"})
    with backend.engine.begin() as connection:
        connection.execute(sa.update(User).where(User.username == "bob").values(is_admin=True))
    assert client.delete("/admin/notes/1", auth=BOB).json() == {"ok": True}
    assert client.get("/notes/", auth=ANN).json() == []


def test_an_outage_in_current_user_is_a_503(client: TestClient, backend: Backend) -> None:
    """``current_user`` queries the database itself; the app's ``outage_handler`` answers its failure."""
    url = (
        f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/db" if backend.is_postgres else "sqlite:////no/such/db"
    )
    example.app.dependency_overrides[example.get_session] = sync_dependency(sa.create_engine(url))
    for method, path in (("GET", "/notes/"), ("GET", "/users/1"), ("DELETE", "/admin/notes/1")):
        response = client.request(method, path, auth=ANN)
        assert (response.status_code, response.json()) == (503, {"detail": "Database unavailable, try again later"})
        assert response.headers["retry-after"] == "1"
