"""Options of ``crud_router``: status codes, page size, and refusals when the router is built."""

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession as SAAsyncSession
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import Session as SASession
from sqlalchemy.pool import NullPool

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router
from tests.conftest import Backend, hero_router

DEADPOND = {"name": "Deadpond", "secret_name": "Dive Wilson"}


def test_create_201_with_location(backend: Backend) -> None:
    with backend.client(hero_router(backend, create_status_code=201, prefix="/api/heroes")) as client:
        response = client.post("/api/heroes/?ignored=1", json=DEADPOND)
        assert response.status_code == 201
        assert response.headers["location"] == "http://testserver/api/heroes/1"
        assert client.get(response.headers["location"]).json() == response.json()
        responses = client.get("/openapi.json").json()["paths"]["/api/heroes/"]["post"]["responses"]
        assert "201" in responses
        assert "200" not in responses


def test_delete_204_with_empty_body(backend: Backend) -> None:
    with backend.client(hero_router(backend, delete_status_code=204)) as client:
        client.post("/heroes/", json=DEADPOND)
        response = client.delete("/heroes/1")
        assert (response.status_code, response.content) == (204, b"")
        assert client.delete("/heroes/1").json() == {"detail": "Hero not found"}


def test_max_limit(backend: Backend) -> None:
    with backend.client(hero_router(backend, max_limit=3)) as client:
        for i in range(5):
            client.post("/heroes/", json={**DEADPOND, "name": f"h{i}"})
        assert len(client.get("/heroes/").json()) == 3
        assert client.get("/heroes/?limit=4").status_code == 422
        limit = client.get("/openapi.json").json()["paths"]["/heroes/"]["get"]["parameters"][1]
        assert limit["schema"] == {
            "type": "integer",
            "maximum": 3,
            "minimum": 0,
            "default": 3,
            "title": "Limit",
        }


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_plain_sqlalchemy_sessions(backend: Backend, flavour: str) -> None:
    """sqlcrud needs nothing of SQLModel's sessions: SQLAlchemy's own work the same."""
    if flavour == "sync":

        def get_session() -> Iterator[SASession]:
            with SASession(backend.engine) as session:
                yield session

        dependency = get_session
    else:
        engine = create_async_engine(backend.async_url(), poolclass=NullPool)

        async def get_async_session() -> AsyncIterator[SAAsyncSession]:
            async with SAAsyncSession(engine) as session:
                yield session

        dependency = get_async_session  # type: ignore[assignment]
    router = crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=dependency)
    with backend.client(router) as client:
        assert client.post("/heroes/", json=DEADPOND).json() == {"name": "Deadpond", "age": None, "id": 1}
        assert client.patch("/heroes/1", json={"age": 3}).json()["age"] == 3
        assert client.get("/heroes/").json() == [{"name": "Deadpond", "age": 3, "id": 1}]


def session() -> None:
    """A stand-in dependency: the refusals below happen before any request."""


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"create_status_code": 202}, "create_status_code must be 200 or 201"),
        ({"delete_status_code": 200.5}, "delete_status_code must be 200 or 204"),
        ({"max_limit": 0}, "max_limit must be at least 1"),
    ],
)
def test_bad_options_fail_when_built(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=session, **options)  # type: ignore[arg-type]


def test_not_a_table_model() -> None:
    with pytest.raises(TypeError, match=r"HeroPublic.* is not a SQLModel table model"):
        crud_router(HeroPublic, HeroCreate, HeroPublic, HeroUpdate, session=session)  # type: ignore[arg-type]


class HeroWithPowers(HeroPublic):
    powers: list[str]


def test_public_field_nothing_can_fill_is_refused() -> None:
    with pytest.raises(ValueError, match=r"HeroWithPowers.powers is not a column of Hero and has no default"):
        crud_router(Hero, HeroCreate, HeroWithPowers, HeroUpdate, session=session)


class HeroWithRank(HeroPublic):
    rank: str = "rookie"


def test_public_field_with_a_default_is_filled(backend: Backend) -> None:
    router = crud_router(Hero, HeroCreate, HeroWithRank, HeroUpdate, session=backend.session)
    with backend.client(router) as client:
        assert client.post("/heroes/", json=DEADPOND).json() == {
            "name": "Deadpond",
            "age": None,
            "id": 1,
            "rank": "rookie",
        }
