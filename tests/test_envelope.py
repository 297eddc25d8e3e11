"""``envelope=True``: the list answers ``{"items", "total", "limit", "offset"}`` (the shape of
fastapi-pagination's ``LimitOffsetPage``), with the next cursor in the body too."""

from typing import Any

import pytest

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router
from sqlcrud.testing import check
from tests.conftest import Backend, hero_router


def heroes(client: Any, n: int) -> None:
    for i in range(n):
        client.post("/heroes/", json={"name": f"h{i}", "secret_name": "s", "age": i % 3})


def test_the_list_in_an_envelope(backend: Backend) -> None:
    with backend.client(hero_router(backend, envelope=True, filters=["age"])) as client:
        heroes(client, 7)
        page = client.get("/heroes/?age=1&limit=2&offset=1")
        assert page.json() == {
            "items": [{"name": "h4", "age": 1, "id": 5}],
            "total": 2,
            "limit": 2,
            "offset": 1,
        }
        assert page.headers["x-total-count"] == "2"
        assert client.get("/heroes/?age=9").json() == {"items": [], "total": 0, "limit": 100, "offset": 0}


def test_the_next_cursor_in_the_body(backend: Backend) -> None:
    with backend.client(hero_router(backend, envelope=True, cursor=True, sort=["age"])) as client:
        heroes(client, 5)
        walked, url = [], "/heroes/?sort=-age&limit=2"
        while url:
            body = client.get(url).json()
            walked += [hero["id"] for hero in body["items"]]
            assert set(body) == {"items", "total", "limit", "offset", "next_page"}
            url = body["next_page"] and f"/heroes/?sort=-age&limit=2&cursor={body['next_page']}"
        assert walked == [3, 2, 5, 1, 4]


def test_openapi_declares_the_envelope(backend: Backend) -> None:
    app = backend.app(hero_router(backend, envelope=True, cursor=True))
    schema = app.openapi()
    answer = schema["paths"]["/heroes/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][answer["$ref"].rsplit("/", 1)[1]]
    assert set(page["required"]) == {"items", "total", "limit", "offset", "next_page"}  # null on the last page
    assert page["properties"]["items"]["items"] == {"$ref": "#/components/schemas/HeroPublic"}
    assert "next_page" in page["properties"]


def test_the_conformance_kit_reads_envelopes(backend: Backend) -> None:
    report = check(backend.app(hero_router(backend, envelope=True, cursor=True, sort=True, filters=True)))
    assert not report.failures, report
    assert report.notes == ["isolation: give two identities or more to check it"]


def test_no_envelope_for_a_dialect() -> None:
    def session() -> Any:
        yield None

    with pytest.raises(ValueError, match="cannot take envelope=True"):
        crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=session, dialect="refine", envelope=True)
