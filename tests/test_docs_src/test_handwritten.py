"""The tutorial's hand-written app, shown on the Home page, gives the answers sqlcrud gives."""

from collections.abc import Iterator
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from docs_src import handwritten

from .test_pages import SECTIONS, replay


def test_routes_page_exchanges_are_the_tutorials(backend: Any) -> None:
    # The hand-written endpoints call Session methods directly: give them a sync Session
    # on the backend's database, whichever kind of session sqlcrud gets there.
    def get_session() -> Iterator[Session]:
        with Session(backend.engine) as session:
            yield session

    # The benchmark's hand-written app is this one, with its own override: restore it after.
    overrides = handwritten.app.dependency_overrides
    saved = dict(overrides)
    overrides[handwritten.get_session] = get_session
    try:
        (routes,) = [s for s in SECTIONS if s.where.startswith("tutorial/routes.md")]
        replay(TestClient(handwritten.app, base_url="http://127.0.0.1:8000"), routes)
    finally:
        overrides.clear()
        overrides.update(saved)


def test_same_paths_and_operations_as_sqlcrud() -> None:
    from examples.heroes.app import app as sqlcrud_app

    def operations(app: Any) -> dict[str, dict[str, tuple[str, str]]]:
        return {
            path: {method: (op["operationId"], op["summary"]) for method, op in item.items()}
            for path, item in app.openapi()["paths"].items()
        }

    assert operations(handwritten.app) == operations(sqlcrud_app)
