"""docs_src/mariadb.py: the column types that hold the same values on every database."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import mariadb

POST = {"slug": "hello", "body": "x" * 100_000, "score": 0.123456789012, "published_at": "2024-05-01T06:00:00.123456Z"}


def test_the_same_values_back_on_every_database(serve: Callable[..., TestClient]) -> None:
    client = serve(mariadb)
    created = client.post("/posts/", json=POST).json()
    assert created == POST | {"id": 1}  # microseconds, double precision, 100,000 characters
    assert client.get("/posts/1").json() == created


def test_a_unique_key_compares_case_sensitively(serve: Callable[..., TestClient]) -> None:
    client = serve(mariadb)
    assert client.post("/posts/", json=POST).status_code == 200
    assert client.post("/posts/", json=POST | {"slug": "Hello"}).status_code == 200
    assert client.post("/posts/", json=POST | {"slug": "hello"}).status_code == 409
    assert [post["slug"] for post in client.get("/posts/").json()] == ["hello", "Hello"]
