"""``search=[...]``: ``?q=`` finds the text in any of the fields named, as ``__icontains``
does (A-Z folded, ``%`` and ``_`` plain), on every backend."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Backend
from tests.test_hostile import READING, reading_router

ROWS = [
    {"label": "Dawn chorus", "notes": "birds", "code": "a"},
    {"label": "noon", "notes": "DAWN was cloudy", "code": "b"},
    {"label": "100%_sure", "notes": "", "code": "c"},
    {"label": "Éclair", "notes": "ÉTÉ", "code": "d"},
    {"label": "dusk", "notes": "nothing", "code": "dawn"},  # code is not searched
]


@pytest.fixture
def client(backend: Backend) -> Iterator[TestClient]:
    router = reading_router(backend, search=["label", "notes"], filters=["code"], count=True, cursor=True)
    with backend.client(router) as client:
        for row in ROWS:
            assert client.post("/readings/", json=READING | row).status_code == 200
        yield client


def ids(client: TestClient, **params: Any) -> list[int]:
    response = client.get("/readings/", params=params)
    assert response.status_code == 200, response.json()
    assert response.headers["x-total-count"] == str(len(response.json()))
    return [row["id"] for row in response.json()]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("dawn", [1, 2]),  # in the label or in the notes, whatever the case of A-Z
        ("DAWN", [1, 2]),
        ("%_", [3]),  # % and _ match themselves
        ("%", [3]),
        ("é", []),  # only A-Z are folded: "É" is not "é"
        ("É", [4]),
        ("ÉTÉ", [4]),
        ("nothing", [5]),
        ("", [1, 2, 3, 4, 5]),
        ("zebra", []),
    ],
)
def test_q_finds_the_text_in_any_field_named(client: TestClient, q: str, expected: list[int]) -> None:
    assert ids(client, q=q) == expected


def test_filters_hold_beside_it_and_cursors_keep_it(client: TestClient) -> None:
    assert ids(client, q="dawn", code="b") == [2]
    first = client.get("/readings/", params={"q": "dawn", "limit": 1})
    assert [row["id"] for row in first.json()] == [1]
    assert [row["id"] for row in client.get(first.links["next"]["url"]).json()] == [2]


def test_bad_searches_are_a_422_naming_q(client: TestClient) -> None:
    for params in ({"q": "x" * 201}, {"q": "a\x00b"}, [("q", "a"), ("q", "b")]):
        response = client.get("/readings/", params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"][0]["loc"] == ["query", "q"]
    assert ids(client, q="x" * 200) == []


def test_search_names_text_fields(backend: Backend) -> None:
    with pytest.raises(ValueError, match="search: 'count' is not a column field of ReadingPublic, or is not text"):
        reading_router(backend, search=["count"])
    app = backend.app(reading_router(backend, search=True))
    (q,) = [p for p in app.openapi()["paths"]["/readings/"]["get"]["parameters"] if p["name"] == "q"]
    assert q["schema"]["maxLength"] == 200
    assert q["description"] == "Rows where any of label, code, notes contains it (ignoring A-Z case)"
