"""The heroes that the list pages' tests add, and how those tests read a list back."""

from collections.abc import Callable
from types import ModuleType
from typing import Any

from fastapi.testclient import TestClient

# The ``with_heroes`` fixture: serve a docs module's app with these heroes added.
WithHeroes = Callable[[ModuleType, list[dict[str, Any]]], TestClient]

# The first heroes of FastAPI's "SQL Databases" tutorial; ids 1, 2, 3 once added.
TUTORIAL: list[dict[str, Any]] = [
    {"name": "Deadpond", "secret_name": "Dive Wilson"},
    {"name": "Spider-Boy", "secret_name": "Pedro Parqueador", "age": 16},
    {"name": "Rusty-Man", "secret_name": "Tommy Sharp", "age": 48},
]
# Two more, for sorting and paging: an age between the others and a second null age.
FIVE: list[dict[str, Any]] = [
    *TUTORIAL,
    {"name": "Tarantula", "secret_name": "Natalia Roman-on", "age": 32},
    {"name": "Black Lion", "secret_name": "Trevor Challa"},
]


def ids(client: TestClient, query: str, *, counted: bool = False) -> list[int]:
    """The ids of ``GET /heroes/?query``, which must succeed.

    ``counted``: the answer must also carry ``X-Total-Count``, equal to the number of rows
    (for queries without ``offset`` or ``limit``).
    """
    response = client.get(f"/heroes/?{query}")
    assert response.status_code == 200, response.json()
    found = [hero["id"] for hero in response.json()]
    if counted:
        assert response.headers["x-total-count"] == str(len(found))
    return found
