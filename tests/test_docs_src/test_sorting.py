"""docs_src/sorting.py: ``sort``, ``default_sort``, nulls, the key as tiebreak, collation."""

from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from docs_src import sorting
from examples.heroes.app import get_session
from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

from ._heroes import TUTORIAL, WithHeroes, ids

HEROES = [
    *TUTORIAL,
    {"name": "Zorro", "secret_name": "Diego", "age": 16},
    {"name": "antman", "secret_name": "Scott Lang"},
]


@pytest.fixture
def client(with_heroes: WithHeroes) -> TestClient:
    return with_heroes(sorting, HEROES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [1, 5, 3, 2, 4]),  # default_sort="-age": nulls first, then by id
        ("sort=-age", [1, 5, 3, 2, 4]),
        ("sort=age", [2, 4, 3, 1, 5]),  # nulls last, ties by id
        ("sort=age,-id", [4, 2, 3, 5, 1]),
        ("sort=-id", [5, 4, 3, 2, 1]),
        ("sort=age&offset=1&limit=2", [4, 3]),
    ],
)
def test_orders(client: TestClient, query: str, expected: list[int]) -> None:
    assert ids(client, query) == expected


def test_strings_sort_by_code_point_or_postgresql_collation(client: TestClient, backend: Any) -> None:
    expected = [1, 3, 2, 4, 5]  # by code point, "Zorro" before "antman" (MariaDB's collation aside)
    if backend.is_postgres:  # by the database's collation
        with backend.engine.connect() as connection:
            expected = connection.execute(sa.text("SELECT id FROM hero ORDER BY name, id")).scalars().all()
    assert ids(client, "sort=name") == expected


def test_a_field_that_cannot_be_sorted_on(client: TestClient) -> None:
    response = client.get("/heroes/?sort=secret_name")
    assert (response.status_code, response.json()) == (
        422,
        {
            "detail": [
                {
                    "type": "value_error",
                    "loc": ["query", "sort"],
                    "msg": "Cannot sort by 'secret_name'; sortable fields: name, age, id",
                    "input": "secret_name",
                }
            ]
        },
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"sort": ["secret_name"]}, "'secret_name' is not a column field of HeroPublic"),
        ({"sort": ["age"], "default_sort": "-secret_name"}, "default_sort: 'secret_name' is not a column field"),
    ],
)
def test_bad_names_fail_when_built(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session, **options)
