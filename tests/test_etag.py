"""ETags and conditional requests, on every backend; concurrent writes on PostgreSQL."""

import asyncio
import re
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from sqlcrud import crud_router
from tests import models as m
from tests.conftest import Backend, hero_router

DEADPOND = {"name": "Deadpond", "secret_name": "Dive Wilson"}


def document_router(backend: Backend, **options: Any) -> Any:
    return crud_router(
        m.Document,
        m.DocumentCreate,
        m.DocumentPublic,
        m.DocumentUpdate,
        session=backend.session,
        etag="version",
        **options,
    )


@pytest.fixture
def client(backend: Backend) -> Any:
    with backend.client(hero_router(backend, etag=True), document_router(backend)) as client:
        yield client


def test_hash_etags_follow_the_public_representation(client: TestClient) -> None:
    created = client.post("/heroes/", json=DEADPOND)
    tag = created.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', tag)
    assert client.get("/heroes/1").headers["etag"] == tag
    assert client.patch("/heroes/1", json={"secret_name": "hidden"}).headers["etag"] == tag  # not public
    changed = client.patch("/heroes/1", json={"age": 3}).headers["etag"]
    assert changed != tag
    assert client.get("/heroes/1").headers["etag"] == changed


def test_if_none_match(client: TestClient) -> None:
    tag = client.post("/heroes/", json=DEADPOND).headers["etag"]
    for header in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        response = client.get("/heroes/1", headers={"if-none-match": header})
        assert (response.status_code, response.content, response.headers["etag"]) == (304, b"", tag)
    assert client.get("/heroes/1", headers={"if-none-match": '"other"'}).status_code == 200
    assert client.get("/heroes/2", headers={"if-none-match": "*"}).status_code == 404


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_if_match(client: TestClient, method: str) -> None:
    old = client.post("/heroes/", json=DEADPOND).headers["etag"]
    new = client.patch("/heroes/1", json={"age": 1}).headers["etag"]
    body = {"age": 2} if method == "PATCH" else None
    for stale in (old, f"W/{new}", '"nonsense"'):
        response = client.request(method, "/heroes/1", json=body, headers={"if-match": stale})
        assert response.status_code == 412
        assert response.json() == {"detail": "The row has changed: its ETag no longer matches If-Match"}
    assert client.get("/heroes/1").json()["age"] == 1
    missing = client.request(method, "/heroes/9", json=body, headers={"if-match": new})
    assert missing.status_code == 404
    assert client.request(method, "/heroes/1", json=body, headers={"if-match": f'"x", {new}'}).status_code == 200


def test_if_match_star_and_empty_patch(client: TestClient) -> None:
    tag = client.post("/heroes/", json=DEADPOND).headers["etag"]
    assert client.patch("/heroes/1", json={}, headers={"if-match": tag}).status_code == 200
    assert client.patch("/heroes/1", json={}, headers={"if-match": '"old"'}).status_code == 412
    assert client.patch("/heroes/1", json={"age": 5}, headers={"if-match": "*"}).status_code == 200
    assert client.patch("/heroes/2", json={"age": 5}, headers={"if-match": "*"}).status_code == 404


def test_version_column(client: TestClient) -> None:
    created = client.post("/documents/", json={"title": "a", "version": 40})
    assert (created.json(), created.headers["etag"]) == ({"id": 1, "title": "a", "version": 1}, '"1"')
    patched = client.patch("/documents/1", json={"title": "b"}, headers={"if-match": '"1"'})
    assert (patched.json()["version"], patched.headers["etag"]) == (2, '"2"')
    for stale in ('"1"', '"99999999999999999999999"', 'W/"2"', '"x"'):
        assert client.patch("/documents/1", json={"title": "c"}, headers={"if-match": stale}).status_code == 412
    assert client.patch("/documents/1", json={"title": "c"}).json()["version"] == 3  # unconditional
    assert client.delete("/documents/1", headers={"if-match": '"2"'}).status_code == 412
    assert client.delete("/documents/1", headers={"if-match": '"3"'}).json() == {"ok": True}
    assert client.delete("/documents/1", headers={"if-match": '"3"'}).status_code == 404


def test_require_if_match(backend: Backend) -> None:
    with backend.client(document_router(backend, require_if_match=True)) as client:
        client.post("/documents/", json={"title": "a"})
        for method in ("PATCH", "DELETE"):
            response = client.request(method, "/documents/1", json={"title": "b"} if method == "PATCH" else None)
            assert (response.status_code, response.json()) == (428, {"detail": "This request needs an If-Match header"})
        assert client.patch("/documents/1", json={"title": "b"}, headers={"if-match": '"1"'}).status_code == 200


def test_openapi_declares_conditional_requests(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    read, update = paths["/heroes/{hero_id}"]["get"], paths["/heroes/{hero_id}"]["patch"]
    assert "ETag" in read["responses"]["200"]["headers"]
    assert "304" in read["responses"]
    assert [p["name"] for p in read["parameters"]] == ["hero_id", "If-None-Match"]
    assert {"412", "200"} <= set(update["responses"])
    assert "If-Match" in [p["name"] for p in update["parameters"]]
    assert "ETag" in paths["/heroes/"]["post"]["responses"]["200"]["headers"]


def session() -> None:
    """A stand-in dependency: the refusals below happen before any request."""


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"etag": "title"}, "etag='title' must name an integer column"),
        ({"etag": "revision"}, "etag='revision' must name an integer column"),
        ({"require_if_match": True}, "require_if_match=True needs etag"),
    ],
)
def test_bad_etag_options_fail_when_built(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        crud_router(m.Document, m.DocumentCreate, m.DocumentPublic, m.DocumentUpdate, session=session, **options)


@pytest.mark.parametrize("backend", ["pg_sync", "pg_async"], indirect=True)
@pytest.mark.parametrize("kind", ["hash", "version"])
def test_twenty_concurrent_conditional_patches_one_wins(backend: Backend, client: TestClient, kind: str) -> None:
    client.post("/heroes/", json=DEADPOND)
    client.post("/documents/", json={"title": "a"})
    url = "/heroes/1" if kind == "hash" else "/documents/1"
    tag = client.get(url).headers["etag"]

    async def race(round_: int) -> list[int]:
        # Every body changes the row (a write that changes nothing leaves the tag as it is).
        bodies = [{"age": 100 * round_ + i} if kind == "hash" else {"title": f"t{i}"} for i in range(20)]
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            responses = await asyncio.gather(*(http.patch(url, json=b, headers={"if-match": tag}) for b in bodies))
        return [r.status_code for r in responses]

    for round_ in range(3):  # every time
        statuses = asyncio.run(race(round_))
        assert sorted(statuses) == [200] + [412] * 19
        tag = client.get(url).headers["etag"]


@pytest.mark.parametrize("backend", ["pg_sync", "pg_async"], indirect=True)
def test_twenty_concurrent_unconditional_patches_leave_one_whole_body(backend: Backend, client: TestClient) -> None:
    client.post("/heroes/", json=DEADPOND)
    bodies = [{"name": f"name {i}", "age": i} for i in range(20)]

    async def race() -> list[int]:
        transport = httpx.ASGITransport(app=client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            return [r.status_code for r in await asyncio.gather(*(http.patch("/heroes/1", json=b) for b in bodies))]

    assert asyncio.run(race()) == [200] * 20
    final = client.get("/heroes/1").json()
    assert {"name": final["name"], "age": final["age"]} in bodies


@pytest.mark.parametrize("backend", ["pg_sync", "pg_async"], indirect=True)
def test_twenty_concurrent_creates_of_one_unique_value_one_wins(backend: Backend) -> None:
    router = crud_router(m.Gadget, m.GadgetCreate, m.GadgetPublic, m.GadgetUpdate, session=backend.session)
    app = backend.app(router)
    gadget = {"serial": "only-one", "color": "red", "made_on": "2024-01-01", "price": 1}

    async def race() -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
            return [
                r.status_code for r in await asyncio.gather(*(http.post("/gadgets/", json=gadget) for _ in range(20)))
            ]

    assert sorted(asyncio.run(race())) == [200] + [409] * 19
