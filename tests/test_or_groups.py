"""OR groups (``?or=[{"age__lt": 18}, {"age__gt": 40}]``) on every backend: nesting to
the documented depth, ANDed with the other filters and the scope, typed and bounded."""

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from fastapi.testclient import TestClient

from examples.heroes.models import Hero
from sqlcrud._groups import MAX_GROUPS, MAX_TEXT
from tests.conftest import Backend, hero_router
from tests.test_hostile import EVERY_TYPE, reading_router
from tests.test_querying import HEROES
from tests.test_related_filters import adventurers, seed


@pytest.fixture
def client(backend: Backend) -> Iterator[TestClient]:
    router = hero_router(backend, filters=True, or_groups=True, count=True, cursor=True, sort=["age"], bulk=True)
    with backend.client(router) as client:
        for hero in HEROES:  # ids 1-6; ages None, 16, 48, 30, 30, None
            client.post("/heroes/", json=hero)
        yield client


def ids(client: TestClient, groups: Any, query: str = "") -> list[int]:
    response = client.get("/heroes/", params=[*parse_qsl(query), ("or", json.dumps(groups))])
    assert response.status_code == 200, response.json()
    assert response.headers["x-total-count"] == str(len(response.json()))
    return [hero["id"] for hero in response.json()]


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ([{"age__lt": 18}, {"age__gt": 40}], [2, 3]),
        ([{"age": 30}], [4, 5]),
        ([{"age": 30, "name__icontains": "SPIDER"}, {"age__isnull": True}], [1, 5, 6]),  # a group is ANDed
        ([{"name__in": ["Rusty-Man", "Deadpond"]}, {"name__startswith": "Spider"}], [1, 2, 3]),
        ([{"age__lt": 18}, {"or": [{"age": 48}, {"or": [{"name": "Deadpond"}]}]}], [1, 2, 3]),  # three levels
        ([{"age__gt": 40, "or": [{"name": "Rusty-Man"}, {"name": "nobody"}]}], [3]),
        ([{"age__ne": 30}], [1, 2, 3, 6]),
        ([{"name": "nobody"}], []),
    ],
)
def test_rows_matching_any_group(client: TestClient, groups: list[dict[str, Any]], expected: list[int]) -> None:
    assert ids(client, groups) == expected


def test_the_other_filters_are_anded_outside(client: TestClient) -> None:
    assert ids(client, [{"age__lt": 18}, {"age__gt": 40}], "name__icontains=man") == [3]
    assert ids(client, [{"age": 30}, {"age__isnull": True}], "age__isnull=false") == [4, 5]


def test_the_scope_is_anded_outside_every_group(backend: Backend) -> None:
    def adults() -> Any:
        return Hero.age >= 18  # type: ignore[operator]

    router = hero_router(backend, filters=True, or_groups=True, scope=adults, count=True)
    with backend.client(router) as client:
        with backend.client(hero_router(backend)) as writer:
            for hero in HEROES:
                writer.post("/heroes/", json=hero)
        assert ids(client, [{"age__isnull": True}, {"age__lt": 18}, {"id": 3}]) == [3]
        assert ids(client, [{"or": [{"id__in": [1, 2, 4]}]}]) == [4]


def test_a_cursor_pages_through_the_groups_rows(client: TestClient) -> None:
    groups = json.dumps([{"age__gte": 30}, {"age__isnull": True}])
    seen, url = [], f"/heroes/?sort=-age&limit=2&or={groups}"
    while url:
        answer = client.get(url)
        seen += [hero["id"] for hero in answer.json()]
        url = answer.links.get("next", {}).get("url")
    assert seen == [1, 6, 3, 4, 5]  # NULL sorts as larger than every age: first, descending


def test_the_bulk_routes_take_them(client: TestClient) -> None:
    groups = json.dumps([{"age": 16}, {"name": "Deadpond"}])
    changed = client.patch("/heroes/", params={"or": groups}, json={"secret_name": "grouped"})
    assert [hero["id"] for hero in changed.json()] == [1, 2]
    deleted = client.delete("/heroes/", params={"or": groups})
    assert [hero["id"] for hero in deleted.json()] == [1, 2]
    assert ids(client, [{"id__in": [1, 2, 3]}]) == [3]


def test_through_relationships(backend: Backend) -> None:
    seed(backend)
    router = adventurers(backend, or_groups=True)
    with backend.client(router) as client:
        groups = [{"guild__name": "Owls"}, {"mentor__name": "Ann", "quests__title": "Tower"}]
        answer = client.get("/adventurers/", params={"or": json.dumps(groups)})
        assert [row["id"] for row in answer.json()] == [2, 3]
        together = [{"guild__name": "Empty"}, {"quests__title": "Dragon", "quests__title__startswith": "T"}]
        answer = client.get("/adventurers/", params={"or": json.dumps(together)})
        assert answer.json() == []  # in a group too, one related row holds them all


def too_deep() -> list[Any]:
    return [{"or": [{"or": [{"or": [{"age": 1}]}]}]}]


@pytest.mark.parametrize(
    ("value", "loc", "kind"),
    [
        ("[{", ["query", "or"], "json_invalid"),
        ("{}", ["query", "or"], "list_type"),
        ("[]", ["query", "or"], "too_short"),
        ("[1]", ["query", "or", 0], "model_attributes_type"),
        ("[{}]", ["query", "or", 0], "empty_group"),
        ('[{"age": null}]', ["query", "or", 0, "age"], "int_type"),
        ('[{"age": 1, "age": 2}]', ["query", "or"], "json_invalid"),  # a filter given twice
        ('[{"age": 1}, {"or": [{}]}]', ["query", "or", 1, "or", 0], "empty_group"),
        ('[{"agee": 1}]', ["query", "or", 0, "agee"], "extra_forbidden"),
        ('[{"age": "old"}]', ["query", "or", 0, "age"], "int_parsing"),
        ('[{"age": 1.5}]', ["query", "or", 0, "age"], "int_from_float"),
        ('[{"age": 2147483648}]', ["query", "or", 0, "age"], "less_than_equal"),
        ('[{"age__gt": NaN}]', ["query", "or"], "json_invalid"),  # not JSON
        ('[{"age__gt": Infinity}]', ["query", "or"], "json_invalid"),
        ('[{"age__gt": 1e400}]', ["query", "or", 0, "age__gt"], "less_than_equal"),
        ("1e999999", ["query", "or"], "json_invalid"),  # no million-digit number, in the error either
        ('[{"age__gt": -1e-999999}]', ["query", "or"], "json_invalid"),
        ("9" * 3999, ["query", "or"], "list_type"),
        ('[{"name": "a\\u0000b"}]', ["query", "or", 0, "name"], "string_unicode"),
        ('[{"name": "\\ud800"}]', ["query", "or", 0, "name"], "string_unicode"),
        ('[{"age__isnull": "maybe"}]', ["query", "or", 0, "age__isnull"], "bool_parsing"),
        (json.dumps([{"age__in": list(range(101))}]), ["query", "or", 0, "age__in"], "too_long"),
        (json.dumps([{"age": 1}] * (MAX_GROUPS + 1)), ["query", "or"], "too_long"),
        (json.dumps(too_deep()), ["query", "or", 0, "or", 0, "or", 0, "or"], "extra_forbidden"),
        ("[" * 3000, ["query", "or"], "json_invalid"),
        (json.dumps([{"name": "x" * MAX_TEXT}]), ["query", "or"], "string_too_long"),
    ],
)
def test_bad_groups_are_a_422_naming_the_place(client: TestClient, value: str, loc: list[Any], kind: str) -> None:
    response = client.get("/heroes/", params={"or": value})
    assert response.status_code == 422, response.json()
    (error,) = response.json()["detail"]
    assert (error["loc"], error["type"]) == (loc, kind)
    assert client.get("/heroes/", params={"or": '[{"age": 16}]'}).json()[0]["id"] == 2


def test_openapi_shows_the_groups_schema(backend: Backend) -> None:
    schema = backend.app(hero_router(backend, filters=["age"], or_groups=True)).openapi()
    (parameter,) = [p for p in schema["paths"]["/heroes/"]["get"]["parameters"] if p["name"] == "or"]
    assert parameter["schema"]["type"] == "string"
    assert parameter["schema"]["contentMediaType"] == "application/json"
    assert parameter["schema"]["contentSchema"]["items"] == {"$ref": "#/components/schemas/HeroGroup1"}
    groups = schema["components"]["schemas"]
    assert groups["HeroGroup1"]["additionalProperties"] is False
    assert set(groups["HeroGroup1"]["properties"]) == {"age", "age__ne", "age__in", "age__gt", "age__gte",
        "age__lt", "age__lte", "age__isnull", "or"}  # fmt: skip
    assert groups["HeroGroup2"]["properties"]["or"]["items"] == {"$ref": "#/components/schemas/HeroGroup3"}
    assert "or" not in groups["HeroGroup3"]["properties"]


def test_or_groups_need_filters(backend: Backend) -> None:
    with pytest.raises(ValueError, match="or_groups=True needs filters="):
        hero_router(backend, or_groups=True)


ONE_OF_EACH = EVERY_TYPE | {"notes": "short"}  # a value of every column type (a group holds 4,000 characters)


def test_a_group_matches_every_column_type_as_the_query_string_does(backend: Backend) -> None:
    """Each field's value in a group, as the row answers it and as JSON types it (a number,
    a boolean), finds the row as ``?field=value`` does; numbers are read exactly."""
    fields = [name for name in ONE_OF_EACH if name != "data"]
    with backend.client(reading_router(backend, filters=fields, or_groups=True)) as client:
        row = client.post("/readings/", json=ONE_OF_EACH).json()
        client.post("/readings/", json={"label": "other", "taken_at": "2020-01-01T00:00:00Z"})
        for name in fields:
            alone = client.get("/readings/", params={name: str(row[name]).lower() if name == "flag" else row[name]})
            grouped = client.get("/readings/", params={"or": json.dumps([{name: row[name]}])})
            assert [r["id"] for r in grouped.json()] == [r["id"] for r in alone.json()] == [row["id"]], name
        for exact, found in (('[{"price": -123456.7800, "big": 9223372036854775807}]', [row["id"]]),
                             ('[{"big": 9223372036854775806}]', [])):  # fmt: skip
            assert [r["id"] for r in client.get("/readings/", params={"or": exact}).json()] == found
