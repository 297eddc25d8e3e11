"""docs_src/querying.py: the tutorial's filters, sort, count and cursor on the hero app."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

import examples.heroes.app
from docs_src import querying

from ._heroes import FIVE as HEROES
from ._heroes import WithHeroes, ids


@pytest.fixture
def client(with_heroes: WithHeroes) -> TestClient:
    return with_heroes(querying, HEROES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("age=48", [3]),
        ("age__gte=18", [3, 4]),
        ("name__icontains=man", [3]),
        ("name__icontains=MAN", [3]),
        ("name__contains=man", []),
        ("age__isnull=true", [1, 5]),
        ("age__in=16&age__in=48", [2, 3]),
        ("age__gte=18&name__icontains=man", [3]),
        ("sort=-age,name", [5, 1, 3, 4, 2]),
        ("sort=age", [2, 4, 3, 1, 5]),
        ("sort=name", [5, 1, 3, 2, 4]),
        ("", [1, 2, 3, 4, 5]),
    ],
)
def test_queries(client: TestClient, query: str, expected: list[int]) -> None:
    assert ids(client, query, counted=True) == expected


def test_count_ignores_offset_and_limit(client: TestClient) -> None:
    response = client.get("/heroes/?age__isnull=false&limit=1")
    assert response.headers["x-total-count"] == "3"
    assert response.json() == [{"name": "Spider-Boy", "age": 16, "id": 2}]
    assert client.get("/heroes/?age__isnull=false&offset=2").headers["x-total-count"] == "3"


def test_cursor_walk_ends_without_link(client: TestClient) -> None:
    url, pages = "/heroes/?sort=age&limit=2", []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["x-total-count"] == "5"  # the filters' total, on every page
        pages.append([hero["id"] for hero in response.json()])
        link = response.headers.get("link")
        url = link[1 : -len('>; rel="next"')] if link else ""
    assert pages == [[2, 4], [3, 1], [5]]


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("agee=18", "agee"),
        ("secret_name=x", "secret_name"),
        ("age__gte=old", "age__gte"),
        ("sort=secret_name", "sort"),
        ("cursor=abc", "cursor"),
    ],
)
def test_refusals_name_the_parameter(client: TestClient, query: str, param: str) -> None:
    response = client.get(f"/heroes/?{query}")
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["query", param]]


def test_the_tutorial_app_ignores_unknown_parameters(serve: Callable[..., TestClient]) -> None:
    client = serve(examples.heroes.app)
    client.post("/heroes/", json=HEROES[1])
    response = client.get("/heroes/?agee=18&sort=-age")
    assert (response.status_code, len(response.json())) == (200, 1)
    assert "x-total-count" not in response.headers


def test_openapi_shows_the_parameters() -> None:
    operation = querying.app.openapi()["paths"]["/heroes/"]["get"]
    names = [parameter["name"] for parameter in operation["parameters"]]
    assert names[:4] == ["offset", "limit", "sort", "cursor"]
    assert {"age__gte", "age__in", "age__isnull", "name__icontains", "id__lt"} <= set(names)
    assert "secret_name" not in names
    assert set(operation["responses"]["200"]["headers"]) == {"X-Total-Count", "Link"}
