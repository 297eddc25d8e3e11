"""The team/hero example: SQLModel's relationships tutorial app on sqlcrud, on every backend."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from examples.teams import app as example
from tests.conftest import Backend

PREVENTERS = {"id": 1, "name": "Preventers", "headquarters": "Sharp Tower"}
DEADPOND = {"name": "Deadpond", "secret_name": "Dive Wilson", "age": None}


def exercise(client: TestClient) -> None:
    """The tutorial's walk: a team, heroes joining it, and reads that nest one in the other."""
    team = client.post("/teams/", json={"name": "Preventers", "headquarters": "Sharp Tower"})
    assert (team.status_code, team.json()) == (200, PREVENTERS)
    assert client.get("/teams/1").json() == PREVENTERS | {"heroes": []}

    hero = client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson", "team_id": 1})
    assert hero.json() == DEADPOND | {"id": 1, "team_id": 1}  # HeroPublic: no team nested
    client.post("/heroes/", json={"name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48})
    assert client.get("/heroes/1").json() == DEADPOND | {"id": 1, "team_id": 1, "team": PREVENTERS}
    assert client.get("/heroes/2").json()["team"] is None

    assert client.patch("/heroes/2", json={"team_id": 1}).json()["team_id"] == 1
    heroes = client.get("/teams/1").json()["heroes"]
    assert [hero["name"] for hero in heroes] == ["Deadpond", "Rusty-Man"]
    assert client.get("/heroes/").json()[1] == {
        "name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48, "team_id": 1, "id": 2,
    }  # fmt: skip

    missing_team = client.post("/heroes/", json={"name": "Tarantula", "secret_name": "Natalia", "team_id": 9})
    assert missing_team.status_code == 409
    assert client.delete("/teams/1").status_code == 409  # it still has heroes
    assert client.patch("/heroes/1", json={"team_id": None}).json()["team_id"] is None
    assert client.patch("/heroes/2", json={"team_id": None}).status_code == 200
    assert client.delete("/teams/1").json() == {"ok": True}
    assert client.get("/heroes/").json()[0]["id"] == 1  # the missing team's hero was never written
    assert len(client.get("/heroes/").json()) == 2


def test_example_on_every_backend(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the lifespan creates the example's own tables in teams.db
    example.app.dependency_overrides[example.get_session] = backend.teams.session
    try:
        with TestClient(example.app) as client:
            exercise(client)
    finally:
        example.app.dependency_overrides.clear()
