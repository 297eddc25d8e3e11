"""The team/hero example: SQLModel's relationships tutorial app on sqlcrud, on every backend."""

from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from examples.teams import app as example
from tests import tutorial_teams as tutorial
from tests.conftest import TEAMS, Backend

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


WALK = [
    ("POST", "/teams/", {"name": "Preventers", "headquarters": "Sharp Tower"}),
    ("POST", "/teams/", {"name": "Z-Force", "headquarters": "Sister Margaret's Bar"}),
    ("POST", "/heroes/", {"name": "Deadpond", "secret_name": "Dive Wilson", "team_id": 2}),
    ("POST", "/heroes/", {"name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48, "team_id": 1}),
    ("POST", "/heroes/", {"name": "Spider-Boy", "secret_name": "Pedro Parqueador"}),
    ("POST", "/heroes/", {"name": "Nameless"}),
    ("GET", "/heroes/1", None),
    ("GET", "/heroes/3", None),
    ("GET", "/teams/1", None),
    ("PATCH", "/heroes/3", {"team_id": 1, "age": 12}),
    ("GET", "/teams/1", None),
    ("GET", "/heroes/?offset=1&limit=2", None),
    ("PATCH", "/teams/2", {"headquarters": "Sister Margaret's"}),
    ("GET", "/heroes/1", None),
    ("GET", "/teams/", None),
    ("DELETE", "/heroes/2", None),
    ("GET", "/teams/1", None),
    ("GET", "/teams/9", None),
    ("PATCH", "/heroes/9", {"age": 1}),
    ("DELETE", "/teams/9", None),
]


@pytest.mark.parametrize("backend", ["sqlite_sync", "pg_sync"], indirect=True)
def test_same_answers_as_the_hand_written_app(backend: Backend) -> None:
    """SQLModel's tutorial app, written by hand with ORM objects, answers the same walk alike."""
    answers = []
    for app, get_session in [(example.app, example.get_session), (tutorial.app, tutorial.get_session)]:
        with backend.teams.engine.begin() as connection:
            for table in reversed(TEAMS.sorted_tables):
                connection.execute(table.delete())
            if backend.is_postgres:
                connection.execute(sa.text("ALTER SEQUENCE team_id_seq RESTART; ALTER SEQUENCE hero_id_seq RESTART"))
        app.dependency_overrides[get_session] = backend.teams.session
        try:
            client = TestClient(app)
            answers.append([client.request(method, url, json=body) for method, url, body in WALK])
        finally:
            app.dependency_overrides.clear()
    for (method, url, _), ours, theirs in zip(WALK, *answers, strict=True):
        assert (ours.status_code, ours.json()) == (theirs.status_code, theirs.json()), (method, url)
