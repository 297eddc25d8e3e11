"""docs_src/primary_keys.py: a UUID key made by ``default_factory``, a string key the client picks."""

import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient

from docs_src import primary_keys


def test_uuid_key(serve: Callable[..., TestClient]) -> None:
    client = serve(primary_keys)
    created = client.post("/missions/", json={"title": "Save the city", "id": str(uuid.UUID(int=1))}).json()
    key = created["id"]
    assert created == {"title": "Save the city", "id": key}
    assert uuid.UUID(key).version == 4  # made by uuid4, not taken from the client
    assert client.get(f"/missions/{key}").json() == created
    assert client.get("/missions/").json() == [created]
    assert client.patch(f"/missions/{key}", json={"title": "Save the world"}).json() == {
        "title": "Save the world",
        "id": key,
    }
    response = client.delete(f"/missions/{key}")
    assert (response.status_code, response.json()) == (200, {"ok": True})
    response = client.get(f"/missions/{key}")
    assert (response.status_code, response.json()) == (404, {"detail": "Mission not found"})
    response = client.get("/missions/not-a-uuid")
    assert response.status_code == 422
    errors = [(error["type"], error["loc"]) for error in response.json()["detail"]]
    assert errors == [("uuid_parsing", ["path", "mission_id"])]


def test_string_key(serve: Callable[..., TestClient]) -> None:
    client = serve(primary_keys)
    euro = {"code": "EUR", "name": "Euro"}
    assert client.post("/currencies/", json=euro).json() == euro
    assert client.post("/currencies/", json={"code": "CHF", "name": "Franc"}).status_code == 200
    assert client.patch("/currencies/CHF", json={"name": "Swiss franc", "code": "XXX"}).json() == {
        "code": "CHF",
        "name": "Swiss franc",
    }
    assert client.get("/currencies/").json() == [
        {"code": "CHF", "name": "Swiss franc"},
        {"code": "EUR", "name": "Euro"},
    ]
    response = client.post("/currencies/", json={"code": "EURO", "name": "Euro"})
    assert (response.status_code, response.json()) == (
        422,
        {
            "detail": [
                {
                    "type": "string_too_long",
                    "loc": ["body", "code"],
                    "msg": "String should have at most 3 characters",
                    "input": "EURO",
                    "ctx": {"max_length": 3},
                }
            ]
        },
    )
    response = client.delete("/currencies/EUR")
    assert (response.status_code, response.json()) == (200, {"ok": True})
    response = client.get("/currencies/EUR")
    assert (response.status_code, response.json()) == (404, {"detail": "Currency not found"})


def test_path_parameter_types_in_openapi() -> None:
    paths = primary_keys.app.openapi()["paths"]
    (mission_id,) = paths["/missions/{mission_id}"]["get"]["parameters"]
    (currency_id,) = paths["/currencies/{currency_id}"]["get"]["parameters"]
    assert mission_id["schema"]["format"] == "uuid"
    assert currency_id["schema"]["type"] == "string"
