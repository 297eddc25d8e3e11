"""A database that cannot answer is a 503 with Retry-After, never a 500 or a hang."""

import logging
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router
from tests.conftest import Backend, async_dependency, sync_dependency
from tests.pgserver import free_port

UNAVAILABLE = {"detail": "Database unavailable, try again later"}


def client_for(session: Any) -> TestClient:
    backend = Backend("unreachable", sa.create_engine("sqlite://"), session, sa.create_engine("sqlite://"))
    return backend.client(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=session))


def assert_every_route_unavailable(client: TestClient) -> None:
    for method, url, body in [
        ("GET", "/heroes/", None),
        ("GET", "/heroes/1", None),
        ("POST", "/heroes/", {"name": "a", "secret_name": "b"}),
        ("PATCH", "/heroes/1", {"age": 1}),
        ("DELETE", "/heroes/1", None),
    ]:
        response = client.request(method, url, json=body)
        assert (response.status_code, response.json()) == (503, UNAVAILABLE), (method, url)
        assert response.headers["retry-after"] == "1"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:{port}/db",
        "postgresql+asyncpg://postgres@127.0.0.1:{port}/db",
        "sqlite:////nonexistent/directory/db.sqlite",
        "sqlite+aiosqlite:////nonexistent/directory/db.sqlite",
        "mariadb+pymysql://root@127.0.0.1:{port}/db",
        "mysql+aiomysql://root@127.0.0.1:{port}/db",
    ],
)
def test_unreachable_database_is_503(url: str) -> None:
    url = url.format(port=free_port())  # nothing listens there
    if "+psycopg" in url or "+pymysql" in url or url.startswith("sqlite:"):
        session = sync_dependency(sa.create_engine(url))
    else:
        session, _ = async_dependency(url)
    with client_for(session) as client:
        assert_every_route_unavailable(client)


# Sync engines only: an async pool's connection can only be held from its event loop.
@pytest.mark.parametrize("backend", ["sqlite_sync", "pg_sync"], indirect=True)
def test_pool_exhausted_past_its_timeout_is_503(backend: Backend) -> None:
    engine = sa.create_engine(backend.engine.url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    held = engine.pool.connect()
    try:
        with client_for(sync_dependency(engine)) as client:
            assert_every_route_unavailable(client)
    finally:
        held.close()
        engine.dispose()


def test_server_side_bugs_are_not_disguised(backend: Backend) -> None:
    """A missing table is the server's fault: a 500, not a 4xx or 503 blaming the client."""
    with backend.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE hero"))
    try:
        with backend.client() as client:
            if not backend.name.startswith("sqlite"):
                with pytest.raises(sa.exc.ProgrammingError):
                    client.get("/heroes/")
            else:  # SQLite reports a missing table as an OperationalError
                assert client.get("/heroes/").status_code == 503
    finally:
        Hero.__table__.create(backend.engine)  # type: ignore[attr-defined]


def test_unavailable_is_logged_as_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    session = sync_dependency(sa.create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/db"))
    with client_for(session) as client, caplog.at_level(logging.INFO, logger="sqlcrud"):
        assert client.get("/heroes/").status_code == 503
    [record] = [r for r in caplog.records if r.name == "sqlcrud"]
    assert (record.levelno, record.getMessage().split(":")[0]) == (logging.WARNING, "list Hero")


def backend_pid(connection: sa.Connection) -> int:
    """The server process behind a connection, psycopg's or asyncpg's."""
    driver = connection.connection.driver_connection
    return int(driver.info.backend_pid if hasattr(driver, "info") else driver.get_server_pid())  # type: ignore[union-attr]


@pytest.mark.parametrize("driver", ["psycopg", "asyncpg"])
def test_a_connection_dying_after_a_read(driver: str, postgres_url: str, pg_engine: sa.Engine) -> None:
    """FastAPI closes the session before it sends a 404 or a 412: a dead connection must not make it a 500."""
    url = postgres_url.replace("postgresql://", f"postgresql+{driver}://")
    if driver == "psycopg":
        engine = sa.create_engine(url)
        session: Any = sync_dependency(engine)
    else:
        session, engine = async_dependency(url)
    doomed: list[bool] = []

    @sa.event.listens_for(engine, "after_cursor_execute")
    def kill(connection: sa.Connection, *_: Any) -> None:
        if doomed:  # the server ends this connection once the statement has answered
            with pg_engine.connect() as killer:
                killer.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend_pid(connection)})

    router = crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=session, etag=True)
    with Backend(driver, pg_engine, session, engine).client(router) as client:
        created = client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
        hero, tag = f"/heroes/{created.json()['id']}", created.headers["etag"]
        doomed.append(True)
        for _ in range(3):
            assert client.get("/heroes/0").status_code == 404
            assert client.delete(hero, headers={"If-Match": '"other"'}).status_code == 412
        doomed.clear()
        assert client.get(hero, headers={"If-None-Match": tag}).status_code == 304
