"""docs_src/counts.py: ``X-Total-Count``, its one extra statement, and CORS."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

import examples.heroes.app
from docs_src import counts

from ._heroes import TUTORIAL as HEROES
from ._heroes import WithHeroes


@pytest.fixture
def client(with_heroes: WithHeroes) -> TestClient:
    return with_heroes(counts, HEROES)


@pytest.mark.parametrize(
    ("query", "total", "rows"),
    [
        ("", "3", 3),
        ("limit=1", "3", 1),
        ("age__isnull=false&limit=1", "2", 1),
        ("age__isnull=false&offset=5", "2", 0),
        ("age=99", "0", 0),
    ],
)
def test_total_ignores_offset_and_limit(client: TestClient, query: str, total: str, rows: int) -> None:
    response = client.get(f"/heroes/?{query}")
    assert response.status_code == 200
    assert (response.headers["x-total-count"], len(response.json())) == (total, rows)


@contextmanager
def statements(engine: sa.Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def test_one_more_statement_with_the_same_filters(client: TestClient, backend: Any) -> None:
    with statements(backend.app_engine) as seen:
        client.get("/heroes/?age__isnull=false&limit=1")
    [page, count] = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert "count(*)" in count
    assert "age IS NOT NULL" in count
    assert "count(*)" not in page


def test_no_count_statement_without_the_option(serve: Callable[..., TestClient], backend: Any) -> None:
    client = serve(examples.heroes.app)
    with statements(backend.app_engine) as seen:
        response = client.get("/heroes/")
    assert "x-total-count" not in response.headers
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1


def test_browser_apps_can_read_the_count(client: TestClient) -> None:
    response = client.get("/heroes/", headers={"Origin": "https://heroes.example.com"})
    assert response.headers["access-control-allow-origin"] == "https://heroes.example.com"
    assert response.headers["access-control-expose-headers"] == "X-Total-Count"
    assert response.headers["x-total-count"] == "3"


def test_openapi_declares_the_header() -> None:
    responses = counts.app.openapi()["paths"]["/heroes/"]["get"]["responses"]
    assert responses["200"]["headers"]["X-Total-Count"]["schema"] == {"type": "integer"}
