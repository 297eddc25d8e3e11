"""UUID and string primary keys, foreign keys, unique columns, and several routers in one app."""

import logging
import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from sqlcrud import crud_router
from tests import models as m
from tests.conftest import Backend, hero_router


def gadget_router(backend: Backend, **options: Any) -> Any:
    return crud_router(m.Gadget, m.GadgetCreate, m.GadgetPublic, m.GadgetUpdate, session=backend.session, **options)


def country_router(backend: Backend, **options: Any) -> Any:
    return crud_router(m.Country, m.CountryCreate, m.CountryPublic, m.CountryUpdate, session=backend.session, **options)


def city_router(backend: Backend) -> Any:
    return crud_router(m.City, m.CityCreate, m.CityPublic, m.CityUpdate, session=backend.session)


GADGET = {"serial": "g-1", "color": "green", "made_on": "2024-02-29", "price": 9.5}


def test_uuid_key_made_by_default_factory(backend: Backend) -> None:
    with backend.client(gadget_router(backend)) as client:
        created = client.post("/gadgets/", json={**GADGET, "id": "00000000-0000-0000-0000-000000000000"}).json()
        gadget_id = created.pop("id")
        assert uuid.UUID(gadget_id).version == 4
        assert created == {**GADGET, "stock": 0}
        assert client.get(f"/gadgets/{gadget_id}").json() == {**created, "id": gadget_id}
        patched = client.patch(f"/gadgets/{gadget_id}", json={"color": "blue", "stock": 3})
        assert patched.json() == {**created, "id": gadget_id, "color": "blue", "stock": 3}
        assert client.get(f"/gadgets/{uuid.uuid4()}").json() == {"detail": "Gadget not found"}
        assert client.get("/gadgets/not-a-uuid").status_code == 422
        assert client.delete(f"/gadgets/{gadget_id}").json() == {"ok": True}


def test_unique_violation_is_409_and_changes_nothing(backend: Backend) -> None:
    with backend.client(gadget_router(backend)) as client:
        first = client.post("/gadgets/", json=GADGET).json()
        second = client.post("/gadgets/", json={**GADGET, "serial": "g-2"}).json()
        response = client.post("/gadgets/", json={**GADGET, "price": 1})
        assert (response.status_code, response.json()) == (
            409,
            {"detail": "Gadget conflicts with an existing row"},
        )
        response = client.patch(f"/gadgets/{second['id']}", json={"serial": "g-1", "price": 3})
        assert (response.status_code, response.json()) == (
            409,
            {"detail": "Gadget conflicts with an existing row"},
        )
        assert sorted(client.get("/gadgets/").json(), key=by_id) == sorted([first, second], key=by_id)


def by_id(row: dict[str, Any]) -> Any:
    return row["id"]


def test_uuid_keys_list_in_the_database_uuid_order(backend: Backend) -> None:
    """By their bytes, as text sorts them; MariaDB's UUID type (SQLAlchemy 2.1 declares a
    ``uuid.UUID`` key with it, 2.0 as CHAR(32)) orders by the groups from the last."""
    with backend.client(gadget_router(backend)) as client:
        for i in range(8):
            client.post("/gadgets/", json={**GADGET, "serial": f"g-{i}"})
        keys = [gadget["id"] for gadget in client.get("/gadgets/").json()]
    if backend.is_mariadb and mariadb_type(backend, "gadget", "id") == "uuid":
        assert keys == sorted(keys, key=lambda key: key.split("-")[::-1])
    else:
        assert keys == sorted(keys)


def mariadb_type(backend: Backend, table: str, column: str) -> str:
    with backend.engine.connect() as connection:
        return str(
            connection.execute(
                sa.text(
                    "SELECT DATA_TYPE FROM information_schema.COLUMNS"
                    " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :table AND COLUMN_NAME = :column"
                ),
                {"table": table, "column": column},
            ).scalar_one()
        )


def test_string_key_chosen_by_client(backend: Backend) -> None:
    with backend.client(country_router(backend)) as client:
        response = client.post("/countries/", json={"code": "FR", "name": "France", "population": 68_000_000_000})
        assert response.json() == {"code": "FR", "name": "France", "population": 68_000_000_000}
        assert client.get("/countries/FR").json()["name"] == "France"
        assert client.get("/countries/fr").status_code == 404
        again = client.post("/countries/", json={"code": "FR", "name": "Other"})
        assert (again.status_code, again.json()) == (
            409,
            {"detail": "Country conflicts with an existing row"},
        )
        for missing in ("FRA", "F%00", "%F0%9F%A6%B8"):  # longer than the column, NUL, an emoji
            assert client.get(f"/countries/{missing}").status_code == 404
        assert client.patch("/countries/FR", json={"population": 2**63}).status_code == 422
        assert client.delete("/countries/FR").json() == {"ok": True}


def test_foreign_keys_are_409(backend: Backend) -> None:
    with backend.client(country_router(backend), city_router(backend)) as client:
        client.post("/countries/", json={"code": "FR", "name": "France"})
        orphan = client.post("/cities/", json={"name": "Nowhere", "country_code": "XX"})
        message = "City refers to a missing row or is referred to by another"
        assert (orphan.status_code, orphan.json()) == (409, {"detail": message})
        paris = client.post("/cities/", json={"name": "Paris", "country_code": "FR"}).json()
        assert client.patch(f"/cities/{paris['id']}", json={"country_code": "XX"}).status_code == 409
        referenced = client.delete("/countries/FR")
        message = "Country refers to a missing row or is referred to by another"
        assert (referenced.status_code, referenced.json()) == (409, {"detail": message})
        assert client.get("/cities/").json() == [paris]
        assert client.get("/countries/FR").status_code == 200


def test_several_routers_in_one_app(backend: Backend) -> None:
    routers = (hero_router(backend), gadget_router(backend), country_router(backend), city_router(backend))
    with backend.client(*routers) as client:
        operation_ids = [
            op["operationId"] for path in client.get("/openapi.json").json()["paths"].values() for op in path.values()
        ]
        assert len(operation_ids) == len(set(operation_ids)) == 20
        assert client.post("/heroes/", json={"name": "a", "secret_name": "b"}).status_code == 200
        assert client.post("/gadgets/", json=GADGET).status_code == 200
        assert client.get("/heroes/").json()[0]["name"] == "a"
        assert client.get("/gadgets/").json()[0]["serial"] == "g-1"


@pytest.mark.parametrize("prefix", ["/api/v1/people", ""])
def test_prefix_changes_the_path(backend: Backend, prefix: str) -> None:
    with backend.client(hero_router(backend, prefix=prefix, tags=["heroes"])) as client:
        assert client.post(f"{prefix}/", json={"name": "a", "secret_name": "b"}).status_code == 200
        assert client.get(f"{prefix}/1").json()["name"] == "a"
        paths = client.get("/openapi.json").json()["paths"]
        assert set(paths) == {f"{prefix}/", f"{prefix}/{{hero_id}}"}
        assert all(op["tags"] == ["heroes"] for path in paths.values() for op in path.values())


def test_database_errors_are_logged_with_their_sqlstate(backend: Backend, caplog: pytest.LogCaptureFixture) -> None:
    with backend.client(gadget_router(backend)) as client, caplog.at_level(logging.INFO, logger="sqlcrud"):
        client.post("/gadgets/", json=GADGET)
        client.post("/gadgets/", json=GADGET)
    [record] = [r for r in caplog.records if r.name == "sqlcrud"]
    assert record.levelno == logging.INFO  # the client's conflict, not the server's trouble
    assert record.getMessage().startswith("create Gadget: ")
    assert record.getMessage().endswith("(SQLSTATE 23505)")
