"""docs_src/cursor_pagination.py: following ``Link``, rows changing between pages, bad tokens."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from docs_src import cursor_pagination

from ._heroes import FIVE as HEROES
from ._heroes import WithHeroes

NEXT = '>; rel="next"'


@pytest.fixture
def client(with_heroes: WithHeroes) -> TestClient:
    return with_heroes(cursor_pagination, HEROES)


def page(client: TestClient, url: str) -> tuple[list[int], str | None]:
    """The ids on a page, and the URL of the next one."""
    response = client.get(url)
    assert response.status_code == 200, response.json()
    link = response.headers.get("link")
    if link is not None:
        assert link.startswith("<http://127.0.0.1:8000/heroes/?")
        assert link.endswith(NEXT)
        link = link[1 : -len(NEXT)]
    return [hero["id"] for hero in response.json()], link


def walk(client: TestClient, url: str | None) -> list[list[int]]:
    pages = []
    while url:
        ids, url = page(client, url)
        pages.append(ids)
    return pages


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("limit=2", [[1, 2], [3, 4], [5]]),
        ("sort=age&limit=2", [[2, 4], [3, 1], [5]]),
        ("sort=-age&limit=2", [[1, 5], [3, 4], [2]]),
        ("sort=age&limit=5", [[2, 4, 3, 1, 5]]),  # one page: no Link
        ("sort=-age&limit=1", [[1], [5], [3], [4], [2]]),
    ],
)
def test_every_row_once_in_order(client: TestClient, query: str, expected: list[list[int]]) -> None:
    assert walk(client, f"/heroes/?{query}") == expected


def test_rows_inserted_and_deleted_between_pages(client: TestClient) -> None:
    first, url = page(client, "/heroes/?sort=age&limit=2")
    assert first == [2, 4]
    client.delete("/heroes/2")  # seen
    client.delete("/heroes/3")  # not seen yet
    client.post("/heroes/", json={"name": "Young", "secret_name": "s", "age": 1})  # before the cursor
    client.post("/heroes/", json={"name": "Old", "secret_name": "s", "age": 90})  # after it
    assert walk(client, url) == [[7, 1], [5]]  # 4 and 1 neither repeated nor skipped


def test_offset_pages_shift_when_a_row_is_added(client: TestClient) -> None:
    client.delete("/heroes/4")
    client.delete("/heroes/5")
    first, url = page(client, "/heroes/?sort=age&limit=2")
    assert first == [2, 3]
    client.post("/heroes/", json={"name": "Tarantula", "secret_name": "s", "age": 32})
    assert [h["id"] for h in client.get("/heroes/?sort=age&limit=2&offset=2").json()] == [3, 1]  # 3 again
    assert walk(client, url) == [[1]]


def test_link_keeps_filters_and_sort_and_drops_offset(client: TestClient) -> None:
    _, url = page(client, "/heroes/?sort=-age&offset=0&limit=1")
    assert url is not None
    assert url.startswith("http://127.0.0.1:8000/heroes/?sort=-age&limit=1&cursor=")


def cursor_of(client: TestClient, query: str) -> str:
    _, url = page(client, f"/heroes/?{query}")
    assert url is not None
    return url.split("cursor=")[1]


@pytest.mark.parametrize(
    ("make_query", "message"),
    [
        (lambda token: f"sort=age&cursor={token[:-4]}", "The cursor is"),  # cut short
        (lambda token: f"sort=age&cursor={token[:-2]}AA", "The cursor is not one this API made"),
        (lambda token: f"sort=-age&cursor={token}", "The cursor was made for another sort order"),
        (lambda token: f"cursor={token}", "The cursor was made for another sort order"),
        (lambda token: f"sort=age&offset=2&cursor={token}", "A cursor cannot be combined with an offset"),
        (lambda token: "cursor=abc", "The cursor is not one this API made"),
    ],
)
def test_bad_tokens_are_422(client: TestClient, make_query: Callable[[str], str], message: str) -> None:
    token = cursor_of(client, "sort=age&limit=2")
    response = client.get(f"/heroes/?{make_query(token)}")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "cursor"]
    assert error["msg"].startswith(message)


def test_openapi_declares_the_link_header() -> None:
    responses = cursor_pagination.app.openapi()["paths"]["/heroes/"]["get"]["responses"]
    assert responses["200"]["headers"]["Link"]["schema"] == {"type": "string"}
