"""docs_src/route_dependencies.py: an API key for every route, an admin's for the writes."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from docs_src import route_dependencies

READER, ADMIN = {"X-API-Key": "reader-key"}, {"X-API-Key": "admin-key"}
BODY = {"name": "Deadpond", "secret_name": "Dive Wilson"}
DEADPOND = {"name": "Deadpond", "age": None, "id": 1}
REQUESTS = [
    ("POST", "/heroes/", BODY),
    ("GET", "/heroes/", None),
    ("GET", "/heroes/1", None),
    ("PATCH", "/heroes/1", {"age": 3}),
    ("DELETE", "/heroes/1", None),
]


@pytest.fixture
def client(serve: Callable[..., TestClient]) -> TestClient:
    return serve(route_dependencies)


def test_every_route_needs_a_known_key(client: TestClient) -> None:
    assert client.post("/heroes/", json=BODY, headers=ADMIN).json() == DEADPOND
    for method, url, body in REQUESTS:
        response = client.request(method, url, json=body)
        assert (response.status_code, response.json()) == (401, {"detail": "Not authenticated"})
        assert response.headers["www-authenticate"] == "APIKey"
        response = client.request(method, url, json=body, headers={"X-API-Key": "stolen"})
        assert (response.status_code, response.json()) == (401, {"detail": "Unknown API key"})
    assert client.get("/heroes/", headers=READER).json() == [DEADPOND]  # nothing changed


def test_readers_read_and_only_admins_write(client: TestClient) -> None:
    for method, url, body in REQUESTS:
        response = client.request(method, url, json=body, headers=READER)
        if method == "GET":
            assert response.status_code in (200, 404)
        else:
            assert (response.status_code, response.json()) == (403, {"detail": "Admins only"})
    assert client.get("/heroes/", headers=READER).json() == []
    assert client.post("/heroes/", json=BODY, headers=ADMIN).json() == DEADPOND
    assert client.get("/heroes/1", headers=READER).json() == DEADPOND
    assert client.patch("/heroes/1", json={"age": 3}, headers=ADMIN).json() == {**DEADPOND, "age": 3}
    assert client.delete("/heroes/1", headers=ADMIN).json() == {"ok": True}


def test_openapi_shows_the_security_scheme() -> None:
    document = route_dependencies.app.openapi()
    assert document["components"]["securitySchemes"] == {
        "APIKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    }
    operations = [op for path in document["paths"].values() for op in path.values()]
    assert len(operations) == 5
    assert all(op["security"] == [{"APIKeyHeader": []}] for op in operations)
