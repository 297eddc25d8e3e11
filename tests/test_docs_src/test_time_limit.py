"""docs_src/time_limit.py: the routes work under a time limit (its refusal: tests/test_hostile.py)."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import time_limit


def test_routes_under_a_time_limit(serve: Callable[..., TestClient]) -> None:
    client = serve(time_limit)
    assert client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"}).status_code == 200
    assert client.get("/heroes/?name__icontains=POND").json() == [{"name": "Deadpond", "age": None, "id": 1}]
    assert client.patch("/heroes/1", json={"age": 30}).json()["age"] == 30
    assert client.delete("/heroes/1").json() == {"ok": True}
