"""Every ``docs_src`` module, imported before any test runs, and a client for each on a backend.

Importing the modules up front registers their tables, so that the ``backend`` fixture
creates them on SQLite and PostgreSQL like the test suite's own tables.
"""

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

import docs_src
import examples.admin.app
import examples.links.app
import examples.teams.app

from ._heroes import WithHeroes

DOCS_SRC_MODULES = {
    info.name: importlib.import_module(f"docs_src.{info.name}") for info in pkgutil.iter_modules(docs_src.__path__)
}
BASE_URL = "http://127.0.0.1:8000"  # where the docs say the app serves

Serve = Callable[[ModuleType], TestClient]


@pytest.fixture
def serve(backend: Any) -> Iterator[Serve]:
    """A client of a docs module's ``app``, its ``get_session`` swapped for the backend's.

    The client is not entered, so the app's lifespan (which would create tables in the
    module's own database) does not run.
    """
    served: list[ModuleType] = []

    def serve(module: ModuleType) -> TestClient:
        # The examples' tables (teams, links, admin) live in databases of their own (see tests/conftest.py),
        # for the example and for the docs modules that serve them through its session dependency.
        own = {
            examples.teams.app.get_session: "teams",
            examples.links.app.get_session: "links",
            examples.admin.app.get_session: "admin",
        }
        database = getattr(backend, own[module.get_session]) if module.get_session in own else backend
        module.app.dependency_overrides[module.get_session] = database.session
        served.append(module)
        return TestClient(module.app, base_url=BASE_URL)

    yield serve
    for module in served:
        module.app.dependency_overrides.clear()


@pytest.fixture
def with_heroes(serve: Serve) -> WithHeroes:
    """Serve a docs module's app and add these heroes in order, so their ids are 1, 2, ..."""

    def with_heroes(module: ModuleType, heroes: list[dict[str, Any]]) -> TestClient:
        client = serve(module)
        for hero in heroes:
            assert client.post("/heroes/", json=hero).status_code == 200
        return client

    return with_heroes
