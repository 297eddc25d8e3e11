"""docs_src/etags.py: a version column, If-Match required, If-None-Match."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import etags


def test_version_tags(serve: Callable[..., TestClient]) -> None:
    client = serve(etags)
    created = client.post("/articles/", json={"title": "Draft", "version": 7})
    assert (created.json(), created.headers["etag"]) == ({"id": 1, "title": "Draft", "version": 1}, '"1"')
    assert client.patch("/articles/1", json={"title": "x"}).status_code == 428
    assert client.patch("/articles/1", json={"title": "x"}, headers={"if-match": '"1"'}).headers["etag"] == '"2"'
    assert client.delete("/articles/1", headers={"if-match": '"1"'}).status_code == 412
    assert client.get("/articles/1", headers={"if-none-match": '"2"'}).status_code == 304
    assert client.delete("/articles/1", headers={"if-match": '"2"'}).json() == {"ok": True}


def test_openapi() -> None:
    update = etags.app.openapi()["paths"]["/articles/{article_id}"]["patch"]
    assert {"412", "428"} <= set(update["responses"])
