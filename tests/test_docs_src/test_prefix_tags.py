"""docs_src/prefix_tags.py: the collection at ``/api/v1/characters``, tagged ``characters``."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import prefix_tags


def test_routes_under_new_path(serve: Callable[..., TestClient]) -> None:
    client = serve(prefix_tags)
    deadpond = {"name": "Deadpond", "age": None, "id": 1}
    response = client.post("/api/v1/characters/", json={"name": "Deadpond", "secret_name": "D"})
    assert (response.status_code, response.json()) == (200, deadpond)
    assert client.get("/api/v1/characters/").json() == [deadpond]
    assert client.patch("/api/v1/characters/1", json={"age": 30}).json() == {**deadpond, "age": 30}
    response = client.delete("/api/v1/characters/1")
    assert (response.status_code, response.json()) == (200, {"ok": True})
    response = client.get("/heroes/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_paths_and_tags_in_openapi() -> None:
    paths = prefix_tags.app.openapi()["paths"]
    assert list(paths) == ["/api/v1/characters/", "/api/v1/characters/{hero_id}"]
    assert {tag for item in paths.values() for op in item.values() for tag in op["tags"]} == {"characters"}
