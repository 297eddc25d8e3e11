"""What the benchmark apps share: the database URL and how a session reaches it.

``DATABASE_URL`` names the database without a driver (``sqlite:///path`` or
``postgresql://user@host:port/db``, ``mysql://user@host:port/db``); each app picks the
driver its session type needs:
the stdlib ``sqlite3`` or psycopg for a sync ``Session``, aiosqlite or asyncpg for an
``AsyncSession``.
"""

import os
from collections.abc import AsyncIterator, Callable, Iterator

from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import Session
from sqlmodel.ext.asyncio.session import AsyncSession

_DRIVERS = {
    ("sqlite", False): "sqlite",
    ("sqlite", True): "sqlite+aiosqlite",
    ("postgresql", False): "postgresql+psycopg",
    ("postgresql", True): "postgresql+asyncpg",
    ("mysql", False): "mysql+pymysql",
    ("mysql", True): "mysql+aiomysql",
}


def database_url(*, asynchronous: bool = False, driver: bool = True) -> str:
    """``DATABASE_URL`` with the driver for this kind of session (or none: ``driver=False``)."""
    url = os.environ.get("DATABASE_URL", "sqlite:///benchmark.db")
    scheme, rest = url.split("://", 1)
    backend = scheme.split("+")[0]
    backend = {"postgres": "postgresql", "mariadb": "mysql"}.get(backend, backend)
    if not driver:
        return f"{backend}://{rest}"
    return f"{_DRIVERS[backend, asynchronous]}://{rest}"


def sync_sessions() -> Callable[[], Iterator[Session]]:
    """The tutorial's ``get_session`` dependency, on an engine for ``DATABASE_URL``."""
    url = database_url()
    connect_args = {"check_same_thread": False} if url.startswith("sqlite") else {}
    engine = create_engine(url, connect_args=connect_args)

    def get_session() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    return get_session


def async_sessions() -> Callable[[], AsyncIterator[AsyncSession]]:
    """``get_session`` for an ``AsyncSession``, on an async engine for ``DATABASE_URL``."""
    engine = create_async_engine(database_url(asynchronous=True))

    async def get_session() -> AsyncIterator[AsyncSession]:
        async with AsyncSession(engine) as session:
            yield session

    return get_session
