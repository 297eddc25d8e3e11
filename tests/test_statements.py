"""Each route sends one SQL statement (plus transaction control), and a page costs the same
memory however large the table, on every backend."""

import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from examples.heroes.models import Hero
from tests.conftest import Backend, hero_router


@contextmanager
def statements(engine: sa.Engine) -> Iterator[list[str]]:
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("SET STATEMENT"):  # MariaDB's sorted lists: SET STATEMENT ... FOR SELECT ...
            statement = statement.split(" FOR ", 1)[1]
        sent.append(statement.split()[0].upper())

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_one_statement_per_route(backend: Backend, client: TestClient) -> None:
    for i in range(150):
        client.post("/heroes/", json={"name": f"h{i}", "secret_name": "s"})
    requests = [
        ("GET", "/heroes/", None, "SELECT"),
        ("GET", "/heroes/?offset=100&limit=10", None, "SELECT"),
        ("GET", "/heroes/7", None, "SELECT"),
        ("POST", "/heroes/", {"name": "n", "secret_name": "s"}, "INSERT"),
        ("PATCH", "/heroes/7", {"age": 3}, backend.updated),
        ("PATCH", "/heroes/7", {}, "SELECT"),
        ("DELETE", "/heroes/7", None, "DELETE"),
        ("GET", "/heroes/7", None, "SELECT"),
        ("PATCH", "/heroes/7", {"age": 4}, "UPDATE"),  # no row: nothing to read back
        ("DELETE", "/heroes/7", None, "DELETE"),
    ]
    for method, url, body, verbs in requests:
        with statements(backend.app_engine) as sent:
            client.request(method, url, json=body)
        assert sent == ([verbs] if isinstance(verbs, str) else verbs), (method, url)


def test_ids_that_cannot_exist_send_no_statement(backend: Backend, client: TestClient) -> None:
    with statements(backend.app_engine) as sent:
        for method in ("GET", "PATCH", "DELETE"):
            assert client.request(method, f"/heroes/{2**40}", json={}).status_code == 404
        assert client.post("/heroes/", json={"name": "n", "secret_name": "s", "age": 2**40}).status_code == 422
    assert sent == []


def test_a_counted_page_is_two_statements(backend: Backend) -> None:
    router = hero_router(backend, filters=["age"], sort=True, count=True, cursor=True)
    with backend.client(router) as client:
        for i in range(5):
            client.post("/heroes/", json={"name": f"h{i}", "secret_name": "s", "age": i})
        cursor = client.get("/heroes/?limit=2&sort=-age").headers["link"].split("cursor=")[1].split(">")[0]
        with statements(backend.app_engine) as sent:
            response = client.get(f"/heroes/?limit=2&sort=-age&age__gte=1&cursor={cursor}")
        assert [hero["age"] for hero in response.json()] == [2, 1]
        assert sent == ["SELECT", "SELECT"]


def list_peak(client: TestClient, backend: Backend, rows: int) -> int:
    """Peak Python allocation while listing 100 rows of a table of ``rows`` rows."""
    hero = Hero.__table__  # type: ignore[attr-defined]
    with backend.engine.begin() as connection:
        connection.execute(hero.delete())
        connection.execute(hero.insert(), [{"name": f"hero {i}", "secret_name": "s", "age": i} for i in range(rows)])
    client.get("/heroes/?limit=100")  # warm caches
    tracemalloc.start()
    try:
        assert len(client.get("/heroes/?limit=100").json()) == 100
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_list_memory_does_not_grow_with_the_table(backend: Backend, client: TestClient) -> None:
    small, large = list_peak(client, backend, 200), list_peak(client, backend, 20_000)
    print(f"peak {small} B at 200 rows, {large} B at 20,000 rows")
    assert large < small * 1.5 + 64 * 1024, (small, large)


def test_text_equality_is_a_plain_comparison_on_every_dialect() -> None:
    """``name = ?``, which an index answers, and never ``name = ? = 1``: SQLAlchemy adds
    ``= 1`` on databases without a boolean type to any boolean that is not a comparison."""
    from sqlalchemy.dialects import mysql, postgresql, sqlite

    from examples.heroes.models import Hero
    from sqlcrud._dialects import equal

    statement = sa.select(Hero.__table__.c.id).where(equal(Hero.__table__.c.name, "x"))  # type: ignore[attr-defined]
    for dialect in (sqlite.dialect(), postgresql.dialect(), mysql.dialect()):
        where = str(statement.compile(dialect=dialect)).split("WHERE")[1]
        assert "= 1" not in where, (dialect.name, where)
        assert where.strip().startswith("hero.name ="), (dialect.name, where)
