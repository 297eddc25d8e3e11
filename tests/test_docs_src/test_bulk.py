"""docs_src/bulk.py: many rows in one request, capped at 500."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import bulk


def test_many_rows_at_once_up_to_the_cap(serve: Callable[..., TestClient]) -> None:
    client = serve(bulk)
    heroes = [{"name": f"Hero {i}", "secret_name": "s", "age": i % 3} for i in range(500)]
    assert len(client.post("/heroes/", json=heroes).json()) == 500
    too_many = client.post("/heroes/", json=heroes + heroes[:1])
    assert (too_many.status_code, too_many.json()["detail"][0]["type"]) == (422, "too_long")
    assert [row["id"] for row in client.patch("/heroes/?name=Hero%207", json={"age": 9}).json()] == [8]
    deleted = client.delete("/heroes/?age=0").json()
    assert [row["id"] for row in deleted] == list(range(1, 501, 3))
    assert client.delete("/heroes/?age__lt=3").status_code == 200  # 333 rows: within the cap
    assert client.get("/heroes/?age=9").json() == [{"name": "Hero 7", "age": 9, "id": 8}]
