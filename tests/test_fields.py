"""``field_selection=True``: ``?fields=`` answers only the public fields it names, and the
SELECT reads only their columns (and the key's and the sort's), on every backend."""

from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import Field
from sqlmodel import SQLModel

from examples.heroes.models import Hero, HeroCreate, HeroUpdate
from examples.teams.models import Team, TeamCreate, TeamPublicWithHeroes, TeamUpdate
from sqlcrud import crud_router
from sqlcrud.testing import check
from tests.conftest import Backend, hero_router
from tests.test_statements import statements


def test_only_the_fields_asked_for(backend: Backend) -> None:
    router = hero_router(backend, field_selection=True, sort=["age"], cursor=True, envelope=True)
    with backend.client(router) as client:
        for i in range(5):
            client.post("/heroes/", json={"name": f"h{i}", "secret_name": "s", "age": 10 - i})
        body = client.get("/heroes/?fields=name&sort=age&limit=2").json()
        assert body["items"] == [{"name": "h4"}, {"name": "h3"}]
        walked, url = [], "/heroes/?fields=name&sort=age&limit=2"
        while url:
            page = client.get(url).json()
            walked += page["items"]
            url = page["next_page"] and f"/heroes/?fields=name&sort=age&limit=2&cursor={page['next_page']}"
        assert walked == [{"name": f"h{i}"} for i in (4, 3, 2, 1, 0)]
        assert client.get("/heroes/?fields=age,%20id,age").json()["items"][0] == {"age": 10, "id": 1}
        for bad, message in (
            ("nope", "Unknown fields 'nope'; the fields: name, age, id"),
            ("name,secret_name", "Unknown fields 'secret_name'; the fields: name, age, id"),
            ("", "Name one field or more, separated by commas: name, age, id"),
            ("name,,age", "Name one field or more, separated by commas: name, age, id"),
        ):
            response = client.get(f"/heroes/?fields={bad}")
            assert response.status_code == 422, bad
            assert (response.json()["detail"][0]["loc"], response.json()["detail"][0]["msg"]) == (
                ["query", "fields"],
                message,
            )
        assert client.get("/heroes/1").json() == {"name": "h0", "age": 10, "id": 1}  # read: whole rows


def test_the_select_reads_only_those_columns(backend: Backend) -> None:
    with backend.client(hero_router(backend, field_selection=True)) as client:
        client.post("/heroes/", json={"name": "Deadpond", "secret_name": "Dive Wilson"})
        sent: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            sent.append(statement)

        sa.event.listen(backend.app_engine, "before_cursor_execute", record)
        try:
            assert client.get("/heroes/?fields=name").json() == [{"name": "Deadpond"}]
        finally:
            sa.event.remove(backend.app_engine, "before_cursor_execute", record)
        select = next(statement for statement in sent if statement.lstrip().upper().startswith("SELECT"))
        assert "age" not in select.split(" FROM ")[0]


def test_nested_fields(backend: Backend) -> None:
    teams = backend.teams
    router = crud_router(
        Team, TeamCreate, TeamPublicWithHeroes, TeamUpdate, session=teams.session, field_selection=True
    )
    with teams.client(router) as client:
        client.post("/teams/", json={"name": "Preventers", "headquarters": "Sharp Tower"})
        with statements(teams.app_engine) as sent:
            assert client.get("/teams/?fields=name,heroes").json() == [{"name": "Preventers", "heroes": []}]
        assert sent == ["SELECT", "SELECT"]  # the teams, then their heroes


def test_a_model_that_changes_its_output_cannot_select_fields(backend: Backend) -> None:
    class Aliased(SQLModel):
        id: int
        name: str = Field(serialization_alias="title")

    with pytest.raises(ValueError, match="field_selection=True needs a public model"):
        crud_router(Hero, HeroCreate, Aliased, HeroUpdate, session=backend.session, field_selection=True)


def test_the_conformance_kit_passes(backend: Backend) -> None:
    report = check(backend.app(hero_router(backend, field_selection=True, filters=True, sort=True, cursor=True)))
    assert not report.failures, report


def test_openapi_requires_no_field_of_a_listed_row(backend: Backend) -> None:
    """A client generated from OpenAPI must accept ``[{"name": ...}]``: the list's rows are
    declared with the public model's fields, none of them required. The other routes answer
    whole rows, as declared."""
    schema = backend.app(hero_router(backend, field_selection=True)).openapi()
    listed = schema["paths"]["/heroes/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["items"] == {"$ref": "#/components/schemas/HeroPublicFields"}
    row = schema["components"]["schemas"]["HeroPublicFields"]
    assert set(row["properties"]) == {"name", "age", "id"}
    assert "required" not in row
    created = schema["paths"]["/heroes/"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/HeroPublic"}
