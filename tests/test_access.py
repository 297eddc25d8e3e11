"""Routes, dependencies, row scopes and hooks, on every backend.

Two users, Ann and Bob, each with notes. Bob acting on Ann's notes must get exactly what
a missing note gets, and Ann's notes must be unchanged afterwards.
"""

from typing import Annotated, Any

import pytest
from fastapi import BackgroundTasks, Depends, Header, HTTPException, Response
from fastapi.testclient import TestClient

from examples.notes.models import Note, NoteCreate, NotePublic, NoteUpdate, User
from sqlcrud import Hooks, crud_router
from tests.conftest import Backend, hero_router

ANN, BOB = {"x-user": "1"}, {"x-user": "2"}


def current_user(x_user: Annotated[int, Header()]) -> int:
    return x_user


CurrentUser = Annotated[int, Depends(current_user)]


def own_notes(user: CurrentUser) -> Any:
    return Note.owner_id == user


def set_owner(user: CurrentUser) -> dict[str, Any]:
    return {"owner_id": user}


def note_router(backend: Backend, **options: Any) -> Any:
    options = {"scope": own_notes, "hooks": Hooks(before_create=set_owner)} | options
    return crud_router(Note, NoteCreate, NotePublic, NoteUpdate, session=backend.session, **options)


@pytest.fixture
def notes(backend: Backend) -> Any:
    with backend.engine.begin() as connection:
        for name in ("ann", "bob"):
            connection.execute(User.__table__.insert().values(username=name, hashed_password="x"))  # type: ignore[attr-defined]
    with backend.client(note_router(backend, filters=["title"], count=True, cursor=True)) as client:
        for user in (ANN, BOB, ANN):
            client.post("/notes/", json={"title": f"note of {user['x-user']}"}, headers=user)
        yield client


ANN_NOTES = [
    {"id": 1, "owner_id": 1, "title": "note of 1", "body": ""},
    {"id": 3, "owner_id": 1, "title": "note of 1", "body": ""},
]


def test_each_user_lists_only_their_rows(notes: TestClient) -> None:
    assert notes.get("/notes/", headers=ANN).json() == ANN_NOTES
    assert [n["id"] for n in notes.get("/notes/", headers=BOB).json()] == [2]
    assert notes.get("/notes/", headers=BOB).headers["x-total-count"] == "1"
    assert notes.get("/notes/?title=note of 1", headers=BOB).json() == []
    link = notes.get("/notes/?limit=1", headers=ANN).headers["link"]
    assert "cursor=" in link


@pytest.mark.parametrize(
    ("method", "body"),
    [("GET", None), ("PATCH", {"title": "mine now"}), ("PATCH", {}), ("DELETE", None)],
)
def test_other_users_rows_are_indistinguishable_from_missing_ones(
    notes: TestClient, method: str, body: dict[str, Any] | None
) -> None:
    foreign = notes.request(method, "/notes/1", json=body, headers=BOB)
    missing = notes.request(method, "/notes/999", json=body, headers=BOB)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content == b'{"detail":"Note not found"}'
    assert dict(foreign.headers) == dict(missing.headers)
    assert notes.get("/notes/", headers=ANN).json() == ANN_NOTES


def test_mass_assignment_changes_nothing(notes: TestClient) -> None:
    created = notes.post("/notes/", json={"title": "t", "id": 50, "owner_id": 2}, headers=ANN).json()
    assert (created["id"], created["owner_id"]) == (4, 1)
    patched = notes.patch("/notes/4", json={"owner_id": 2, "id": 60, "body": "b"}, headers=ANN)
    assert patched.json() == {"id": 4, "owner_id": 1, "title": "t", "body": "b"}
    assert [n["id"] for n in notes.get("/notes/", headers=BOB).json()] == [2]


def test_patching_a_scoped_column_is_refused(backend: Backend) -> None:
    class NoteMove(NoteUpdate):
        owner_id: int | None = None

    router = crud_router(Note, NoteCreate, NotePublic, NoteMove, session=backend.session, scope=own_notes,
                         hooks=Hooks(before_create=set_owner))  # fmt: skip
    with backend.engine.begin() as connection:
        for name in ("ann", "bob"):
            connection.execute(User.__table__.insert().values(username=name, hashed_password="x"))  # type: ignore[attr-defined]
    with backend.client(router) as client:
        client.post("/notes/", json={"title": "t"}, headers=ANN)
        response = client.patch("/notes/1", json={"owner_id": 2}, headers=ANN)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "owner_id"]
        assert client.get("/notes/1", headers=ANN).json()["owner_id"] == 1


def test_route_selection_and_allow(backend: Backend) -> None:
    with backend.client(hero_router(backend, routes=("list", "read"))) as client:
        assert client.get("/heroes/").status_code == 200
        for method, url, allow in [
            ("POST", "/heroes/", "GET, HEAD"),
            ("PATCH", "/heroes/1", "GET, HEAD"),
            ("DELETE", "/heroes/1", "GET, HEAD"),
        ]:
            response = client.request(method, url, json={})
            assert (response.status_code, response.headers["allow"]) == (405, allow)
        assert set(client.get("/openapi.json").json()["paths"]) == {"/heroes/", "/heroes/{hero_id}"}
        operations = client.get("/openapi.json").json()["paths"]["/heroes/{hero_id}"]
        assert set(operations) == {"get"}


def test_allow_lists_every_method_of_the_path(backend: Backend) -> None:
    with backend.client() as client:
        assert client.put("/heroes/1", json={}).headers["allow"] == "DELETE, GET, HEAD, PATCH"
        assert client.delete("/heroes/").headers["allow"] == "GET, HEAD, POST"


def require_admin(x_admin: Annotated[str | None, Header()] = None) -> None:
    if x_admin != "yes":
        raise HTTPException(403, "Admins only")


def test_route_dependencies(backend: Backend) -> None:
    calls: list[str] = []

    def audit() -> None:
        calls.append("audit")

    router = hero_router(
        backend, dependencies=[Depends(audit)], route_dependencies={"delete": [Depends(require_admin)]}
    )
    with backend.client(router) as client:
        client.post("/heroes/", json={"name": "a", "secret_name": "s"})
        assert client.delete("/heroes/1").json() == {"detail": "Admins only"}
        assert client.get("/heroes/1").status_code == 200
        assert client.delete("/heroes/1", headers={"x-admin": "yes"}).json() == {"ok": True}
        assert calls == ["audit"] * 4
        delete = client.get("/openapi.json").json()["paths"]["/heroes/{hero_id}"]["delete"]
        assert [p["name"] for p in delete["parameters"]] == ["hero_id", "x-admin"]


def test_hooks_transform_refuse_and_follow_commits(backend: Backend) -> None:
    events: list[tuple[str, Any]] = []

    async def before_update(body: NoteUpdate, pk: int, user: CurrentUser) -> dict[str, Any] | None:
        if body.title == "forbidden":  # type: ignore[attr-defined]
            raise HTTPException(400, "No such title")
        return {"body": f"edited by {user}"}

    hooks = Hooks(
        before_create=set_owner,
        before_update=before_update,
        after_create=lambda row: events.append(("created", row["id"])),
        after_update=lambda row: events.append(("updated", row["id"])),
        after_delete=lambda pk: events.append(("deleted", pk)),
    )
    with backend.engine.begin() as connection:
        connection.execute(User.__table__.insert().values(username="ann", hashed_password="x"))  # type: ignore[attr-defined]
    with backend.client(note_router(backend, hooks=hooks)) as client:
        assert client.post("/notes/", json={"title": "t"}, headers=ANN).status_code == 200
        assert client.patch("/notes/1", json={"title": "u"}, headers=ANN).json()["body"] == "edited by 1"
        refused = client.patch("/notes/1", json={"title": "forbidden"}, headers=ANN)
        assert (refused.status_code, refused.json()) == (400, {"detail": "No such title"})
        assert client.get("/notes/1", headers=ANN).json()["title"] == "u"
        # A write that fails (a foreign key to a missing user) runs no after-hook.
        assert client.post("/notes/", json={"title": "t"}, headers={"x-user": "9"}).status_code == 409
        assert client.delete("/notes/1", headers=ANN).json() == {"ok": True}
        assert client.delete("/notes/1", headers=ANN).status_code == 404
    assert events == [("created", 1), ("updated", 1), ("deleted", 1)]


def session() -> None:
    """A stand-in dependency: the refusals below happen before any request."""


def takes_a_query(limit: int) -> None:
    """Not a dependency: ``limit`` would become a query parameter."""


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"routes": ("list", "erase")}, ValueError, "unknown route 'erase'"),
        ({"route_dependencies": {"remove": []}}, ValueError, "unknown route 'remove'"),
        ({"scope": "owner_id = 1"}, TypeError, "scope must be a dependency"),
        ({"scope": takes_a_query}, TypeError, "parameter 'limit' must be a dependency"),
        ({"hooks": Hooks(before_create=takes_a_query)}, TypeError, "parameter 'limit' must be one of body"),
        ({"hooks": Hooks(after_delete=lambda row: None)}, TypeError, "parameter 'row' must be one of pk"),
        ({"hooks": {"before_create": set_owner}}, TypeError, "hooks must be sqlcrud.Hooks"),
        ({"hooks": Hooks(after_create="log")}, TypeError, "hook after_create must be a function"),
    ],
)
def test_misconfiguration_fails_when_built(options: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        crud_router(Note, NoteCreate, NotePublic, NoteUpdate, session=session, **options)


def python_not_sql(user: CurrentUser) -> bool:
    return user == 1  # compares in Python: True or False, not a SQL condition


def test_a_scope_that_is_not_sql_is_a_server_error(backend: Backend) -> None:
    router = note_router(backend, scope=python_not_sql)
    with backend.client(router) as client, pytest.raises(TypeError, match="must return a SQL condition"):
        client.get("/notes/", headers=ANN)


@pytest.mark.parametrize("url", ["/heroes/", "/heroes/?limit=1", "/heroes/1", "/heroes/2", "/heroes/x"])
def test_head_answers_like_get_without_a_body(backend: Backend, url: str) -> None:
    with backend.client() as client:
        client.post("/heroes/", json={"name": "a", "secret_name": "s"})
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code
        assert dict(head.headers) == dict(get.headers)
        assert head.headers["content-length"] == str(len(get.content))
        assert head.content == b""


def test_hooks_can_take_what_fastapi_gives_endpoints(backend: Backend) -> None:
    sent: list[int] = []

    def after_create(row: dict[str, Any], tasks: BackgroundTasks, response: Response) -> None:
        response.headers["x-created"] = str(row["id"])  # not the answer sqlcrud sends: ignored
        tasks.add_task(sent.append, row["id"])

    with backend.client(hero_router(backend, hooks=Hooks(after_create=after_create))) as client:
        assert client.post("/heroes/", json={"name": "a", "secret_name": "s"}).status_code == 200
    assert sent == [1]
