"""Backends: every test that takes ``backend`` runs on SQLite, PostgreSQL and MariaDB, sync and async.

The suite starts its own PostgreSQL and MariaDB servers (see ``pgserver.py`` and
``mariadbserver.py``). Tables are created once
per database; each test starts from empty tables. The team/hero example has tables of its
own named like the hero example's (``hero``), so it gets a database of its own:
``backend.teams``.
"""

import os
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

import examples.admin.models
import examples.heroes.models
import examples.links.models
import examples.teams.models
import tests.models  # noqa: F401  (registers the test tables)
from sqlcrud import crud_router
from tests.mariadbserver import mariadb_server
from tests.pgserver import postgres_server

ALL_BACKENDS = "sqlite_sync,sqlite_async,pg_sync,pg_async,mariadb_sync,mariadb_async"
# SQLCRUD_BACKENDS narrows the matrix (make test-lowest: the version check, without MariaDB).
BACKENDS = os.environ.get("SQLCRUD_BACKENDS", ALL_BACKENDS).split(",")
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "mysql": "mysql+aiomysql"}


@dataclass
class Backend:
    """A database and a FastAPI ``session`` dependency that reaches it."""

    name: str
    engine: sa.Engine  # a sync engine on the database, for set-up and checks
    session: Callable[..., Any]
    app_engine: sa.Engine  # the engine behind ``session`` (its sync core, for an async one)
    open_example: Callable[[str], "Backend"] | None = field(repr=False, default=None)

    @cached_property
    def teams(self) -> "Backend":
        """The same kind of backend on the team/hero example's database, emptied."""
        assert self.open_example is not None
        return self.open_example("teams")

    @cached_property
    def admin(self) -> "Backend":
        """The same kind of backend on the admin example's database, emptied."""
        assert self.open_example is not None
        return self.open_example("admin")

    @cached_property
    def links(self) -> "Backend":
        """The same kind of backend on the many-to-many example's database, emptied."""
        assert self.open_example is not None
        return self.open_example("links")

    @property
    def is_async(self) -> bool:
        return self.name.endswith("async")

    @property
    def is_postgres(self) -> bool:
        return self.name.startswith("pg")

    @property
    def is_mariadb(self) -> bool:
        return self.name.startswith("mariadb")

    @property
    def updated(self) -> list[str]:
        """The statements of an UPDATE that finds its row: MariaDB has no UPDATE … RETURNING,
        so there the row is read back in the same transaction."""
        return ["UPDATE", "SELECT"] if self.is_mariadb else ["UPDATE"]

    def async_url(self) -> str:
        """The backend's database as an async driver reaches it."""
        url = self.engine.url
        return url.set(drivername=ASYNC_DRIVERS[url.get_backend_name()]).render_as_string(hide_password=False)

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
# The examples whose tables are named like others' (hero, team): a database each, sqlcrud_<name>.
EXAMPLES = {
    "teams": TEAMS,
    "links": examples.links.models.Base.metadata,
    "admin": examples.admin.models.Base.metadata,
}


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        SQLModel.metadata.create_all(engine)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for example in EXAMPLES:
                if not connection.scalar(sa.text(f"SELECT 1 FROM pg_database WHERE datname = 'sqlcrud_{example}'")):
                    connection.execute(sa.text(f"CREATE DATABASE sqlcrud_{example}"))
        engine.dispose()
        for example, metadata in EXAMPLES.items():
            engine = sa.create_engine(_example_url(url, example).replace("postgresql://", "postgresql+psycopg://"))
            metadata.create_all(engine)
            engine.dispose()
        yield url


def _example_url(url: str, example: str) -> str:
    return sa.make_url(url).set(database=f"sqlcrud_{example}").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_engine(postgres_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_example_engines(postgres_url: str) -> Iterator[dict[str, sa.Engine]]:
    engines = {
        example: sa.create_engine(_example_url(postgres_url, example).replace("postgresql://", "postgresql+psycopg://"))
        for example in EXAMPLES
    }
    yield engines
    for engine in engines.values():
        engine.dispose()


def _empty_tables(engine: sa.Engine, metadata: sa.MetaData = SQLModel.metadata) -> None:
    if engine.dialect.name != "postgresql":
        _empty_mariadb_tables(engine, metadata)
        return
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def _empty_mariadb_tables(engine: sa.Engine, metadata: sa.MetaData) -> None:
    """DELETE every row, and count ids from 1 again where a table has given any out.

    (TRUNCATE would rebuild each table, which takes far longer on InnoDB.)
    """
    with engine.begin() as connection:
        connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")
        for table in metadata.sorted_tables:
            connection.exec_driver_sql(f"DELETE FROM `{table.name}`")
        used = connection.execute(
            sa.text(
                "SELECT TABLE_NAME FROM information_schema.TABLES"
                " WHERE TABLE_SCHEMA = DATABASE() AND AUTO_INCREMENT > 1"
            )
        ).scalars()
        for name in list(used):
            connection.exec_driver_sql(f"ALTER TABLE `{name}` AUTO_INCREMENT = 1")
        connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    name: str = request.param
    if name.startswith("sqlite"):
        opened = _sqlite_backend(name, tmp_path / "test.db", SQLModel.metadata)
        opened.open_example = lambda example: _sqlite_backend(name, tmp_path / f"{example}.db", EXAMPLES[example])
        return opened
    if name.startswith("mariadb"):
        return _mariadb_backend(request, name)
    pg_engine: sa.Engine = request.getfixturevalue("pg_engine")
    _empty_tables(pg_engine)
    url = request.getfixturevalue("postgres_url")
    opened = _pg_backend(name, pg_engine, url)

    def open_example(example: str) -> Backend:
        engine: sa.Engine = request.getfixturevalue("pg_example_engines")[example]
        _empty_tables(engine, EXAMPLES[example])
        return _pg_backend(name, engine, _example_url(url, example))

    opened.open_example = open_example
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


MARIADB_DATABASES = {"sqlcrud": SQLModel.metadata, **{f"sqlcrud_{name}": m for name, m in EXAMPLES.items()}}


@pytest.fixture(scope="session")
def mariadb_url() -> Iterator[str]:
    """The server's URL, with the databases ``sqlcrud`` and ``sqlcrud_<example>`` and their tables."""
    with mariadb_server() as url:
        engine = sa.create_engine(f"mysql+pymysql://{url.split('://', 1)[1]}")
        with engine.begin() as connection:
            for database in MARIADB_DATABASES:
                connection.exec_driver_sql(f"CREATE DATABASE IF NOT EXISTS {database}")
        engine.dispose()
        for database, metadata in MARIADB_DATABASES.items():
            engine = sa.create_engine(mariadb_database(url, database))
            metadata.create_all(engine)
            engine.dispose()
        yield url


def mariadb_database(url: str, database: str, driver: str = "pymysql") -> str:
    """A SQLAlchemy URL of ``database`` on the server at ``url``, through ``driver``."""
    return f"mysql+{driver}://{url.split('://', 1)[1].rstrip('/')}/{database}?charset=utf8mb4"


@pytest.fixture(scope="session")
def mariadb_engines(mariadb_url: str) -> Iterator[dict[str, sa.Engine]]:
    engines = {name: sa.create_engine(mariadb_database(mariadb_url, name)) for name in MARIADB_DATABASES}
    yield engines
    for engine in engines.values():
        engine.dispose()


def _mariadb_backend(request: pytest.FixtureRequest, name: str, database: str = "sqlcrud") -> Backend:
    url: str = request.getfixturevalue("mariadb_url")
    engine: sa.Engine = request.getfixturevalue("mariadb_engines")[database]
    _empty_tables(engine, MARIADB_DATABASES[database])
    if name == "mariadb_sync":
        opened = Backend(name, engine, sync_dependency(engine), engine)
    else:
        opened = Backend(name, engine, *async_dependency(mariadb_database(url, database, "aiomysql")))
    opened.open_example = lambda example: _mariadb_backend(request, name, f"sqlcrud_{example}")
    return opened


@pytest.fixture
def client(backend: Backend) -> Iterator[TestClient]:
    """A client of the hero router on ``backend``."""
    with backend.client() as client:
        yield client
