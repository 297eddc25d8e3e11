"""docs_src/related_tables.py and the statement counts the "Related tables" page gives."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from docs_src import related_tables
from examples.teams import app as example
from tests.conftest import Backend
from tests.test_statements import statements

PREVENTERS = {"name": "Preventers", "headquarters": "Sharp Tower", "id": 1}


def hero(i: int, team_id: int | None = 1) -> dict[str, Any]:
    return {"name": f"h{i:02}", "secret_name": "s", "age": None, "team_id": team_id}


def test_every_hero_route_nests_its_team(serve: Callable[..., TestClient]) -> None:
    client = serve(related_tables)
    assert client.post("/teams/", json={"name": "Preventers", "headquarters": "Sharp Tower"}).json() == PREVENTERS
    with_team = hero(1) | {"id": 1, "team": PREVENTERS}
    assert client.post("/heroes/", json=hero(1)).json() == with_team
    assert client.post("/heroes/", json=hero(2, None)).json() == hero(2, None) | {"id": 2, "team": None}
    assert client.patch("/heroes/2", json={"team_id": 1}).json() == hero(2) | {"id": 2, "team": PREVENTERS}
    assert client.get("/heroes/1").json() == with_team
    assert [h["team"] for h in client.get("/heroes/").json()] == [PREVENTERS, PREVENTERS]
    assert client.get("/teams/").json() == [PREVENTERS]  # TeamPublic: no heroes in the list


def test_a_teams_read_nests_twenty_heroes_and_the_filter_gives_all(serve: Callable[..., TestClient]) -> None:
    client = serve(related_tables)
    client.post("/teams/", json={"name": "Preventers", "headquarters": "Sharp Tower"})
    for i in range(1, 23):
        assert client.post("/heroes/", json=hero(i)).status_code == 200
    heroes = client.get("/teams/1").json()["heroes"]
    assert [h["id"] for h in heroes] == list(range(1, 21))  # the first 20, by key
    assert heroes[0] == hero(1) | {"id": 1}  # HeroPublic: no team nested in the team's heroes
    assert [h["id"] for h in client.get("/heroes/?team_id=1").json()] == list(range(1, 23))
    assert [h["id"] for h in client.get("/heroes/?team_id=1&offset=20").json()] == [21, 22]
    assert client.get("/heroes/?team_id=2").json() == []


def test_statements_per_route(backend: Backend, serve: Callable[..., TestClient]) -> None:
    """The example's counts, then those of the routers that nest in every route."""
    engine = backend.teams.app_engine
    client = serve(example)
    requests: list[tuple[str, str, dict[str, Any] | None, list[str]]] = [
        ("POST", "/teams/", {"name": "Preventers", "headquarters": "Sharp Tower"}, ["INSERT"]),
        ("POST", "/teams/", {"name": "Z-Force", "headquarters": "Sister Margaret's Bar"}, ["INSERT"]),
        ("POST", "/heroes/", hero(1), ["INSERT"]),
        ("POST", "/heroes/", hero(2), ["INSERT"]),
        ("GET", "/heroes/", None, ["SELECT"]),
        ("GET", "/heroes/1", None, ["SELECT", "SELECT"]),  # the hero, then its team
        ("GET", "/teams/1", None, ["SELECT", "SELECT"]),  # the team, then its heroes
        ("GET", "/teams/2", None, ["SELECT", "SELECT"]),
        ("PATCH", "/heroes/1", {"age": 30}, backend.updated),
    ]
    for method, url, body, expected in requests:
        with statements(engine) as sent:
            assert client.request(method, url, json=body).status_code == 200, (method, url)
        assert sent == expected, (method, url)

    client = serve(related_tables)
    requests = [
        ("POST", "/heroes/", hero(3), ["INSERT", "SELECT"]),
        ("PATCH", "/heroes/3", {"age": 30}, [*backend.updated, "SELECT"]),
        ("GET", "/heroes/?team_id=1", None, ["SELECT", "SELECT"]),  # however many heroes
        ("GET", "/heroes/?team_id=2", None, ["SELECT"]),  # no heroes: no team to load
        ("GET", "/teams/1", None, ["SELECT", "SELECT"]),
        ("DELETE", "/heroes/3", None, ["DELETE"]),
    ]
    for method, url, body, expected in requests:
        with statements(engine) as sent:
            assert client.request(method, url, json=body).status_code == 200, (method, url)
        assert sent == expected, (method, url)


def test_read_route_answers_with_the_read_model() -> None:
    paths = related_tables.app.openapi()["paths"]
    schema = paths["/teams/{team_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/TeamPublicWithHeroes"}
    create = paths["/heroes/"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert create == {"$ref": "#/components/schemas/HeroPublicWithTeam"}
