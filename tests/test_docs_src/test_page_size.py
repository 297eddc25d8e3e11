"""docs_src/page_size.py: ``max_limit=20`` is the largest and the default page."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import page_size


def test_default_and_largest_page(serve: Callable[..., TestClient]) -> None:
    client = serve(page_size)
    for i in range(21):
        client.post("/heroes/", json={"name": f"h{i}", "secret_name": "s"})
    assert [hero["id"] for hero in client.get("/heroes/").json()] == list(range(1, 21))
    assert [hero["id"] for hero in client.get("/heroes/?offset=20&limit=20").json()] == [21]
    assert client.get("/heroes/?limit=21").status_code == 422


def test_limit_in_openapi() -> None:
    parameters = page_size.app.openapi()["paths"]["/heroes/"]["get"]["parameters"]
    (limit,) = [p for p in parameters if p["name"] == "limit"]
    assert (limit["schema"]["maximum"], limit["schema"]["default"]) == (20, 20)
