"""docs_src/route_selection.py: only the list and read routes; 405 with ``Allow`` for the rest."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from docs_src import route_selection
from examples.heroes.models import Hero

DEADPOND = {"name": "Deadpond", "age": None, "id": 1}
NOT_ALLOWED = {"detail": "Method Not Allowed"}


@pytest.fixture
def client(serve: Callable[..., TestClient], backend: Any) -> TestClient:
    with backend.engine.begin() as connection:  # no create route: the rows come from elsewhere
        connection.execute(Hero.__table__.insert().values(name="Deadpond", secret_name="Dive Wilson"))  # type: ignore[attr-defined]
    return serve(route_selection)


def test_list_and_read(client: TestClient) -> None:
    assert client.get("/heroes/").json() == [DEADPOND]
    assert client.get("/heroes/1").json() == DEADPOND
    response = client.get("/heroes/2")
    assert (response.status_code, response.json()) == (404, {"detail": "Hero not found"})


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/heroes/", {"name": "Rusty-Man", "secret_name": "Tommy Sharp"}),
        ("PATCH", "/heroes/1", {"age": 30}),
        ("DELETE", "/heroes/1", None),
        ("PUT", "/heroes/1", {"age": 30}),
    ],
)
def test_other_methods_are_405_with_allow(client: TestClient, method: str, url: str, body: Any) -> None:
    response = client.request(method, url, json=body)
    assert (response.status_code, response.json()) == (405, NOT_ALLOWED)
    assert response.headers["allow"] == "GET, HEAD"
    assert client.get("/heroes/").json() == [DEADPOND]  # nothing written


def test_openapi_has_only_the_two_routes() -> None:
    paths = route_selection.app.openapi()["paths"]
    assert {path: set(operations) for path, operations in paths.items()} == {
        "/heroes/": {"get"},
        "/heroes/{hero_id}": {"get"},
    }
