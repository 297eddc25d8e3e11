"""docs_src/several_tables.py: two routers in one app, a foreign key between the tables."""

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from docs_src import several_tables


def test_foreign_keys_refused_and_rows_unchanged(serve: Callable[..., TestClient]) -> None:
    client = serve(several_tables)
    assert client.post("/squads/", json={"name": "Avengers"}).json() == {"name": "Avengers", "id": 1}
    assert client.post("/squads/", json={"name": "X-Men"}).json() == {"name": "X-Men", "id": 2}
    member = {"name": "Rusty-Man", "squad_id": 1, "id": 1}
    assert client.post("/squad_members/", json={"name": "Rusty-Man", "squad_id": 1}).json() == member

    response = client.patch("/squad_members/1", json={"squad_id": 9})
    detail = "Squad member refers to a missing row or is referred to by another"
    assert (response.status_code, response.json()) == (409, {"detail": detail})
    response = client.patch("/squads/2", json={"name": "Avengers"})
    conflict = {"detail": "Squad conflicts with an existing row"}
    assert (response.status_code, response.json()) == (409, conflict)

    assert client.get("/squad_members/1").json() == member
    assert client.get("/squads/").json() == [{"name": "Avengers", "id": 1}, {"name": "X-Men", "id": 2}]
    assert client.patch("/squad_members/1", json={"squad_id": 2}).json() == {**member, "squad_id": 2}
    response = client.delete("/squads/1")
    assert (response.status_code, response.json()) == (200, {"ok": True})
    response = client.get("/squad_members/2")
    assert (response.status_code, response.json()) == (404, {"detail": "Squad member not found"})


def test_operation_ids_do_not_clash() -> None:
    paths = several_tables.app.openapi()["paths"]
    assert {path: sorted(op["operationId"] for op in item.values()) for path, item in paths.items()} == {
        "/squads/": ["create_squad_squads__post", "read_squads_squads__get"],
        "/squads/{squad_id}": [
            "delete_squad_squads__squad_id__delete",
            "read_squad_squads__squad_id__get",
            "update_squad_squads__squad_id__patch",
        ],
        "/squad_members/": [
            "create_squad_member_squad_members__post",
            "read_squad_members_squad_members__get",
        ],
        "/squad_members/{squad_member_id}": [
            "delete_squad_member_squad_members__squad_member_id__delete",
            "read_squad_member_squad_members__squad_member_id__get",
            "update_squad_member_squad_members__squad_member_id__patch",
        ],
    }


def test_engine_turns_sqlite_foreign_keys_on(tmp_path: Path) -> None:
    assert sa.event.contains(several_tables.engine, "connect", several_tables.enable_foreign_keys)
    # The module's engine has its file path fixed already: try the listener on one in tmp_path.
    engine = sa.create_engine(f"sqlite:///{tmp_path}/squads.db")
    sa.event.listen(engine, "connect", several_tables.enable_foreign_keys)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
