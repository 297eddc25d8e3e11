"""docs_src/dependencies.py: the app's own dependency guards every hero route."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import dependencies

TOKEN = {"X-Token": "fake-super-secret-token"}
INVALID = {"detail": "X-Token header invalid"}


def test_every_route_needs_the_token(serve: Callable[..., TestClient]) -> None:
    client = serve(dependencies)
    body = {"name": "Deadpond", "secret_name": "Dive Wilson"}
    deadpond = {"name": "Deadpond", "age": None, "id": 1}
    requests = [("POST", "/heroes/", body), ("GET", "/heroes/", None), ("GET", "/heroes/1", None)]
    requests += [("PATCH", "/heroes/1", {"age": 3}), ("DELETE", "/heroes/1", None)]
    for method, url, json in requests:
        response = client.request(method, url, json=json, headers={"X-Token": "wrong"})
        assert (response.status_code, response.json()) == (401, INVALID)
        response = client.request(method, url, json=json)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["header", "x-token"]
    assert client.get("/heroes/", headers=TOKEN).json() == []  # nothing was written
    assert client.post("/heroes/", json=body, headers=TOKEN).json() == deadpond
    assert client.patch("/heroes/1", json={"age": 3}, headers=TOKEN).json() == {**deadpond, "age": 3}
    assert client.delete("/heroes/1", headers=TOKEN).json() == {"ok": True}


def test_own_routes_unchanged(serve: Callable[..., TestClient]) -> None:
    client = serve(dependencies)
    response = client.get("/")
    assert (response.status_code, response.json()) == (200, {"message": "Hello Bigger Applications!"})
