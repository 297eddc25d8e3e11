"""PostgreSQL or MariaDB going away mid-run: 503 with Retry-After while it is down, never a
500 or a hang; requests succeed again once it is back, with nothing lost or written twice.

These tests start servers of their own, since they stop them.
"""

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router
from tests.mariadbserver import MariaDBServer
from tests.pgserver import PostgresServer

RECOVERY = 20  # seconds the app may take to answer again once the server is back


Server = PostgresServer | MariaDBServer
DRIVERS = ["psycopg", "asyncpg", "pymysql", "aiomysql"]
ASYNC = {"asyncpg", "aiomysql"}


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, Server]]:
    """A server of each database, durable: an immediate stop must lose no commit."""
    made: dict[str, Server] = {}
    try:
        for name, server in (("postgresql", PostgresServer), ("mariadb", MariaDBServer)):
            made[name] = server(durable=True)
            made[name].start()
        yield made
    finally:
        for server in made.values():
            server.remove()


def server_for(servers: dict[str, Server], driver: str) -> Server:
    return servers["mariadb" if driver in ("pymysql", "aiomysql") else "postgresql"]


def url_for(server: Server, driver: str) -> str:
    """The server's ``heroes`` database through ``driver``."""
    if isinstance(server, MariaDBServer):
        return f"mysql+{driver}://{server.url.split('://', 1)[1]}heroes?charset=utf8mb4"
    return server.url.replace("postgresql://", f"postgresql+{driver}://")


def app_for(server: Server, driver: str) -> FastAPI:
    """The hero router on a pooled engine that pings connections before use."""
    options: dict[str, Any] = {"pool_pre_ping": True, "pool_timeout": 5}
    if driver not in ASYNC:
        engine = sa.create_engine(url_for(server, driver), **options)

        def get_session() -> Iterator[Session]:
            with Session(engine) as session:
                yield session

        dependency: Any = get_session
    else:
        async_engine = create_async_engine(url_for(server, driver), **options)

        async def get_async_session() -> Any:
            async with AsyncSession(async_engine) as session:
                yield session

        dependency = get_async_session
    app = FastAPI()
    app.include_router(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=dependency))
    return app


# The session dependency's own exit (closing its connection) may fail while the server
# shuts down. FastAPI runs it after the answer is sent, so the client has its 200 or 503
# and the error only reaches the server's log: the transports here do not re-raise it.


def admin(server: Server) -> sa.Engine:
    """A sync engine on the server's database ``heroes``, made if missing."""
    if isinstance(server, PostgresServer):
        return sa.create_engine(url_for(server, "psycopg"))
    engine = sa.create_engine(f"mysql+pymysql://{server.url.split('://', 1)[1]}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE DATABASE IF NOT EXISTS heroes")
    engine.dispose()
    return sa.create_engine(url_for(server, "pymysql"))


def fresh_table(server: Server) -> None:
    engine = admin(server)
    Hero.__table__.drop(engine, checkfirst=True)  # type: ignore[attr-defined]
    Hero.__table__.create(engine)  # type: ignore[attr-defined]
    engine.dispose()


async def create(http: httpx.AsyncClient, acknowledged: list[int]) -> int:
    response = await http.post("/heroes/", json={"name": "h", "secret_name": "s"})
    if response.status_code == 200:
        acknowledged.append(response.json()["id"])
    return response.status_code


async def until_answering(http: httpx.AsyncClient) -> float:
    """Seconds until the list answers 200 again; only 503s are acceptable meanwhile."""
    started = time.monotonic()
    while (response := await http.get("/heroes/")).status_code != 200:
        assert response.status_code == 503, response.text
        assert time.monotonic() - started < RECOVERY, "no recovery"
        await asyncio.sleep(0.1)
    return time.monotonic() - started


@pytest.mark.parametrize("mode", ["fast", "immediate"])
@pytest.mark.parametrize("driver", DRIVERS)
def test_server_restart(servers: dict[str, Server], driver: str, mode: str) -> None:
    server = server_for(servers, driver)
    fresh_table(server)
    app = app_for(server, driver)

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30) as http:
            acknowledged: list[int] = []
            assert [await create(http, acknowledged) for _ in range(3)] == [200] * 3
            seen: list[int] = []
            running = True

            async def traffic() -> None:  # requests in flight while the server goes down
                while running:
                    seen.append(await create(http, acknowledged))
                    seen.append((await http.get("/heroes/1")).status_code)

            background = asyncio.create_task(traffic())
            await asyncio.sleep(0.2)
            await asyncio.to_thread(server.stop, mode)
            await asyncio.sleep(0.2)
            running = False
            await background
            assert set(seen) <= {200, 503}, seen
            assert 503 in seen
            try:
                for request in (
                    http.get("/heroes/"),
                    http.get("/heroes/1"),
                    http.post("/heroes/", json={"name": "h", "secret_name": "s"}),
                    http.patch("/heroes/1", json={"age": 1}),
                    http.delete("/heroes/2"),
                ):
                    response = await request
                    assert response.status_code == 503, response.text
                    assert response.json() == {"detail": "Database unavailable, try again later"}
                    assert response.headers["retry-after"] == "1"
            finally:
                server.start()
            print(f"{driver}, stop -m {mode}: answering again {await until_answering(http):.2f} s after the restart")
            assert [await create(http, acknowledged) for _ in range(3)] == [200] * 3
            listed = [hero["id"] for hero in (await http.get("/heroes/")).json()]
            # Nothing acknowledged is lost. A create cut off after its commit may be there
            # although its client got a 503; there can be no more such rows than 503s.
            assert set(acknowledged) <= set(listed)
            assert len(listed) - len(acknowledged) <= seen.count(503)
            assert (await http.get("/heroes/1")).json()["age"] is None  # the refused PATCH wrote nothing

    asyncio.run(scenario())


def terminate_others(server: Server) -> None:
    """Every other connection to the server, ended from the server's side."""
    engine = admin(server)
    with engine.connect() as connection:
        if isinstance(server, PostgresServer):
            connection.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()")
            )
        else:
            others = connection.execute(
                sa.text(
                    "SELECT id FROM information_schema.PROCESSLIST"
                    " WHERE id <> CONNECTION_ID() AND command <> 'Daemon' AND user <> 'system user'"
                )
            ).scalars()
            for other in list(others):
                connection.exec_driver_sql(f"KILL {int(other)}")
    engine.dispose()


@pytest.mark.parametrize("driver", DRIVERS)
def test_backends_terminated_mid_run(servers: dict[str, Server], driver: str) -> None:
    server = server_for(servers, driver)
    fresh_table(server)
    app = app_for(server, driver)

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30) as http:
            acknowledged: list[int] = []
            statuses = [await create(http, acknowledged) for _ in range(3)]
            terminate_others(server)
            # The pool's connections are dead; pre-ping finds out and connects anew.
            statuses += [await create(http, acknowledged) for _ in range(3)]
            assert statuses == [200] * 6
            assert [hero["id"] for hero in (await http.get("/heroes/")).json()] == acknowledged

    asyncio.run(scenario())
