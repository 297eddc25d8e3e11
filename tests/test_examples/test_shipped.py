"""The examples as a user runs them: ``python -m examples.NAME``, a real server, SQLite files."""

from pathlib import Path

import pytest

from tests.test_examples.serve import serving
from tests.test_examples.test_heroes import exercise
from tests.test_examples.test_links import exercise as exercise_links
from tests.test_examples.test_teams import exercise as exercise_teams


@pytest.mark.parametrize("flag", [[], ["--async"]], ids=["sync", "async"])
def test_heroes(flag: list[str], tmp_path: Path) -> None:
    with serving("examples.heroes", *flag, cwd=tmp_path) as client:
        exercise(client)  # type: ignore[arg-type]
    assert (tmp_path / "heroes.db").exists()


def test_notes(tmp_path: Path) -> None:
    ann = ("ann", "ann's password")
    with serving("examples.notes", cwd=tmp_path) as client:
        assert client.post("/users/", json={"username": "ann", "password": ann[1]}).status_code == 200
        note = client.post("/notes/", json={"title": "hello"}, auth=ann)
        assert note.json() == {"id": 1, "owner_id": 1, "title": "hello", "body": ""}
        assert client.get("/notes/").status_code == 401
        security = client.get("/openapi.json").json()["components"]["securitySchemes"]
        assert security == {"HTTPBasic": {"type": "http", "scheme": "basic"}}
    assert (tmp_path / "notes.db").exists()


def test_teams(tmp_path: Path) -> None:
    with serving("examples.teams", cwd=tmp_path) as client:
        exercise_teams(client)  # type: ignore[arg-type]
    assert (tmp_path / "teams.db").exists()


def test_links(tmp_path: Path) -> None:
    with serving("examples.links", cwd=tmp_path) as client:
        exercise_links(client)  # type: ignore[arg-type]
    assert (tmp_path / "links.db").exists()
