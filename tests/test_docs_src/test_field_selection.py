"""docs_src/field_selection.py: ?fields= on the list route."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import field_selection


def test_only_the_fields_named(serve: Callable[..., TestClient]) -> None:
    client = serve(field_selection)
    client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson", "age": 30})
    assert client.get("/heroes/?fields=id,name").json() == [{"name": "Deadpond", "id": 1}]
    assert client.get("/heroes/?fields=secret_name").status_code == 422  # not a public field
