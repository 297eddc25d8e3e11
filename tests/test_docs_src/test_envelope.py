"""docs_src/envelope.py: the list answers an object with the page and the total."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import envelope


def test_the_page_and_its_total(serve: Callable[..., TestClient]) -> None:
    client = serve(envelope)
    for age in (16, 48, 48):
        client.post("/heroes/", json={"name": "x", "secret_name": "y", "age": age})
    body = client.get("/heroes/?age=48&limit=1").json()
    assert body == {"items": [{"name": "x", "age": 48, "id": 2}], "total": 2, "limit": 1, "offset": 0}
