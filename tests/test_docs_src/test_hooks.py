"""docs_src/hooks.py: before-hooks change or refuse writes, after-hooks follow commits only."""

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from docs_src import hooks
from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import Hooks, crud_router

SPIDER = {"name": "Spider Boy", "age": None, "id": 1}


@pytest.fixture
def client(serve: Callable[..., TestClient]) -> Iterator[TestClient]:
    hooks.EVENTS.clear()
    yield serve(hooks)
    hooks.EVENTS.clear()


def test_before_hooks_tidy_the_name(client: TestClient) -> None:
    response = client.post("/heroes/", json={"name": "  Spider   Boy ", "secret_name": "Pedro"})
    assert response.json() == SPIDER
    assert client.patch("/heroes/1", json={"name": " Spider\tMan "}).json() == {**SPIDER, "name": "Spider Man"}
    assert client.patch("/heroes/1", json={"age": 16}).json() == {**SPIDER, "name": "Spider Man", "age": 16}


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/heroes/", {"name": "Batman", "secret_name": "Bruce Wayne"}),
        ("POST", "/heroes/", {"name": " SUPERMAN", "secret_name": "Clark Kent"}),
        ("PATCH", "/heroes/1", {"name": "batman"}),
    ],
)
def test_refused_writes_write_nothing(client: TestClient, method: str, url: str, body: Any) -> None:
    client.post("/heroes/", json={"name": "Spider Boy", "secret_name": "Pedro"})
    hooks.EVENTS.clear()
    response = client.request(method, url, json=body)
    assert (response.status_code, response.json()) == (409, {"detail": "That name is taken"})
    assert client.get("/heroes/").json() == [SPIDER]
    assert hooks.EVENTS == []


def test_after_hooks_follow_commits(client: TestClient) -> None:
    client.post("/heroes/", json={"name": "Spider Boy", "secret_name": "Pedro"})
    client.patch("/heroes/1", json={"age": 16})
    client.delete("/heroes/1")
    assert hooks.EVENTS == [("saved", SPIDER), ("saved", {**SPIDER, "age": 16}), ("deleted", 1)]
    assert all(type(row) is dict for kind, row in hooks.EVENTS if kind == "saved")


def test_after_hooks_skip_failed_writes(client: TestClient) -> None:
    assert client.patch("/heroes/9", json={"age": 1}).status_code == 404
    assert client.delete("/heroes/9").status_code == 404
    assert client.post("/heroes/", json={"name": "Batman", "secret_name": "Bruce Wayne"}).status_code == 409
    assert client.post("/heroes/", json={"name": "x" * 3, "secret_name": None}).status_code == 422
    assert hooks.EVENTS == []


def test_sync_hooks_run_in_the_threadpool_and_async_ones_on_the_loop(backend: Any) -> None:
    seen: dict[str, bool] = {}
    loop_thread: list[int] = []

    def before(body: HeroCreate) -> None:
        seen["before on loop"] = threading.get_ident() in loop_thread

    async def after(row: dict[str, Any]) -> None:
        loop_thread.append(threading.get_ident())

    async def note_loop() -> None:
        loop_thread.append(threading.get_ident())

    app = FastAPI()
    app.add_api_route("/loop", note_loop)
    router = crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=backend.session,
                         hooks=Hooks(before_create=before, after_create=after))  # fmt: skip
    app.include_router(router)
    with TestClient(app) as client:
        client.get("/loop")
        assert client.post("/heroes/", json={"name": "a", "secret_name": "s"}).status_code == 200
    assert seen == {"before on loop": False}
    assert loop_thread[0] == loop_thread[-1]  # the async hook ran on the event loop's thread


def test_a_failing_after_hook_is_a_500_after_the_commit(backend: Any) -> None:
    def after(row: dict[str, Any]) -> None:
        raise RuntimeError("queue down")

    router = crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=backend.session,
                         hooks=Hooks(after_create=after))  # fmt: skip
    with TestClient(backend.app(router), raise_server_exceptions=False) as client:
        assert client.post("/heroes/", json={"name": "a", "secret_name": "s"}).status_code == 500
        assert client.get("/heroes/").json() == [{"name": "a", "age": None, "id": 1}]
