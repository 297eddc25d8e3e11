"""The many-to-many example: heroes, teams and their link rows, keyed by both ids, on every backend."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from examples.links import app as example
from tests.conftest import Backend

DEADPOND = {"id": 1, "name": "Deadpond", "age": None}
PREVENTERS = {"id": 1, "name": "Preventers", "headquarters": "Sharp Tower"}
Z_FORCE = {"id": 2, "name": "Z-Force", "headquarters": "Sister Margaret's Bar"}


def exercise(client: TestClient) -> None:
    """The tutorial's walk: a hero on two teams, in training on one, then leaving it."""
    assert client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"}).json() == DEADPOND
    for team in (PREVENTERS, Z_FORCE):
        client.post("/teams/", json={key: value for key, value in team.items() if key != "id"})
    joined = client.post("/hero_team_links/", json={"hero_id": 1, "team_id": 1})
    assert (joined.status_code, joined.json()) == (201, {"hero_id": 1, "team_id": 1, "is_training": False})
    assert joined.headers["location"].endswith("/hero_team_links/1/1")
    client.post("/hero_team_links/", json={"hero_id": 1, "team_id": 2, "is_training": True})

    link = client.get("/hero_team_links/1/2").json()
    assert link == {"hero_id": 1, "team_id": 2, "is_training": True, "hero": DEADPOND, "team": Z_FORCE}
    team = client.get("/teams/1").json()
    assert team == PREVENTERS | {"hero_links": [{"hero_id": 1, "team_id": 1, "is_training": False, "hero": DEADPOND}]}
    assert client.get("/hero_team_links/?is_training=true").json() == [
        {"hero_id": 1, "team_id": 2, "is_training": True}
    ]

    # The tutorial's update: the hero is no longer in training.
    done = client.patch("/hero_team_links/1/2", json={"is_training": False})
    assert done.json() == {"hero_id": 1, "team_id": 2, "is_training": False}
    assert client.post("/hero_team_links/", json={"hero_id": 1, "team_id": 2}).status_code == 409  # joined already
    assert client.post("/hero_team_links/", json={"hero_id": 1, "team_id": 9}).status_code == 409  # no team 9
    assert client.delete("/teams/1").status_code == 409  # a link still names it
    assert client.get("/hero_team_links/1/9").status_code == 404
    assert client.delete("/hero_team_links/1/1").json() == {"ok": True}
    assert client.delete("/teams/1").json() == {"ok": True}
    assert client.get("/hero_team_links/?hero_id=1").json() == [{"hero_id": 1, "team_id": 2, "is_training": False}]


def test_example_on_every_backend(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the lifespan creates the example's own tables in links.db
    example.app.dependency_overrides[example.get_session] = backend.links.session
    try:
        with TestClient(example.app) as client:
            exercise(client)
    finally:
        example.app.dependency_overrides.clear()


def test_openapi_names_both_segments() -> None:
    paths = example.app.openapi()["paths"]
    assert "/hero_team_links/{hero_id}/{team_id}" in paths
    read = paths["/hero_team_links/{hero_id}/{team_id}"]["get"]
    assert [parameter["name"] for parameter in read["parameters"]] == ["hero_id", "team_id"]
