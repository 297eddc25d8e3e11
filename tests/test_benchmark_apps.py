"""The five benchmark apps answer the same requests alike, so the benchmark compares like with like.

Each app runs on its own copy of one SQLite database through ``TestClient``; nothing is
timed here.
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

APPS = ["handwritten_sync", "handwritten_async", "sqlcrud_sync", "sqlcrud_async", "ceiling"]
ROWS = 30

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


def exchanges(name: str, template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Exchange]:
    """Import app ``name`` afresh on a copy of ``template`` and send it every request."""
    database = tmp_path / f"{name}.db"
    shutil.copy(template, database)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    module_name = f"benchmarks.{name}"
    sys.modules.pop(module_name, None)  # the apps read DATABASE_URL when imported
    module = importlib.import_module(module_name)
    try:
        with TestClient(module.app) as client:
            return [
                (method, url, body, (r := client.request(method, url, json=body)).status_code, r.json())
                for method, url, body in requests()
            ]
    finally:
        sys.modules.pop(module_name, None)


@pytest.fixture(scope="module")
def reference(template: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Exchange]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        return exchanges("handwritten_sync", template, tmp_path_factory.mktemp("reference"), monkeypatch)


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
    assert exchanges(name, template, tmp_path, monkeypatch) == reference
