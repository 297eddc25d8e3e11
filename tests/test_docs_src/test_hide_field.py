"""docs_src/hide_field.py: columns left out of the public model are stored but never shown."""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from docs_src import hide_field


def test_hidden_columns_stored_not_shown(backend: Any, serve: Callable[..., TestClient]) -> None:
    client = serve(hide_field)
    body = {"codename": "Nightcrawler", "real_name": "Kurt Wagner", "clearance": 5}
    assert client.post("/agents/", json=body).json() == {"codename": "Nightcrawler", "id": 1}
    assert client.patch("/agents/1", json={"real_name": "K. Wagner", "clearance": 9}).json() == {
        "codename": "Nightcrawler",
        "id": 1,
    }
    assert client.get("/agents/").json() == [{"codename": "Nightcrawler", "id": 1}]
    assert client.get("/agents/1").json() == {"codename": "Nightcrawler", "id": 1}
    with backend.engine.connect() as connection:
        row = connection.execute(sa.text("SELECT codename, real_name, clearance FROM agent")).one()
    assert tuple(row) == ("Nightcrawler", "K. Wagner", 1)


def test_hidden_columns_not_in_openapi_responses() -> None:
    schemas = hide_field.app.openapi()["components"]["schemas"]
    assert set(schemas["AgentPublic"]["properties"]) == {"codename", "id"}
