"""The five benchmark apps answer the same requests alike, so the benchmark compares like with like.

So do the four apps of the relationship workloads (``benchmarks/teams/``), on the
team/hero example's tables. Each app runs on its own copy of one SQLite database
through ``TestClient``; nothing is timed here.
"""

import importlib
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from examples.heroes.models import Hero
from examples.teams.models import Base as TeamsBase

APPS = ["handwritten_sync", "handwritten_async", "sqlcrud_sync", "sqlcrud_async", "ceiling"]
ROWS = 30
TEAMS = 4  # heroes are dealt to teams 1..3; team 4 has none, and every fifth hero no team

Exchange = tuple[str, str, Any, int, Any]  # method, url, body, status, JSON


def requests() -> Iterator[tuple[str, str, Any]]:
    """The same requests, in the same order, for every app (writes after reads)."""
    yield "GET", "/heroes/", None
    yield "GET", "/heroes/?limit=5", None
    yield "GET", "/heroes/?offset=25&limit=10", None
    yield "GET", f"/heroes/?offset={ROWS}", None
    yield "GET", "/heroes/1", None
    yield "GET", "/heroes/10", None
    yield "GET", "/heroes/999", None
    new = ROWS + 1
    yield "POST", "/heroes/", {"name": "Deadpond", "secret_name": "Dive Wilson"}
    yield "POST", "/heroes/", {"name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48}
    yield "GET", f"/heroes/{new}", None
    yield "PATCH", f"/heroes/{new}", {"age": 31}
    yield "PATCH", f"/heroes/{new}", {"name": "Deadpool", "age": None}
    yield "PATCH", f"/heroes/{new}", {}
    yield "PATCH", "/heroes/999", {"age": 1}
    yield "DELETE", f"/heroes/{new}", None
    yield "DELETE", f"/heroes/{new}", None
    yield "GET", f"/heroes/{new}", None
    yield "GET", "/heroes/?offset=28", None


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "template.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    Hero.__table__.create(engine)  # type: ignore[attr-defined]
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO hero (name, age, secret_name) VALUES (?, ?, ?)",
            [(f"Hero {i}", None if i % 7 == 0 else i, f"Secret {i}") for i in range(1, ROWS + 1)],
        )
    connection.close()
    return path


def exchanges(
    module_name: str,
    template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    sent: Iterator[tuple[str, str, Any]] | None = None,
) -> list[Exchange]:
    """Import app ``module_name`` afresh on a copy of ``template`` and send it every request."""
    database = tmp_path / f"{module_name}.db"
    shutil.copy(template, database)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    sys.modules.pop(module_name, None)  # the apps read DATABASE_URL when imported
    module = importlib.import_module(module_name)
    try:
        with TestClient(module.app) as client:
            return [
                (method, url, body, (r := client.request(method, url, json=body)).status_code, r.json())
                for method, url, body in (requests() if sent is None else sent)
            ]
    finally:
        sys.modules.pop(module_name, None)


@pytest.fixture(scope="module")
def reference(template: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Exchange]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return exchanges("benchmarks.handwritten_sync", template, tmp_path_factory.mktemp("reference"), monkeypatch)


def test_reference_answers_as_the_tutorial_does(reference: list[Exchange]) -> None:
    answers = {(method, url, str(body)): (status, json) for method, url, body, status, json in reference}
    assert len(answers[("GET", "/heroes/", "None")][1]) == ROWS
    assert answers[("GET", "/heroes/?limit=5", "None")][1][0] == {"name": "Hero 1", "age": 1, "id": 1}
    assert answers[("GET", "/heroes/999", "None")] == (404, {"detail": "Hero not found"})
    assert [(status, json) for _, _, _, status, json in reference[7:]] == [
        (200, {"name": "Deadpond", "age": None, "id": 31}),
        (200, {"name": "Rusty-Man", "age": 48, "id": 32}),
        (200, {"name": "Deadpond", "age": None, "id": 31}),
        (200, {"name": "Deadpond", "age": 31, "id": 31}),
        (200, {"name": "Deadpool", "age": None, "id": 31}),
        (200, {"name": "Deadpool", "age": None, "id": 31}),
        (404, {"detail": "Hero not found"}),
        (200, {"ok": True}),
        (404, {"detail": "Hero not found"}),
        (404, {"detail": "Hero not found"}),
        (
            200,
            [
                {"name": "Hero 29", "age": 29, "id": 29},
                {"name": "Hero 30", "age": 30, "id": 30},
                {"name": "Rusty-Man", "age": 48, "id": 32},
            ],
        ),
    ]


@pytest.mark.parametrize("name", APPS[1:])
def test_app_answers_like_the_hand_written_one(
    name: str, template: Path, reference: list[Exchange], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert exchanges(f"benchmarks.{name}", template, tmp_path, monkeypatch) == reference


def team_requests() -> Iterator[tuple[str, str, Any]]:
    """The relationship workloads' requests, and pages, teams and misses around them."""
    yield "GET", "/heroes/", None
    yield "GET", "/heroes/?limit=100", None
    yield "GET", "/heroes/?offset=3&limit=4", None
    yield "GET", f"/heroes/?offset={ROWS}", None
    yield "GET", "/teams/1", None
    yield "GET", "/teams/3", None
    yield "GET", f"/teams/{TEAMS}", None
    yield "GET", "/teams/999", None


@pytest.fixture(scope="module")
def teams_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "teams.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    TeamsBase.metadata.create_all(engine)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO team (name, headquarters) VALUES (?, ?)",
            [(f"Team {i}", f"Tower {i}") for i in range(1, TEAMS + 1)],
        )
        connection.executemany(
            "INSERT INTO hero (name, age, secret_name, team_id) VALUES (?, ?, ?, ?)",
            [
                (f"Hero {i}", None if i % 7 == 0 else i, f"Secret {i}", None if i % 5 == 0 else i % 3 + 1)
                for i in range(1, ROWS + 1)
            ],
        )
    connection.close()
    return path


@pytest.fixture(scope="module")
def teams_reference(teams_template: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Exchange]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        module = "benchmarks.teams.handwritten_sync"
        return exchanges(module, teams_template, tmp_path_factory.mktemp("reference"), monkeypatch, team_requests())


def test_teams_reference_nests_related_rows(teams_reference: list[Exchange]) -> None:
    answers = {url: (status, json) for _, url, _, status, json in teams_reference}
    team_1, team_2 = ({"name": f"Team {i}", "headquarters": f"Tower {i}", "id": i} for i in (1, 2))
    assert len(answers["/heroes/"][1]) == ROWS
    assert answers["/heroes/?offset=3&limit=4"] == (
        200,
        [
            {"name": "Hero 4", "secret_name": "Secret 4", "age": 4, "team_id": 2, "id": 4, "team": team_2},
            {"name": "Hero 5", "secret_name": "Secret 5", "age": 5, "team_id": None, "id": 5, "team": None},
            {"name": "Hero 6", "secret_name": "Secret 6", "age": 6, "team_id": 1, "id": 6, "team": team_1},
            {"name": "Hero 7", "secret_name": "Secret 7", "age": None, "team_id": 2, "id": 7, "team": team_2},
        ],
    )
    heroes = answers["/teams/1"][1]["heroes"]
    assert [hero["id"] for hero in heroes] == [3, 6, 9, 12, 18, 21, 24, 27]
    assert heroes[0] == {"name": "Hero 3", "secret_name": "Secret 3", "age": 3, "team_id": 1, "id": 3}
    assert answers[f"/teams/{TEAMS}"] == (200, {"name": "Team 4", "headquarters": "Tower 4", "id": 4, "heroes": []})
    assert answers["/teams/999"] == (404, {"detail": "Team not found"})


@pytest.mark.parametrize("name", APPS[1:4])
def test_teams_app_answers_like_the_hand_written_one(
    name: str, teams_template: Path, teams_reference: list[Exchange], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = f"benchmarks.teams.{name}"
    assert exchanges(module, teams_template, tmp_path, monkeypatch, team_requests()) == teams_reference


@pytest.mark.parametrize("backend", ["sqlite_sync", "pg_sync"], indirect=True)
def test_the_bulk_benchmark_creates_alike_three_ways(backend: Any) -> None:
    from benchmarks import bulk

    app = bulk.app_for(backend.engine)
    heroes = [{"name": f"h{i}", "secret_name": "s", "age": i} for i in range(5)]
    with TestClient(app) as client:
        one_by_one = [client.post("/heroes/", json=hero).json() for hero in heroes]
        at_once = client.post("/heroes/", json=heroes).json()
        handwritten = client.post("/handwritten/heroes/", json=heroes).json()
    assert [row["id"] for row in one_by_one + at_once + handwritten] == list(range(1, 16))
    for rows in (at_once, handwritten):
        assert [{**row, "id": 0} for row in rows] == [{**row, "id": 0} for row in one_by_one]
