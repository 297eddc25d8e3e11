"""docs_src/filters.py: each operator as the how-to describes it, on every backend."""

from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from docs_src import filters

from ._heroes import TUTORIAL, WithHeroes, ids

HEROES = [
    *TUTORIAL,
    {"name": "100%_real\\man", "secret_name": "x", "age": 30},
    {"name": "Élan", "secret_name": "y", "age": 30},
    {"name": "antman", "secret_name": "z"},
]


@pytest.fixture
def client(with_heroes: WithHeroes) -> TestClient:
    return with_heroes(filters, HEROES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("age=30", [4, 5]),
        ("age__ne=16", [1, 3, 4, 5, 6]),  # nulls included
        ("age__lt=18", [2]),  # nulls never match a comparison
        ("age__gt=16&age__lte=30", [4, 5]),
        ("age__in=16&age__in=48", [2, 3]),
        ("age__isnull=true", [1, 6]),
        ("age__isnull=false", [2, 3, 4, 5]),
        ("name__contains=Man", [3]),
        ("name__contains=man", [4, 6]),  # case-sensitive
        ("name__startswith=Spider", [2]),
        ("name__startswith=spider", []),
        ("name__icontains=MAN", [3, 4, 6]),
        ("name__contains=%25", [4]),  # % matches itself
        ("name__contains=_", [4]),  # so does _
        ("name__contains=%5C", [4]),  # and \
        ("name__contains=1_0", []),
        ("name__icontains=%C3%89LAN", [5]),  # A-Z fold: ÉLAN -> Élan
        ("name__icontains=%C3%A9lan", []),  # but É is not é
    ],
)
def test_operators(client: TestClient, query: str, expected: list[int]) -> None:
    assert ids(client, query) == expected


def test_string_comparisons_by_code_point_or_postgresql_collation(client: TestClient, backend: Any) -> None:
    expected = [1, 2, 3, 4]  # by code point, upper case before lower case (MariaDB's collation aside)
    if backend.is_postgres:  # by the database's collation
        with backend.engine.connect() as connection:
            expected = connection.execute(sa.text("SELECT id FROM hero WHERE name < 'a' ORDER BY id")).scalars().all()
    assert ids(client, "name__lt=a") == expected


@pytest.mark.parametrize(
    ("query", "param", "type_"),
    [
        ("agee=18", "agee", "extra_forbidden"),
        ("secret_name=x", "secret_name", "extra_forbidden"),  # not a public field
        ("id=1", "id", "extra_forbidden"),  # not in filters
        ("age__like=3", "age__like", "extra_forbidden"),
        ("age__gt=old", "age__gt", "int_parsing"),
        ("age=2147483648", "age", "less_than_equal"),
    ],
)
def test_refusals(client: TestClient, query: str, param: str, type_: str) -> None:
    response = client.get(f"/heroes/?{query}")
    assert response.status_code == 422
    errors = [(error["loc"], error["type"]) for error in response.json()["detail"]]
    assert errors == [(["query", param], type_)]
