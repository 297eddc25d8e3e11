"""docs_src/status_codes.py: ``201 Created`` with ``Location``, ``204 No Content`` for deletes."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import status_codes


def test_created_and_no_content(serve: Callable[..., TestClient]) -> None:
    client = serve(status_codes)
    response = client.post("/heroes/?x=1", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
    assert (response.status_code, response.json()) == (201, {"name": "Deadpond", "age": None, "id": 1})
    assert response.headers["location"] == "http://127.0.0.1:8000/heroes/1"
    assert client.get(response.headers["location"]).json() == {"name": "Deadpond", "age": None, "id": 1}
    response = client.delete("/heroes/1")
    assert (response.status_code, response.content) == (204, b"")
    response = client.delete("/heroes/1")
    assert (response.status_code, response.json()) == (404, {"detail": "Hero not found"})


def test_status_codes_in_openapi() -> None:
    paths = status_codes.app.openapi()["paths"]
    assert "201" in paths["/heroes/"]["post"]["responses"]
    assert "204" in paths["/heroes/{hero_id}"]["delete"]["responses"]
