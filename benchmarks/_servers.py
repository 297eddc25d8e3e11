"""One uvicorn worker per app, pinned to one core, and the checks each passes before timing."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._database import Database

ROOT = Path(__file__).resolve().parent.parent
APPS = ["handwritten_sync", "handwritten_async", "sqlcrud_sync", "sqlcrud_async", "ceiling"]
LABELS = {app: app.replace("_", "-") for app in APPS}
NOT_FOUND = {"detail": "Hero not found"}
DEEP_OFFSET = 900_000


@dataclass
class Server:
    app: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(app: str, database: Database, pin: Callable[[int], list[str]], logdir: Path, workers: int = 1) -> Server:
    """Start ``uvicorn benchmarks.<app>:app`` on 127.0.0.1 and wait (at most 30 s) until it answers.

    On a database of teams, the app is ``benchmarks.teams.<app>``. Several ``workers`` are
    not pinned: they share every core with the database and wrk.
    """
    port = _free_port()
    log = logdir / f"{database.name}-{app}-{workers}.log"
    module = f"benchmarks.teams.{app}" if database.teams else f"benchmarks.{app}"
    command = [
        *(pin(0) if workers == 1 else []),
        sys.executable, "-m", "uvicorn", f"{module}:app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": database.url}
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    server = Server(app, port, process, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{app} exited with {process.returncode}:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{app} did not start listening within 30 s:\n{log.read_text()}")


def header(server: Server, path: str, name: str) -> str:
    """One header of the answer to ``GET path``."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        value = response.getheader(name)
    finally:
        connection.close()
    if value is None:
        raise AssertionError(f"{server.app}: GET {path} has no {name} header")
    return value


def request(server: Server, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """One plain HTTP/1.1 request; the status and the decoded JSON."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        payload = None if body is None else json.dumps(body)
        connection.request(method, path, payload, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def cursor_after(server: Server) -> str:
    """The cursor of the page that an offset of ``DEEP_OFFSET`` gives, from the app's Link header."""
    link = header(server, f"/cursor/heroes/?limit=1&offset={DEEP_OFFSET - 1}", "link")
    return link.split("cursor=", 1)[1].split(">", 1)[0]


def _real_rows(database: Database, page: Any, length: int) -> bool:
    """Whether ``page`` is ``length`` distinct rows of the table, each as stored."""
    if not isinstance(page, list) or len({row.get("id") for row in page}) != length or len(page) != length:
        return False
    stored = {row["id"]: row for row in database.rows_by_id([row["id"] for row in page])}
    return all(stored.get(row["id"]) == row for row in page)


def check(server: Server, database: Database, deep: bool) -> None:
    """Assert that the app answers the benchmark's requests correctly (status and JSON).

    Raises:
        AssertionError: an answer differs from what the database holds.
    """
    public = "SELECT name, age, id FROM hero"
    last = database.rows
    expected: list[tuple[str, str, Any, int, Any]] = [
        ("GET", "/heroes/?limit=100", None, 200, database.rows_json(f"{public} ORDER BY id LIMIT 100")),
        ("GET", "/heroes/1", None, 200, database.rows_json(f"{public} WHERE id = 1")[0]),
        ("GET", f"/heroes/{last}", None, 200, database.rows_json(f"{public} WHERE id = :id", id=last)[0]),
        ("GET", f"/heroes/{last + 1}", None, 404, NOT_FOUND),
    ]
    if deep:
        page = database.rows_json(f"{public} ORDER BY id LIMIT 100 OFFSET {DEEP_OFFSET}")
        expected.append(("GET", f"/heroes/?offset={DEEP_OFFSET}&limit=100", None, 200, page))
        if server.app.startswith("sqlcrud"):  # the cursor page is the same page as the offset's
            path = f"/cursor/heroes/?limit=100&cursor={cursor_after(server)}"
            expected.append(("GET", path, None, 200, page))
    for method, path, body, status, answer in expected:
        got = request(server, method, path, body)
        # The tutorial's list has no ORDER BY: any rows will do, as long as they are real
        # rows and as many. (PostgreSQL's synchronized scans do start mid-table.)
        unordered = server.app.startswith("handwritten") and path.startswith("/heroes/?")
        if unordered and _real_rows(database, got[1], len(answer)):
            got = (got[0], answer)
        assert got == (status, answer), f"{server.app}: {method} {path} gave {got!r:.300}, not {answer!r:.300}"
    created = {"name": "Deadpond", "secret_name": "Dive Wilson", "age": 30}
    status, hero = request(server, "POST", "/heroes/", created)
    assert status == 200, f"{server.app}: POST gave {status} {hero}"
    new = hero["id"]
    assert hero == {"name": "Deadpond", "age": 30, "id": new}, f"{server.app}: POST gave {hero}"
    assert new > last, f"{server.app}: POST gave id {new}"
    for method, path, body, status, answer in [
        ("PATCH", f"/heroes/{new}", {"age": 31}, 200, {"name": "Deadpond", "age": 31, "id": new}),
        ("GET", f"/heroes/{new}", None, 200, {"name": "Deadpond", "age": 31, "id": new}),
        ("DELETE", f"/heroes/{new}", None, 200, {"ok": True}),
        ("DELETE", f"/heroes/{new}", None, 404, NOT_FOUND),
        ("PATCH", f"/heroes/{new}", {"age": 1}, 404, NOT_FOUND),
    ]:
        got = request(server, method, path, body)
        assert got == (status, answer), f"{server.app}: {method} {path} gave {got!r}, not {answer!r}"


def check_teams(server: Server, database: Database) -> None:
    """Assert that the app answers the relationship workloads' requests correctly.

    Raises:
        AssertionError: an answer differs from what the database holds.
    """
    heroes = "SELECT name, secret_name, age, team_id, id FROM hero"
    teams = {team["id"]: team for team in database.rows_json("SELECT name, headquarters, id FROM team")}
    page = database.rows_json(f"{heroes} ORDER BY id LIMIT 100")
    last = database.rows_json(f"{heroes} ORDER BY id LIMIT 100 OFFSET :n", n=database.rows - 10)
    for path, status, answer in [
        ("/heroes/?limit=100", 200, [{**hero, "team": teams[hero["team_id"]]} for hero in page]),
        (f"/heroes/?offset={database.rows - 10}", 200, [{**hero, "team": teams[hero["team_id"]]} for hero in last]),
        ("/teams/1", 200, {**teams[1], "heroes": database.rows_json(f"{heroes} WHERE team_id = 1 ORDER BY id")}),
        (f"/teams/{database.teams + 1}", 404, {"detail": "Team not found"}),
    ]:
        got = request(server, "GET", path)
        assert got == (status, answer), f"{server.app}: GET {path} gave {got!r:.300}, not {answer!r:.300}"
