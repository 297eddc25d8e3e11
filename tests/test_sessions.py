"""How the session dependency is entered: one threadpool hop per request for a sync session.

A sync dependency is entered, used and exited in one worker thread; an async one costs no
hop at all. The probes count every hop (``anyio.to_thread.run_sync``, which Starlette's
``run_in_threadpool`` calls) and note the thread that enters the dependency, sends each
statement and exits it. Overrides, sub-dependencies, a session shared with another
dependency and errors delivered at the ``yield`` behave as FastAPI makes them behave.
"""

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated, Any

import anyio.to_thread
import pytest
import sqlalchemy as sa
from fastapi import Depends, FastAPI, HTTPException
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session
from sqlmodel.ext.asyncio.session import AsyncSession

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import Hooks, crud_router
from tests.conftest import Backend
from tests.models import Country, CountryCreate, CountryPublic, CountryUpdate

Seen = list[tuple[str, Any]]


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The threadpool hops of the requests sent since the list was last cleared."""
    counted: list[int] = []
    real = anyio.to_thread.run_sync

    async def run_sync(*args: Any, **kwargs: Any) -> Any:
        counted.append(1)
        return await real(*args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", run_sync)
    return counted


@pytest.fixture
def seen() -> Seen:
    return []


@pytest.fixture
def engine(backend: Backend, seen: Seen) -> Iterator[sa.Engine]:
    """A sync engine of its own on the backend's database, noting the thread of each statement."""
    url = backend.engine.url
    connect_args = {"check_same_thread": False} if url.get_backend_name() == "sqlite" else {}
    engine = sa.create_engine(url, connect_args=connect_args)

    @sa.event.listens_for(engine, "before_cursor_execute")
    def statement(*_: Any) -> None:
        seen.append(("sql", threading.get_ident()))

    yield engine
    engine.dispose()


@pytest.fixture
def async_engine(backend: Backend) -> Iterator[Any]:
    engine = create_async_engine(backend.async_url(), poolclass=NullPool)
    yield engine
    engine.sync_engine.dispose()


def probe(engine: sa.Engine, seen: Seen) -> Callable[[], Iterator[Session]]:
    """The tutorial's ``get_session``, noting where it is entered and exited, and what reaches its ``yield``."""

    def get_session() -> Iterator[Session]:
        seen.append(("enter", threading.get_ident()))
        with Session(engine) as session:
            try:
                yield session
            except Exception as error:
                seen.append(("error", getattr(error, "status_code", type(error).__name__)))
                raise
        seen.append(("exit", threading.get_ident()))

    return get_session


def app_of(*routers: Any) -> FastAPI:
    app = FastAPI()
    for router in routers:
        app.include_router(router)
    return app


def heroes(session: Callable[..., Any], **options: Any) -> Any:
    return crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=session, **options)


def five_requests(client: TestClient) -> Iterator[tuple[str, str]]:
    """Each route once; yields after each request, for the caller to check and clear its probes."""
    for method, path, body in [
        ("POST", "/heroes/", {"name": "Deadpond", "secret_name": "Dive Wilson"}),
        ("GET", "/heroes/", None),
        ("GET", "/heroes/1", None),
        ("PATCH", "/heroes/1", {"age": 30}),
        ("DELETE", "/heroes/1", None),
    ]:
        answer = client.request(method, path, json=body)
        assert answer.status_code == 200, answer.text
        yield method, path


def test_a_sync_session_costs_one_hop_in_one_thread(
    backend: Backend, engine: sa.Engine, seen: Seen, hops: list[int]
) -> None:
    with TestClient(app_of(heroes(probe(engine, seen)))) as client:
        for route in five_requests(client):
            assert len(hops) == 1, route
            assert (seen[0][0], seen[-1][0]) == ("enter", "exit"), (route, seen)
            assert len({thread for _, thread in seen}) == 1, (route, seen)
            assert "sql" in [kind for kind, _ in seen], route
            seen.clear(), hops.clear()


def test_an_async_session_costs_no_hop(backend: Backend, async_engine: Any, hops: list[int]) -> None:
    async def get_session() -> AsyncIterator[AsyncSession]:
        async with AsyncSession(async_engine) as session:
            yield session

    with TestClient(app_of(heroes(get_session))) as client:
        for route in five_requests(client):
            assert not hops, route


def test_a_function_returning_a_session(backend: Backend, engine: sa.Engine, seen: Seen, hops: list[int]) -> None:
    def get_session() -> Session:
        seen.append(("enter", threading.get_ident()))
        return Session(engine)

    with TestClient(app_of(heroes(get_session))) as client:
        for route in five_requests(client):
            assert (len(hops), len({thread for _, thread in seen})) == (1, 1), (route, seen)
            seen.clear(), hops.clear()


def test_a_sync_function_returning_an_async_session(backend: Backend, async_engine: Any, hops: list[int]) -> None:
    def get_session() -> AsyncSession:
        return AsyncSession(async_engine)

    with TestClient(app_of(heroes(get_session))) as client:
        for route in five_requests(client):
            assert len(hops) == 1, route  # entered in the thread; the operation's greenlet runs on the loop
            hops.clear()


def test_sub_dependencies_and_their_overrides(backend: Backend, engine: sa.Engine, hops: list[int]) -> None:
    settings: list[str] = []

    async def get_settings() -> str:
        settings.append("app")
        return "app"

    def get_session(name: Annotated[str, Depends(get_settings)]) -> Iterator[Session]:
        assert name in ("app", "test")
        with Session(engine) as session:
            yield session

    app = app_of(heroes(get_session))
    with TestClient(app) as client:
        assert client.get("/heroes/").status_code == 200
        assert (settings, len(hops)) == (["app"], 1)

        async def test_settings() -> str:
            settings.append("test")
            return "test"

        app.dependency_overrides[get_settings] = test_settings
        settings.clear(), hops.clear()
        assert client.get("/heroes/").status_code == 200
        assert (settings, len(hops)) == (["test"], 1)


def test_an_override_of_the_session_dependency(
    backend: Backend, engine: sa.Engine, seen: Seen, hops: list[int]
) -> None:
    def get_session() -> Iterator[Session]:
        raise AssertionError("overridden")
        yield  # pragma: no cover

    app = app_of(heroes(get_session))
    app.dependency_overrides[get_session] = probe(engine, seen)
    with TestClient(app) as client:
        for route in five_requests(client):
            # FastAPI enters an override itself: the path from before, in three hops.
            assert [kind for kind, _ in seen if kind != "sql"] == ["enter", "exit"], route
            assert len(hops) == 3, route
            seen.clear(), hops.clear()


def test_a_session_shared_with_another_dependency(
    backend: Backend, engine: sa.Engine, seen: Seen, hops: list[int]
) -> None:
    get_session = probe(engine, seen)
    sessions: list[Session] = []

    def current_user(session: Annotated[Session, Depends(get_session)]) -> str:
        sessions.append(session)
        session.connection().execute(sa.text("SELECT 1"))
        return "rick"

    router = heroes(get_session, dependencies=[Depends(current_user)])
    with TestClient(app_of(router)) as client:
        for route in five_requests(client):
            # One session per request, entered once, as FastAPI's cache makes it.
            assert [kind for kind, _ in seen if kind != "sql"] == ["enter", "exit"], route
            assert len(sessions) == 1, route
            seen.clear(), sessions.clear(), hops.clear()


def test_the_dependency_sees_the_errors_of_the_route(backend: Backend, engine: sa.Engine, seen: Seen) -> None:
    def countries_only(**options: Any) -> Any:
        return crud_router(
            Country, CountryCreate, CountryPublic, CountryUpdate, session=probe(engine, seen), etag=True, **options
        )

    with TestClient(app_of(countries_only())) as client:
        for method, path, body, headers, status in [
            ("POST", "/countries/", {"code": "FR", "name": "France"}, {}, 200),
            ("GET", "/countries/XX", None, {}, 404),
            ("POST", "/countries/", {"code": "BE", "name": "France"}, {}, 409),
            ("PATCH", "/countries/FR", {"population": 1}, {"If-Match": '"stale"'}, 412),
            ("DELETE", "/countries/XX", None, {}, 404),
        ]:
            seen.clear()
            answer = client.request(method, path, json=body, headers=headers)
            assert answer.status_code == status, answer.text
            errors = [value for kind, value in seen if kind == "error"]
            assert errors == ([] if status == 200 else [status]), (method, path, seen)
        seen.clear()
        assert client.post("/countries/", json={"code": "toolong"}).status_code == 422
        assert not seen  # refused before the dependency is needed: never entered

    def refuse(row: dict[str, Any]) -> None:
        raise HTTPException(403, "no")

    with TestClient(app_of(countries_only(hooks=Hooks(after_create=refuse)))) as client:
        seen.clear()
        assert client.post("/countries/", json={"code": "DE", "name": "Germany"}).status_code == 403
        # An after-hook runs after the operation: FastAPI enters the dependency, and the hook's error reaches it.
        assert ("error", 403) in seen
