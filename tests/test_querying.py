"""Filters, sorting, counts and cursors on the list route, on every backend."""

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import SQLModel

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router
from tests import models as m
from tests.conftest import Backend, hero_router
from tests.test_hostile import READING, reading_router

HEROES = [
    {"name": "Deadpond", "secret_name": "Dive Wilson", "age": None},
    {"name": "Spider-Boy", "secret_name": "Pedro Parqueador", "age": 16},
    {"name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48},
    {"name": "100%_real\\man", "secret_name": "x", "age": 30},
    {"name": "spider-girl", "secret_name": "y", "age": 30},
    {"name": "Captain Nobody", "secret_name": "z", "age": None},
]


@pytest.fixture
def client(backend: Backend) -> Any:
    router = hero_router(backend, filters=True, sort=["name", "age"], count=True, cursor=True)
    with backend.client(router) as client:
        for hero in HEROES:
            client.post("/heroes/", json=hero)
        yield client


def ids(client: TestClient, query: str) -> list[int]:
    response = client.get(f"/heroes/?{query}")
    assert response.status_code == 200, response.json()
    return [hero["id"] for hero in response.json()]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name=Rusty-Man", [3]),
        ("age=30", [4, 5]),
        ("age__ne=30", [1, 2, 3, 6]),  # NULLs included: they are not 30
        ("age__gt=16", [3, 4, 5]),
        ("age__gte=16", [2, 3, 4, 5]),
        ("age__lt=30", [2]),
        ("age__lte=30", [2, 4, 5]),
        ("age__in=16&age__in=48", [2, 3]),
        ("age__isnull=true", [1, 6]),
        ("age__isnull=false", [2, 3, 4, 5]),
        ("name__contains=Man", [3]),
        ("name__contains=man", [4]),
        ("name__icontains=MAN", [3, 4]),
        ("name__icontains=SPIDER", [2, 5]),
        ("name__startswith=Spider", [2]),
        ("name__contains=%25", [4]),  # % matches itself
        ("name__contains=_", [4]),  # so does _
        ("name__contains=%5C", [4]),  # and a backslash
        ("name__contains=r%25_", []),
        ("name__gt=S", [2, 5]),  # byte order (the test server uses the C locale)
        ("age__gte=16&age__lt=48&name__icontains=spider", [2, 5]),
        ("offset=1&limit=2&age__isnull=false", [3, 4]),
    ],
)
def test_filters(client: TestClient, query: str, expected: list[int]) -> None:
    assert ids(client, query) == expected


@pytest.mark.parametrize(
    ("query", "loc", "type_"),
    [
        ("age__gt=old", ["query", "age__gt"], "int_parsing"),
        (f"age={2**31}", ["query", "age"], "less_than_equal"),
        ("age__isnull=maybe", ["query", "age__isnull"], "bool_parsing"),
        ("agee=30", ["query", "agee"], "extra_forbidden"),
        ("secret_name=x", ["query", "secret_name"], "extra_forbidden"),  # not a public field
        ("age__like=3", ["query", "age__like"], "extra_forbidden"),
        ("name__contains=a%00b", ["query", "name__contains"], "string_unicode"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(client: TestClient, query: str, loc: list[str], type_: str) -> None:
    response = client.get(f"/heroes/?{query}")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["loc"], error["type"]) == (loc, type_)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("age", [2, 4, 5, 3, 1, 6]),  # NULLs last ascending, ties by id
        ("-age", [1, 6, 3, 4, 5, 2]),  # NULLs first descending
        ("-age,-name", [1, 6, 3, 5, 4, 2]),
        ("name", [4, 6, 1, 3, 2, 5]),
        ("-id", [6, 5, 4, 3, 2, 1]),
        ("age,id", [2, 4, 5, 3, 1, 6]),
    ],
)
def test_sort(client: TestClient, sort: str, expected: list[int]) -> None:
    assert ids(client, f"sort={sort}") == expected


@pytest.mark.parametrize("sort", ["secret_name", "power", "-", "age,,name"])
def test_unknown_sort_is_422_naming_it(client: TestClient, sort: str) -> None:
    response = client.get(f"/heroes/?sort={sort}")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "sort"]
    assert "Cannot sort by" in error["msg"]


def test_count_ignores_offset_and_limit(client: TestClient) -> None:
    response = client.get("/heroes/?age__isnull=false&limit=1&offset=1")
    assert response.headers["x-total-count"] == "4"
    assert len(response.json()) == 1
    assert client.get("/heroes/?name=nobody").headers["x-total-count"] == "0"


def walk(client: TestClient, url: str) -> list[int]:
    """Follow Link rel=next from ``url`` to the end."""
    seen: list[int] = []
    for _ in range(20):
        response = client.get(url)
        assert response.status_code == 200, response.json()
        seen += [hero["id"] for hero in response.json()]
        link = response.headers.get("link")
        if link is None:
            return seen
        assert link.endswith('>; rel="next"')
        url = link[1 : -len('>; rel="next"')]
    raise AssertionError("too many pages")


@pytest.mark.parametrize("sort", ["age", "-age", "-age,-name", "name", "-id"])
def test_cursor_walks_every_row_once_in_order(client: TestClient, sort: str) -> None:
    for limit in (1, 2, 4, 6):
        assert walk(client, f"/heroes/?sort={sort}&limit={limit}") == ids(client, f"sort={sort}")


def test_cursor_keeps_filters(client: TestClient) -> None:
    first = client.get("/heroes/?age__isnull=false&sort=-age&limit=2")
    assert first.headers["x-total-count"] == "4"
    assert "age__isnull=false" in first.headers["link"]
    assert walk(client, "/heroes/?age__isnull=false&sort=-age&limit=2") == [3, 4, 5, 2]


def test_no_link_on_the_last_page(client: TestClient) -> None:
    assert "link" not in client.get("/heroes/?limit=6").headers
    assert "link" in client.get("/heroes/?limit=5").headers


def test_rows_changing_between_pages_are_not_skipped_or_repeated(client: TestClient) -> None:
    first = client.get("/heroes/?sort=age&limit=3")
    assert [h["id"] for h in first.json()] == [2, 4, 5]
    client.delete("/heroes/2")  # already seen
    client.delete("/heroes/3")  # not seen yet
    client.post("/heroes/", json={"name": "Young", "secret_name": "s", "age": 1})  # sorts before the cursor
    link = first.headers["link"][1 : -len('>; rel="next"')]
    assert walk(client, link) == [1, 6]


def next_cursor(client: TestClient, query: str) -> str:
    link = client.get(f"/heroes/?{query}").headers["link"]
    return link.split("cursor=")[1].split(">")[0].split("&")[0]


@pytest.mark.parametrize(
    ("make_query", "message"),
    [
        (lambda c: f"cursor={c}&sort=-age", "The cursor was made for another sort order"),
        (lambda c: f"cursor={c[:-2]}xy&sort=age", "The cursor is not one this API made"),
        (lambda c: "cursor=not-a-cursor", "The cursor is"),
        (lambda c: "cursor=%00%FF", "The cursor is"),
        (lambda c: f"cursor={c}&sort=age&offset=1", "A cursor cannot be combined with an offset"),
        (
            lambda c: "cursor=" + base64.urlsafe_b64encode(b"12345678[1,2]").decode(),
            "The cursor is not one this API made",
        ),
    ],
)
def test_bad_cursors_are_422(client: TestClient, make_query: Any, message: str) -> None:
    cursor = next_cursor(client, "sort=age&limit=2")
    response = client.get(f"/heroes/?{make_query(cursor)}")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "cursor"]
    assert error["msg"].startswith(message)


def test_typed_filters_on_other_types(backend: Backend) -> None:
    router = crud_router(
        m.Gadget, m.GadgetCreate, m.GadgetPublic, m.GadgetUpdate, session=backend.session, filters=True, sort=True
    )
    with backend.client(router) as client:
        for i, (color, day, price) in enumerate(
            [("red", "2024-01-01", 1.5), ("blue", "2024-06-01", 20.0), ("red", "2025-01-01", 7.25)]
        ):
            client.post("/gadgets/", json={"serial": f"g{i}", "color": color, "made_on": day, "price": price})

        def serials(query: str) -> list[str]:
            response = client.get(f"/gadgets/?{query}")
            assert response.status_code == 200, response.json()
            return [g["serial"] for g in response.json()]

        assert serials("color=red&sort=serial") == ["g0", "g2"]
        assert serials("color__in=blue&color__in=red&sort=-price") == ["g1", "g2", "g0"]
        assert serials("made_on__gte=2024-03-01&sort=made_on") == ["g1", "g2"]
        assert serials("price__lt=10&sort=-made_on") == ["g2", "g0"]
        assert client.get("/gadgets/?color=purple").status_code == 422
        assert client.get("/gadgets/?made_on__gt=yesterday").status_code == 422
        assert client.get("/gadgets/?color__gt=red").status_code == 422  # enums are not ordered
        gadget_id = client.get("/gadgets/?serial=g1").json()[0]["id"]
        assert serials(f"id={gadget_id}") == ["g1"]
        assert walk_gadgets(client) == ["g0", "g1", "g2"]


def walk_gadgets(client: TestClient) -> list[str]:
    router_has_no_cursor = "link" not in client.get("/gadgets/?limit=1").headers
    assert router_has_no_cursor
    return [g["serial"] for g in client.get("/gadgets/?sort=serial").json()]


def test_default_sort(backend: Backend) -> None:
    with backend.client(hero_router(backend, sort=["age"], default_sort="-age")) as client:
        for hero in HEROES:
            client.post("/heroes/", json=hero)
        assert ids(client, "") == [1, 6, 3, 4, 5, 2]
        assert ids(client, "sort=age") == [2, 4, 5, 3, 1, 6]


def test_default_sort_by_a_field_clients_cannot_sort_on(backend: Backend) -> None:
    with backend.client(hero_router(backend, sort=["name"], default_sort="-age", cursor=True)) as client:
        for hero in HEROES:
            client.post("/heroes/", json=hero)
        assert ids(client, "") == [1, 6, 3, 4, 5, 2]
        walked, url = [], "/heroes/?limit=2"
        while url:
            page = client.get(url)
            walked += [hero["id"] for hero in page.json()]
            url = page.links.get("next", {}).get("url")
        assert walked == [1, 6, 3, 4, 5, 2]
        refused = client.get("/heroes/?sort=age")
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["msg"] == "Cannot sort by 'age'; sortable fields: name, id"


def test_plain_router_ignores_unknown_parameters_as_the_tutorial_does(backend: Backend) -> None:
    with backend.client() as client:
        assert client.get("/heroes/?age=3&sort=name").status_code == 200


def test_openapi_shows_every_parameter(backend: Backend) -> None:
    router = crud_router(
        m.Gadget, m.GadgetCreate, m.GadgetPublic, m.GadgetUpdate, session=backend.session, filters=["color", "price"]
    )
    with backend.client(hero_router(backend, filters=["age", "name"], sort=True, count=True, cursor=True), router) as c:
        spec = c.get("/openapi.json").json()
    heroes = spec["paths"]["/heroes/"]["get"]
    params = {p["name"]: p["schema"] for p in heroes["parameters"]}
    assert list(params) == [
        "offset", "limit", "sort", "cursor",
        "age", "age__ne", "age__in", "age__gt", "age__gte", "age__lt", "age__lte", "age__isnull",
        "name", "name__ne", "name__in", "name__gt", "name__gte", "name__lt", "name__lte",
        "name__contains", "name__icontains", "name__startswith",
    ]  # fmt: skip
    assert params["age__gt"] | {"description": ""} == {
        "type": "integer",
        "minimum": -(2**31),
        "maximum": 2**31 - 1,
        "title": "age__gt",
        "description": "",
    }
    assert params["age__in"]["type"] == "array"
    assert params["age__isnull"]["type"] == "boolean"
    assert set(heroes["responses"]["200"]["headers"]) == {"X-Total-Count", "Link"}
    gadget_params = {p["name"]: p["schema"] for p in spec["paths"]["/gadgets/"]["get"]["parameters"]}
    assert list(gadget_params) == ["offset", "limit", "color", "color__ne", "color__in", *(
        f"price{op}" for op in ("", "__ne", "__in", "__gt", "__gte", "__lt", "__lte"))]  # fmt: skip
    assert spec["components"]["schemas"]["Color"]["enum"] == ["red", "green", "blue"]


def session() -> None:
    """A stand-in dependency: the refusals below happen before any request."""


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"filters": ["agee"]}, ValueError, "filters: 'agee' is not a column field of HeroPublic"),
        ({"sort": ["secret_name"]}, ValueError, "sort: 'secret_name' is not a column field of HeroPublic"),
        ({"filters": "age"}, TypeError, "filters takes a list of field names"),
        ({"sort": ["age"], "default_sort": "-power"}, ValueError, "default_sort: 'power' is not a column field"),
    ],
)
def test_bad_names_fail_when_built(options: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=session, **options)


class HeroWithoutId(SQLModel):
    name: str


def test_cursor_needs_the_primary_key_in_the_public_model() -> None:
    with pytest.raises(ValueError, match="cursor=True needs the primary key 'id' in HeroWithoutId"):
        crud_router(Hero, HeroCreate, HeroWithoutId, HeroUpdate, session=session, cursor=True)


def test_a_cursor_over_long_text(backend: Backend) -> None:
    """A cursor holds the first 200 characters of a long sort value, and the statement reads
    the rest from the row it names: every row once, in order, both ways."""
    client = backend.client(reading_router(backend, sort=True, cursor=True))
    texts = ["b" * 5000 + "2", "b" * 5000 + "1", "a" * 300, "\U0001f600" * 3000, "c"]
    for text in texts:
        # label: past the cursor's 200 characters, within MariaDB's VARCHAR(255)
        assert client.post("/readings/", json=READING | {"notes": text, "label": text[:250]}).status_code == 200
    for sort in ("notes", "-notes", "label,notes", "-label,-notes"):
        walked, url = [], f"/readings/?sort={sort}&limit=1"
        while url:
            page = client.get(url)
            assert page.status_code == 200, page.text
            assert len(page.request.url.query) < 4200
            walked += [row["id"] for row in page.json()]
            url = page.links.get("next", {}).get("url")
        ordered = [row["id"] for row in client.get(f"/readings/?sort={sort}").json()]
        assert walked == ordered, sort
        assert sorted(walked) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "query",
    ["limit=1&limit=2", "offset=0&offset=0", "age=1&age=2", "sort=age&sort=-age", "name__contains=a&name__contains=b"],
)
def test_a_parameter_that_takes_one_value_sent_twice_is_422(client: TestClient, query: str) -> None:
    response = client.get(f"/heroes/?{query}")
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "repeated",
            "loc": ["query", query.split("=")[0]],
            "msg": "Send this parameter once",
            "input": query.split("=")[-1],
        }
    ]


def test_the_tutorials_list_refuses_a_repeated_limit_too(backend: Backend) -> None:
    with backend.client() as client:  # no option: the tutorial's route
        assert client.get("/heroes/?limit=1&limit=2").status_code == 422
        assert (
            client.get("/heroes/?limit=1&other=1&other=2").status_code == 200
        )  # unknown: ignored, as the tutorial does
