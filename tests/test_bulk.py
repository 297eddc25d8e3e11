"""``bulk=True``: a POST of many rows, and a PATCH and a DELETE of the rows filters select.

All or nothing, capped by ``max_bulk``, scoped, hooked, in one transaction and a fixed
number of statements, on every backend.
"""

import asyncio
from typing import Any

import httpx2 as httpx
import pytest
from fastapi import Depends, HTTPException
from fastapi.testclient import TestClient

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import Hooks, crud_router
from sqlcrud.testing import check
from tests.conftest import Backend
from tests.test_composite import booking, booking_router
from tests.test_statements import statements


def router(backend: Backend, **options: Any) -> Any:
    options = {"bulk": True, "filters": ["name", "age"]} | options
    return crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=backend.session, **options)


def heroes(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [{"name": f"Hero {i:04}", "secret_name": f"s{i}", "age": i % 7} for i in range(start, start + n)]


def listed(client: TestClient) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while batch := client.get(f"/heroes/?offset={len(rows)}").json():
        rows += batch
    return rows


def test_without_bulk_every_route_is_the_tutorials(backend: Backend) -> None:
    with backend.client(router(backend, bulk=False)) as client:
        response = client.post("/heroes/", json=heroes(2))
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body"]
        for method in ("PATCH", "DELETE"):
            response = client.request(method, "/heroes/?age=1", json={})
            assert response.status_code == 405
            assert response.headers["allow"] == "GET, HEAD, POST"


def test_a_post_of_many_rows_answers_them_in_order(backend: Backend) -> None:
    with backend.client(router(backend, create_status_code=201)) as client:
        client.post("/heroes/", json=heroes(1, start=50))  # one row still answers one row
        with statements(backend.app_engine) as sent:
            response = client.post("/heroes/", json=heroes(1000))
        assert response.status_code == 201
        assert "location" not in response.headers
        created = response.json()
        assert [row["name"] for row in created] == [hero["name"] for hero in heroes(1000)]
        assert [row["id"] for row in created] == list(range(2, 1002))
        assert sent == ["INSERT"]  # one INSERT … RETURNING, in one transaction
        assert len(listed(client)) == 1001
        assert client.post("/heroes/", json=[]).json() == []


def test_one_bad_item_is_a_422_naming_it_and_nothing_is_written(backend: Backend) -> None:
    with backend.client(router(backend)) as client:
        items = [*heroes(3), {"name": "No secret"}, {**heroes(1)[0], "age": 2**31}]
        response = client.post("/heroes/", json=items)
        assert response.status_code == 422
        assert [error["loc"] for error in response.json()["detail"]] == [["body", 3, "secret_name"], ["body", 4, "age"]]
        assert client.get("/heroes/").json() == []
        response = client.post("/heroes/", json={"name": "x"})  # one row: the tutorial's loc
        assert response.json()["detail"][0]["loc"] == ["body", "secret_name"]
        for body in ([1, 2], [[]], [None], "text", 3):
            assert client.post("/heroes/", json=body).status_code == 422, body


def test_one_conflict_is_a_409_and_nothing_is_written(backend: Backend) -> None:
    with backend.client(booking_router(backend, bulk=True, filters=["room"])) as client:
        client.post("/bookings/", json=booking(slot=5))
        response = client.post("/bookings/", json=[booking(slot=1), booking(slot=5), booking(slot=2)])
        assert (response.status_code, response.json()) == (409, {"detail": "Booking conflicts with an existing row"})
        assert response.status_code == 409
        duplicates = client.post("/bookings/", json=[booking(slot=1), booking(slot=1)])
        assert duplicates.status_code == 409
        assert client.get("/bookings/").json() == [booking(slot=5)]
        assert client.post("/bookings/", json=[booking(slot=1)]).json() == [booking(slot=1)]  # the next works


def test_max_bulk_caps_the_items_of_a_post(backend: Backend) -> None:
    with backend.client(router(backend, max_bulk=3)) as client:
        response = client.post("/heroes/", json=heroes(4))
        assert response.status_code == 422
        assert response.json()["detail"][0]["type"] == "too_long"
        assert client.get("/heroes/").json() == []
        assert len(client.post("/heroes/", json=heroes(3)).json()) == 3


def test_a_filtered_patch_changes_the_rows_it_selects(backend: Backend) -> None:
    with backend.client(router(backend)) as client:
        client.post("/heroes/", json=heroes(20))
        with statements(backend.app_engine) as sent:
            response = client.patch("/heroes/?age=3", json={"name": "changed"})
        assert response.status_code == 200
        assert sent == ["SELECT", *backend.updated]  # the rows' keys, locked; the UPDATE
        changed = response.json()
        assert [row["id"] for row in changed] == [4, 11, 18]
        assert all(row["name"] == "changed" and row["age"] == 3 for row in changed)
        # The filters name the rows before the change: they may set what they test.
        assert [row["age"] for row in client.patch("/heroes/?age=3", json={"age": 30}).json()] == [30, 30, 30]
        assert client.get("/heroes/?age=3").json() == []
        assert client.patch("/heroes/?age=99", json={"age": 1}).json() == []
        unchanged = client.patch("/heroes/?age=30", json={})
        assert [row["id"] for row in unchanged.json()] == [4, 11, 18]
        others = [row for row in listed(client) if row["id"] not in (4, 11, 18)]
        assert all(row["name"] != "changed" for row in others)


def test_a_patch_or_delete_of_many_needs_a_filter(backend: Backend) -> None:
    with backend.client(router(backend)) as client:
        client.post("/heroes/", json=heroes(3))
        for method in ("PATCH", "DELETE"):
            for url in ("/heroes/", "/heroes/?limit=1", "/heroes/?nope=1", "/heroes/?age=x", "/heroes/?age=1&age=2"):
                response = client.request(method, url, json={"age": 1} if method == "PATCH" else None)
                assert response.status_code == 422, (method, url)
                assert response.json()["detail"][0]["loc"][0] == "query"
        assert [row["age"] for row in listed(client)] == [0, 1, 2]


def test_a_filtered_delete_answers_the_deleted_rows(backend: Backend) -> None:
    with backend.client(router(backend)) as client:
        client.post("/heroes/", json=heroes(20))
        with statements(backend.app_engine) as sent:
            response = client.delete("/heroes/?age__gte=5")
        assert sent == ["SELECT", "DELETE"]
        assert [(row["id"], row["age"]) for row in response.json()] == [
            (6, 5), (7, 6), (13, 5), (14, 6), (20, 5),
        ]  # fmt: skip
        assert len(listed(client)) == 15
        assert client.delete("/heroes/?age__gte=5").json() == []
        assert client.delete("/heroes/?name__startswith=Hero%200000").json()[0]["id"] == 1


def test_max_bulk_caps_the_rows_a_patch_or_delete_may_touch(backend: Backend) -> None:
    with backend.client(router(backend, max_bulk=4)) as client:
        client.post("/heroes/", json=heroes(4))
        client.post("/heroes/", json=heroes(1, start=4))
        for method in ("PATCH", "DELETE"):
            response = client.request(method, "/heroes/?age__gte=0", json={"age": 6} if method == "PATCH" else None)
            assert response.status_code == 422
            assert "more than 4 rows" in response.json()["detail"][0]["msg"]
        assert [row["age"] for row in listed(client)] == [0, 1, 2, 3, 4]
        assert len(client.delete("/heroes/?age__gte=1").json()) == 4  # at the cap: allowed


def test_scopes_hooks_and_dependencies_apply_to_each_row(backend: Backend) -> None:
    seen: list[Any] = []

    def young() -> Any:
        return Hero.age < 5

    def stamp(body: Any) -> dict[str, Any]:
        if body.name == "Refused":
            raise HTTPException(403, "Refused")
        return {"name": body.name.upper()}

    def admin_only() -> None:
        seen.append("admin")

    hooks = Hooks(
        before_create=stamp,
        before_update=lambda pk: seen.append(("before_update", pk)),
        after_update=lambda row: seen.append(("after_update", row["id"])),
        after_delete=lambda pk: seen.append(("after_delete", pk)),
    )
    options = {"scope": young, "hooks": hooks, "route_dependencies": {"delete": [Depends(admin_only)]}}
    with backend.client(router(backend, **options)) as client:
        created = client.post("/heroes/", json=heroes(8)).json()
        assert [row["name"] for row in created] == [f"HERO {i:04}" for i in range(8)]
        assert client.post("/heroes/", json=[*heroes(2), {"name": "Refused", "secret_name": "x"}]).status_code == 403
        assert [row["id"] for row in client.get("/heroes/").json()] == [1, 2, 3, 4, 5, 8]  # ages under 5
        patched = client.patch("/heroes/?age__gte=3", json={"name": "Old"}).json()
        assert [row["id"] for row in patched] == [4, 5]  # not 6 and 7, ages 5 and 6: outside the scope
        assert client.patch("/heroes/?age__gte=0", json={"age": 9}).status_code == 422  # would leave the scope
        deleted = client.delete("/heroes/?name=Old").json()
        assert [row["id"] for row in deleted] == [4, 5]
    assert seen == [
        ("before_update", None),
        ("after_update", 4),
        ("after_update", 5),
        "admin",
        ("after_delete", 4),
        ("after_delete", 5),
    ]


def test_if_match_on_many_rows(backend: Backend) -> None:
    with backend.client(router(backend, etag=True)) as client:
        client.post("/heroes/", json=heroes(3))
        for method in ("PATCH", "DELETE"):
            response = client.request(
                method, "/heroes/?age=1", json={"age": 1} if method == "PATCH" else None, headers={"if-match": '"x"'}
            )
            assert response.status_code == 412
        assert client.patch("/heroes/?age=1", json={"age": 5}, headers={"if-match": "*"}).status_code == 200
    with pytest.raises(ValueError, match="bulk=True cannot be combined with require_if_match"):
        router(backend, etag=True, require_if_match=True)


def test_composite_keys_in_bulk(backend: Backend) -> None:
    with backend.client(booking_router(backend, bulk=True, filters=["room", "day"])) as client:
        rows = [
            booking(room, day, slot) for room in ("b", "a") for day in ("2024-01-02", "2024-01-01") for slot in (2, 1)
        ]
        assert client.post("/bookings/", json=rows).json() == rows
        moved = client.patch("/bookings/?room=b&day=2024-01-02", json={"guest": "Zoe"}).json()
        assert [(row["slot"], row["guest"]) for row in moved] == [(1, "Zoe"), (2, "Zoe")]
        deleted = client.delete("/bookings/?day=2024-01-01").json()
        assert [(row["room"], row["slot"]) for row in deleted] == [("a", 1), ("a", 2), ("b", 1), ("b", 2)]
        assert len(client.get("/bookings/").json()) == 4


def test_openapi_shows_both_bodies_and_the_filtered_routes(backend: Backend) -> None:
    schema = backend.app(router(backend)).openapi()
    post = schema["paths"]["/heroes/"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body["anyOf"] == [
        {"$ref": "#/components/schemas/HeroCreate"},
        {"type": "array", "items": {"$ref": "#/components/schemas/HeroCreate"}, "maxItems": 1000},
    ]
    answer = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert {"type": "array", "items": {"$ref": "#/components/schemas/HeroPublic"}} in answer["anyOf"]
    for method in ("patch", "delete"):
        operation = schema["paths"]["/heroes/"][method]
        filters = [p["name"] for p in schema["paths"]["/heroes/"]["get"]["parameters"][2:]]
        assert [p["name"] for p in operation["parameters"]] == filters
        assert operation["operationId"] == f"{'update' if method == 'patch' else 'delete'}_heroes_heroes__{method}"
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["items"] == {
            "$ref": "#/components/schemas/HeroPublic"
        }


@pytest.mark.parametrize("options", [{}, {"sort": True, "count": True, "cursor": True, "etag": True}])
def test_the_conformance_kit_passes(backend: Backend, options: dict[str, Any]) -> None:
    report = check(backend.app(router(backend, **options), booking_router(backend, bulk=True, filters=True)))
    assert not report.failures, report
    # Every other check ran; chains of client-chosen keys may meet a key taken in a replay.
    notes = [note for note in report.notes if not note.startswith("schemathesis chains: stopped after")]
    assert notes == ["isolation: give two identities or more to check it"]


def gather(app: Any, requests: list[tuple[str, str, Any]]) -> list[Any]:
    """Send the requests at once, each on its own connection of the app."""

    async def race() -> list[Any]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
            return list(await asyncio.gather(*(http.request(m, url, json=body) for m, url, body in requests)))

    return asyncio.run(race())


@pytest.mark.parametrize("backend", ["pg_sync", "pg_async"], indirect=True)
def test_concurrent_creates_that_share_one_key_one_wins_whole(backend: Backend) -> None:
    app = backend.app(booking_router(backend, bulk=True, filters=["guest"]))
    batches = [[booking(slot=0), *(booking(f"r{n}-{i}", guest=f"g{n}") for i in range(50))] for n in range(8)]
    responses = gather(app, [("POST", "/bookings/", batch) for batch in batches])
    assert sorted(r.status_code for r in responses) == [200] + [409] * 7
    winner = next(n for n, r in enumerate(responses) if r.status_code == 200)
    with TestClient(app) as client:
        rows = []
        while page := client.get(f"/bookings/?offset={len(rows)}").json():
            rows += page
    assert sorted(rows, key=str) == sorted(batches[winner], key=str)  # all of one batch, none of the others


@pytest.mark.parametrize("backend", ["pg_sync", "pg_async"], indirect=True)
def test_concurrent_inserts_cannot_push_a_bulk_write_past_its_cap(backend: Backend) -> None:
    """Deletes of every "target" row race inserts of more: each delete answers at most
    ``max_bulk`` rows, exactly those it deleted, and every row is deleted once or kept."""
    app = backend.app(router(backend, max_bulk=10))
    with TestClient(app) as client:
        client.post("/heroes/", json=[{"name": "target", "secret_name": "s"}] * 10)
        requests = [("POST", "/heroes/", [{"name": "target", "secret_name": "s"}] * 3) for _ in range(10)]
        requests += [("DELETE", "/heroes/?name=target", None) for _ in range(10)]
        responses = gather(app, requests)
        assert {r.status_code for r in responses} <= {200, 422}
        deleted = [row["id"] for r in responses[10:] if r.status_code == 200 for row in r.json()]
        assert all(len(r.json()) <= 10 for r in responses[10:] if r.status_code == 200)
        assert len(deleted) == len(set(deleted))  # no row answered twice
        kept = [row["id"] for row in listed(client)]
        assert sorted(deleted + kept) == list(range(1, 41))  # 10 rows, then 10 creates of 3
