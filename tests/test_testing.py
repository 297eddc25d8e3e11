"""``sqlcrud.testing.check``: no failures on the shipped examples, and every planted defect
found, on every backend; the command line's exit status follows."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from docs_src.check_api import basic
from examples.heroes import app as heroes
from examples.notes import app as notes
from examples.teams import app as teams
from sqlcrud import crud_router
from sqlcrud.testing import CheckFailed, Report, Request, check
from tests import planted
from tests.conftest import Backend, sync_dependency
from tests.models import (
    Document,
    DocumentCreate,
    DocumentPublic,
    DocumentUpdate,
    Parcel,
    ParcelCreate,
    ParcelPublic,
    ParcelUpdate,
)
from tests.pgserver import free_port

ROOT = Path(__file__).parents[1]


@pytest.fixture
def example(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Run an example's app on ``backend`` (its lifespan creates tables in a file of its own)."""
    monkeypatch.chdir(tmp_path)
    overridden: list[FastAPI] = []

    def on(module: Any, session: Any) -> FastAPI:
        module.app.dependency_overrides[module.get_session] = session
        overridden.append(module.app)
        return module.app  # type: ignore[no-any-return]

    yield on
    for app in overridden:
        app.dependency_overrides.clear()


def found(report: Report) -> set[tuple[str, str, str | None]]:
    return {(failure.check, failure.route, failure.identity) for failure in report.failures}


def test_the_hero_example_keeps_its_contract(backend: Backend, example: Any) -> None:
    report = check(example(heroes, backend.session))
    assert not report.failures, report
    assert report.routes == ["POST /heroes/", "GET /heroes/", "GET /heroes/{hero_id}", "PATCH /heroes/{hero_id}",
                             "DELETE /heroes/{hero_id}"]  # fmt: skip
    assert report.notes == ["isolation: give two identities or more to check it"]


def test_the_team_example_keeps_its_contract(backend: Backend, example: Any) -> None:
    report = check(example(teams, backend.teams.session))
    assert not report.failures, report
    assert len(report.routes) == 10


@pytest.mark.parametrize("backend", ["sqlite_sync", "pg_sync"], indirect=True)  # the example's own code is sync
def test_the_notes_example_keeps_its_contract_for_two_users(backend: Backend, example: Any) -> None:
    """The notes example, as the how-to's test checks it (tests/test_docs_src/test_check_api.py),
    but for what the report says it could not check."""
    app = example(notes, backend.session)
    with TestClient(app) as client:
        for username in ("ann", "bob"):
            client.post("/users/", json={"username": username, "password": f"{username}'s password"})
    identities = {name: basic(name, f"{name}'s password") for name in ("ann", "bob")}
    report = check(app, identities=identities, max_examples=5)
    assert not report.failures, report
    assert report.notes == [
        "POST /users/: a row created as ann is not theirs to read: no round trips",
        "/admin/notes/: no scope, its rows are every identity's: isolation not checked",
    ]


def test_a_hook_that_raises(backend: Backend) -> None:
    report = check(planted.raising_hook(backend.session))
    assert found(report) == {("server error", "POST /heroes/", None)}
    (failure,) = report.failures
    assert failure.reason == "raised ZeroDivisionError"
    assert "planted.py" in (failure.answer.error or "")
    assert (failure.status, failure.body) == (500, "Internal Server Error")
    assert failure.request.body == b'{"name": "", "secret_name": ""}'  # the shortest request that shows it
    assert "[server error] POST /heroes/: raised ZeroDivisionError" in str(report)
    assert failure.curl in str(report)


def test_a_scope_that_shows_one_user_the_rows_of_another(backend: Backend) -> None:
    with backend.engine.begin() as connection:
        for name in ("ann", "bob"):
            connection.execute(planted.User.__table__.insert().values(username=name, hashed_password="x"))  # type: ignore[attr-defined]
    report = check(planted.leaky_scope(backend.session), identities={"ann": planted.ANN, "bob": planted.BOB})
    collection, item = "GET /notes/", "/notes/{note_id}"
    assert found(report) == {
        ("isolation", collection, "ann"),
        ("isolation", f"GET {item}", "ann"),
        ("isolation", f"PATCH {item}", "ann"),
        ("isolation", f"DELETE {item}", "ann"),
    }
    reasons = {failure.reason.split(" (", 1)[0] for failure in report.failures}
    assert reasons == {
        "lists bob's row to ann",
        "counts bob's row for ann",
        "pages to bob's row for ann by cursor",
        "GET of bob's row answers ann otherwise than a missing row",
        "HEAD of bob's row answers ann otherwise than a missing row",
        "PATCH of bob's row answers ann otherwise than a missing row",
        "DELETE of bob's row answers ann otherwise than a missing row",
    }
    assert all("(200 against 404)" in failure.reason for failure in report.failures if "missing" in failure.reason)


def test_a_model_the_database_refuses(backend: Backend) -> None:
    report = check(planted.refused_model(backend.session), max_examples=5)
    assert found(report) == {
        ("server error", "POST /members/", None),
        ("server error", "PATCH /members/{member_id}", None),
    }
    assert {failure.reason for failure in report.failures} == {"raised StatementError"}
    assert all("AttributeError" in (failure.answer.error or "") for failure in report.failures)
    assert {failure.request.body for failure in report.failures} == {b"{}", b'{"email": null}'}


def sqlite_session(path: Path) -> Any:
    """A session dependency on a new SQLite file with every table."""
    engine = planted.create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    planted.SQLModel.metadata.create_all(engine)
    return sync_dependency(engine)


def test_the_same_seed_sends_the_same_requests(tmp_path: Path) -> None:
    def requests(seed: int, name: str) -> list[Any]:
        report = check(planted.raising_hook(sqlite_session(tmp_path / name)), seed=seed, max_examples=10)
        return [report.requests, *(failure.request for failure in report.failures)]

    assert requests(1, "a.db") == requests(1, "b.db")
    assert requests(1, "c.db") != requests(2, "d.db")


def command(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    return subprocess.run(
        [sys.executable, "-m", "sqlcrud.testing", *args], cwd=tmp_path, env=env, capture_output=True, text=True
    )


def test_the_command_line_passes_a_sound_app(tmp_path: Path) -> None:
    done = command("examples.heroes.app:app", "--max-examples", "5", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("sqlcrud check: 0 failures in 5 routes")


def test_the_command_line_fails_a_defective_app(tmp_path: Path) -> None:
    done = command("tests.planted:app", "--identity", "ann:X-User=1", "--seed", "3", tmp_path=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[server error] POST /heroes/ as ann: raised ZeroDivisionError" in done.stdout
    assert "-H 'x-user: 1'" in done.stdout


def test_the_command_line_names_what_it_cannot_use(tmp_path: Path) -> None:
    for args, message in [
        (["nowhere:app"], "cannot import nowhere"),
        (["examples.heroes.app:nothing"], "examples.heroes.app has no attribute 'nothing'"),
        (["examples.heroes.app:app", "--identity", "ann"], "--identity takes NAME:HEADER=VALUE"),
    ]:
        done = command(*args, tmp_path=tmp_path)
        assert done.returncode == 2, (args, done.stdout + done.stderr)
        assert message in done.stderr


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_the_curl_line_reproduces_the_failure(tmp_path: Path) -> None:
    """The report's curl line, sent to the app served by uvicorn, gets the same 500."""
    report = check(planted.raising_hook(sqlite_session(tmp_path / "checked.db")), max_examples=5)
    (failure,) = report.failures
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.planted:app", "--port", str(port)],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not listening(port):
            assert server.poll() is None, "uvicorn stopped"
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.1)
        line = failure.request.curl(f"http://127.0.0.1:{port}")
        sent = subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=30)
        assert sent.stdout.startswith("HTTP/1.1 500"), sent.stdout + sent.stderr
    finally:
        server.terminate()
        server.wait(10)


def test_a_version_column_and_required_if_match(backend: Backend) -> None:
    """The version column changes on every update without being sent (not a stray change),
    and a router that requires If-Match is still checked: its failing hook is found."""
    sound = check(backend.app(crud_router(Document, DocumentCreate, DocumentPublic, DocumentUpdate,
                                          session=backend.session, etag="version")), max_examples=5)  # fmt: skip
    assert not sound.failures, sound
    report = check(planted.failing_update(backend.session), max_examples=5)
    assert found(report) == {("server error", "PATCH /documents/{document_id}", None)}
    assert report.failures[0].reason == "raised IndexError"
    assert ("if-match", "*") in report.failures[0].request.headers


def test_a_field_the_checks_own_values_do_not_fit(backend: Backend) -> None:
    """A pattern the check's text never matches: its values come from schemathesis instead,
    and every check runs on the rows they make."""
    router = crud_router(Parcel, ParcelCreate, ParcelPublic, ParcelUpdate, session=backend.session, sort=True)
    report = check(backend.app(router), max_examples=5)
    assert not report.failures, report
    assert report.notes == ["isolation: give two identities or more to check it"]


def test_an_update_that_changes_a_field_it_was_not_sent(backend: Backend) -> None:
    report = check(planted.corrupting_update(backend.session), max_examples=5)
    assert found(report) == {("round trip", "PATCH /heroes/{hero_id}", None)}
    assert report.failures[0].reason.startswith("changes fields it was not sent: age (")
    with pytest.raises(CheckFailed, match=r"\[round trip\] PATCH /heroes/\{hero_id\}: changes fields"):
        report.raise_for_failures()


def test_an_app_without_crud_routes() -> None:
    with pytest.raises(ValueError, match="the app has no routes built by crud_router"):
        check(FastAPI())


def test_an_error_answer_that_shows_sql(backend: Backend) -> None:
    report = check(planted.leaking_handler(backend.session), max_examples=5)
    assert ("leak", "POST /members/", None) in found(report)
    assert "INSERT INTO" in next(f.body for f in report.failures if f.check == "leak")


def test_an_answer_that_says_json_but_is_not(backend: Backend) -> None:
    report = check(planted.broken_json(backend.session), max_examples=5)
    assert ("not JSON", "GET /heroes/{hero_id}", None) in found(report)


def test_a_status_openapi_does_not_declare(backend: Backend) -> None:
    report = check(planted.undeclared_status(backend.session), identities={"bob": planted.BOB}, max_examples=5)
    assert ("OpenAPI", "GET /heroes/", "bob") in found(report)
    assert any("403" in failure.reason for failure in report.failures if failure.check == "OpenAPI")


def test_a_curl_line_for_bytes_no_terminal_shows() -> None:
    sent = Request("PATCH", "/documents/1", (("if-match", '"\xb2"'),), b"\xff\xfe{")
    assert (
        sent.curl("http://h")
        == "curl -i -X PATCH http://h/documents/1 -H $'if-match: \"\\xb2\"' --data-binary $'\\xff\\xfe{'"
    )


@pytest.mark.parametrize("backend", ["sqlite_sync", "pg_sync"], indirect=True)
def test_a_bulk_create_that_leaves_rows_behind(backend: Backend) -> None:
    report = check(planted.half_written_bulk(backend.session), max_examples=5)
    bulk = [failure for failure in report.failures if failure.check == "bulk"]
    assert {failure.reason for failure in bulk} >= {
        "writes rows although it refuses an array with one item that is no row"
    }, report
