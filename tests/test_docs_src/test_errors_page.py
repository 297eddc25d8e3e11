"""What the Errors page says in prose rather than in exchanges: 503, and a value the database refuses."""

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import CheckConstraint, create_engine
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import Field, Session, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

import examples.heroes.app
from sqlcrud import crud_router

UNAVAILABLE = {"detail": "Database unavailable, try again later"}


def unreachable(backend: Any, tmp_path: Path) -> Callable[..., Any]:
    """A session dependency like the backend's, for a database that is not there."""
    if backend.name.startswith("sqlite"):
        url = f"sqlite{'+aiosqlite' if backend.is_async else ''}:///{tmp_path}/no/such/dir/heroes.db"
    else:
        url = f"postgresql+{'asyncpg' if backend.is_async else 'psycopg'}://heroes@127.0.0.1:1/heroes"
    if backend.is_async:
        async_engine = create_async_engine(url)

        async def get_async_session() -> AsyncIterator[AsyncSession]:
            async with AsyncSession(async_engine) as session:
                yield session

        return get_async_session
    engine = create_engine(url)

    def get_session() -> Iterator[Session]:
        with Session(engine) as session:
            yield session

    return get_session


def test_unreachable_database_is_503(backend: Any, tmp_path: Path) -> None:
    app = examples.heroes.app.app
    app.dependency_overrides[examples.heroes.app.get_session] = unreachable(backend, tmp_path)
    try:
        client = TestClient(app)
        for method, url, body in [("GET", "/heroes/", None), ("POST", "/heroes/", {"name": "a", "secret_name": "b"})]:
            response = client.request(method, url, json=body)
            assert (response.status_code, response.json()) == (503, UNAVAILABLE)
            assert response.headers["retry-after"] == "1"
    finally:
        app.dependency_overrides.clear()


class DocsRating(SQLModel, table=True):
    """A CHECK constraint that only the database knows about."""

    __table_args__ = (CheckConstraint("stars <= 5", name="docsrating_stars"),)
    id: int | None = Field(default=None, primary_key=True)
    stars: int


class DocsRatingCreate(SQLModel):
    stars: int


def test_value_the_database_refuses_is_422(backend: Any) -> None:
    router = crud_router(DocsRating, DocsRatingCreate, DocsRating, DocsRatingCreate, session=backend.session)
    app = FastAPI()
    app.include_router(router)
    client = TestClient(app)
    response = client.post("/docs_ratings/", json={"stars": 6})
    assert (response.status_code, response.json()) == (422, {"detail": "Docs rating has a value the database refuses"})
    assert client.get("/docs_ratings/").json() == []  # nothing written (PostgreSQL used up id 1)
    created = client.post("/docs_ratings/", json={"stars": 5}).json()
    assert client.get("/docs_ratings/").json() == [created]
    assert created["stars"] == 5
