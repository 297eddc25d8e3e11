"""Backends: every test that takes ``backend`` runs on SQLite and PostgreSQL, sync and async.

The suite starts its own PostgreSQL server (see ``pgserver.py``). Tables are created once
per database; each test starts from empty tables. The team/hero example has tables of its
own named like the hero example's (``hero``), so it gets a database of its own:
``backend.teams``.
"""

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

import examples.heroes.models
import examples.teams.models
import tests.models  # noqa: F401  (registers the test tables)
from sqlcrud import crud_router
from tests.pgserver import postgres_server

BACKENDS = ["sqlite_sync", "sqlite_async", "pg_sync", "pg_async"]


@dataclass
class Backend:
    """A database and a FastAPI ``session`` dependency that reaches it."""

    name: str
    engine: sa.Engine  # a sync engine on the database, for set-up and checks
    session: Callable[..., Any]
    app_engine: sa.Engine  # the engine behind ``session`` (its sync core, for an async one)
    open_teams: Callable[[], "Backend"] | None = field(repr=False, default=None)

    @cached_property
    def teams(self) -> "Backend":
        """The same kind of backend on the team/hero example's database, emptied."""
        assert self.open_teams is not None
        return self.open_teams()

    @property
    def is_async(self) -> bool:
        return self.name.endswith("async")

    @property
    def is_postgres(self) -> bool:
        return self.name.startswith("pg")

    def app(self, *routers: Any) -> FastAPI:
        app = FastAPI()
        for router in routers:
            app.include_router(router)
        return app

    def client(self, *routers: Any) -> TestClient:
        """A client of an app with these routers (default: the hero router)."""
        if not routers:
            routers = (hero_router(self),)
        return TestClient(self.app(*routers))


def hero_router(backend: Backend, **options: Any) -> Any:
    m = examples.heroes.models
    return crud_router(m.Hero, m.HeroCreate, m.HeroPublic, m.HeroUpdate, session=backend.session, **options)


def _sqlite_foreign_keys(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def on_connect(connection: Any, _: Any) -> None:
        connection.execute("PRAGMA foreign_keys=ON")


def sync_dependency(engine: sa.Engine) -> Callable[[], Iterator[Session]]:
    def get_session() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    return get_session


def async_dependency(url: str, **engine_options: Any) -> tuple[Callable[[], AsyncIterator[AsyncSession]], sa.Engine]:
    # NullPool: a TestClient (and schemathesis) may drive the app from several event
    # loops, and asyncpg connections belong to the loop that opened them.
    engine = create_async_engine(url, poolclass=NullPool, **engine_options)
    if url.startswith("sqlite"):
        _sqlite_foreign_keys(engine.sync_engine)

    async def get_session() -> AsyncIterator[AsyncSession]:
        async with AsyncSession(engine) as session:
            yield session

    return get_session, engine.sync_engine


TEAMS = examples.teams.models.Base.metadata


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        SQLModel.metadata.create_all(engine)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if not connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = 'sqlcrud_teams'")):
                connection.execute(sa.text("CREATE DATABASE sqlcrud_teams"))
        engine.dispose()
        engine = sa.create_engine(_teams_url(url).replace("postgresql://", "postgresql+psycopg://"))
        TEAMS.create_all(engine)
        engine.dispose()
        yield url


def _teams_url(url: str) -> str:
    return sa.make_url(url).set(database="sqlcrud_teams").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_engine(postgres_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_teams_engine(postgres_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(_teams_url(postgres_url).replace("postgresql://", "postgresql+psycopg://"))
    yield engine
    engine.dispose()


def _empty_tables(engine: sa.Engine, metadata: sa.MetaData = SQLModel.metadata) -> None:
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    name: str = request.param
    if name.startswith("sqlite"):
        opened = _sqlite_backend(name, tmp_path / "test.db", SQLModel.metadata)
        opened.open_teams = lambda: _sqlite_backend(name, tmp_path / "teams.db", TEAMS)
        return opened
    pg_engine: sa.Engine = request.getfixturevalue("pg_engine")
    _empty_tables(pg_engine)
    url = request.getfixturevalue("postgres_url")
    opened = _pg_backend(name, pg_engine, url)

    def open_teams() -> Backend:
        teams_engine: sa.Engine = request.getfixturevalue("pg_teams_engine")
        _empty_tables(teams_engine, TEAMS)
        return _pg_backend(name, teams_engine, _teams_url(url))

    opened.open_teams = open_teams
    return opened


def _sqlite_backend(name: str, path: Path, metadata: sa.MetaData) -> Backend:
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    _sqlite_foreign_keys(engine)
    metadata.create_all(engine)
    if name == "sqlite_sync":
        return Backend(name, engine, sync_dependency(engine), engine)
    return Backend(name, engine, *async_dependency(f"sqlite+aiosqlite:///{path}"))


def _pg_backend(name: str, engine: sa.Engine, url: str) -> Backend:
    if name == "pg_sync":
        return Backend(name, engine, sync_dependency(engine), engine)
    return Backend(name, engine, *async_dependency(url.replace("postgresql://", "postgresql+asyncpg://")))


@pytest.fixture
def client(backend: Backend) -> Iterator[TestClient]:
    """A client of the hero router on ``backend``."""
    with backend.client() as client:
        yield client
