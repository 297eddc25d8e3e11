"""Tables whose primary key has several columns: a link table and a key of three types.

Each key column is a path segment, in the table's key order, named by its attribute.
Everything a single key has works here too, on every backend.
"""

import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import HTTPException

from sqlcrud import Hooks, crud_router
from sqlcrud.testing import check
from tests import models as m
from tests.conftest import Backend

EVERY_OPTION = {"filters": True, "sort": True, "count": True, "cursor": True, "etag": True}


def booking_router(backend: Backend, **options: Any) -> Any:
    return crud_router(m.Booking, m.BookingCreate, m.BookingPublic, m.BookingUpdate, session=backend.session, **options)


def enlistment_router(backend: Backend, **options: Any) -> Any:
    return crud_router(
        m.Enlistment, m.EnlistmentCreate, m.EnlistmentPublic, m.EnlistmentUpdate, session=backend.session, **options
    )


def booking(room: str = "Blue", day: str = "2024-02-29", slot: int = 9, **fields: Any) -> dict[str, Any]:
    return {"room": room, "day": day, "slot": slot, "guest": "Ann", "nights": 1, **fields}


def url(row: dict[str, Any]) -> str:
    return f"/bookings/{row['room']}/{row['day']}/{row['slot']}"


def test_the_five_routes_by_a_key_of_three_columns(backend: Backend) -> None:
    with backend.client(booking_router(backend)) as client:
        created = client.post("/bookings/", json=booking())
        assert (created.status_code, created.json()) == (200, booking())
        other = client.post("/bookings/", json=booking(slot=10)).json()
        assert client.get(url(created.json())).json() == booking()
        patched = client.patch(url(other), json={"guest": "Bob", "nights": 2})
        assert patched.json() == booking(slot=10, guest="Bob", nights=2)
        assert client.get("/bookings/").json() == [booking(), booking(slot=10, guest="Bob", nights=2)]
        assert client.delete(url(other)).json() == {"ok": True}
        assert client.get(url(other)).status_code == 404
        assert client.get("/bookings/").json() == [booking()]


def test_missing_rows_and_values_no_column_holds_are_404s(backend: Backend) -> None:
    with backend.client(booking_router(backend)) as client:
        client.post("/bookings/", json=booking())
        for path in (
            "/bookings/Blue/2024-02-29/10",  # no such row
            "/bookings/Red/2024-02-29/9",
            "/bookings/Blue/2024-03-01/9",
            f"/bookings/Blue/2024-02-29/{2**31}",  # past the INTEGER column
            f"/bookings/{'x' * 41}/2024-02-29/9",  # past the column's 40 characters
            "/bookings/%00/2024-02-29/9",
        ):
            for method in ("GET", "PATCH", "DELETE"):
                response = client.request(method, path, json={} if method == "PATCH" else None)
                assert (response.status_code, response.json()) == (404, {"detail": "Booking not found"}), path
        # A segment of the wrong type is FastAPI's 422, naming the segment.
        response = client.get("/bookings/Blue/2024-02-30/9")
        assert (response.status_code, response.json()["detail"][0]["loc"]) == (422, ["path", "day"])
        assert client.get("/bookings/Blue/2024-02-29").status_code == 404  # one segment short
        assert client.get("/bookings/Blue/2024-02-29/9/1").status_code == 404


def test_text_keys_are_any_text_but_a_slash_and_compare_as_the_column_does(backend: Backend) -> None:
    with backend.client(booking_router(backend, create_status_code=201)) as client:
        for room in ("blue", "Bl%ue é?#"):
            created = client.post("/bookings/", json=booking(room))
            assert created.status_code == 201, created.json()
            location = created.headers["location"]
            assert location.startswith("http://testserver/bookings/")
            assert location.endswith("/2024-02-29/9")
            assert client.get(location).json() == booking(room)
        # MariaDB's default collation holds "Blue" and "Blue " to be "blue": a key it has.
        for room in ("Blue", "Blue "):
            expected = 409 if backend.is_mariadb else 201
            assert client.post("/bookings/", json=booking(room)).status_code == expected
        assert client.post("/bookings/", json=booking("a/b")).status_code == 422
        rooms = ["Bl%ue é?#", "blue"] if backend.is_mariadb else ["Bl%ue é?#", "Blue", "Blue ", "blue"]
        assert [row["room"] for row in client.get("/bookings/").json()] == rooms


def test_duplicate_keys_and_missing_foreign_rows_are_409s(backend: Backend) -> None:
    quests = crud_router(m.Quest, m.QuestPublic, m.QuestPublic, m.QuestPublic, session=backend.session)
    adventurers = crud_router(
        m.Adventurer, m.AdventurerCreate, m.AdventurerPublic, m.AdventurerUpdate, session=backend.session
    )
    with backend.client(quests, adventurers, enlistment_router(backend)) as client:
        quest = client.post("/quests/", json={"id": 1, "title": "Find the grail"}).json()
        hero = client.post("/adventurers/", json={"name": "Lancelot"}).json()
        link = {"quest_id": quest["id"], "adventurer_id": hero["id"], "role": "knight"}
        assert client.post("/enlistments/", json=link).json() == link
        conflict = {"detail": "Enlistment conflicts with an existing row"}
        for body in (link, {**link, "role": "squire"}):
            response = client.post("/enlistments/", json=body)
            assert (response.status_code, response.json()) == (409, conflict), body
        missing = {"detail": "Enlistment refers to a missing row or is referred to by another"}
        for body in ({**link, "quest_id": 99}, {**link, "adventurer_id": 99}):
            response = client.post("/enlistments/", json=body)
            assert (response.status_code, response.json()) == (409, missing), body
        assert client.patch("/enlistments/1/1", json={"quest_id": 99}).status_code == 409
        assert client.get("/enlistments/").json() == [link]


def test_a_patch_may_move_a_row_to_another_key(backend: Backend) -> None:
    quests = crud_router(m.Quest, m.QuestPublic, m.QuestPublic, m.QuestPublic, session=backend.session)
    with backend.client(quests, enlistment_router(backend)) as client:
        for id_ in (1, 2):
            client.post("/quests/", json={"id": id_, "title": f"Quest {id_}"})
        with backend.engine.begin() as connection:
            connection.execute(sa.insert(m.Adventurer.__table__), [{"id": 7, "name": "Gawain"}])
        client.post("/enlistments/", json={"quest_id": 1, "adventurer_id": 7})
        moved = client.patch("/enlistments/1/7", json={"quest_id": 2, "role": "lead"})
        assert moved.json() == {"quest_id": 2, "adventurer_id": 7, "role": "lead"}
        assert client.get("/enlistments/1/7").status_code == 404
        assert client.get("/enlistments/2/7").json() == moved.json()


def test_the_whole_key_ends_every_order_and_cursors_walk_it(backend: Backend) -> None:
    options = {"sort": True, "filters": True, "cursor": True, "count": True}
    rows = [
        booking(room, day, slot, guest=guest)
        for room, guest in (("b", "Zed"), ("a", "Amy"), ("C", "Amy"))
        for day in ("2024-01-02", "2024-01-01")
        for slot in (2, 1)
    ]
    with backend.client(booking_router(backend, **options)) as client:
        for row in rows:
            assert client.post("/bookings/", json=row).status_code == 200
        key = ("room", "day", "slot")
        by_key = sorted(rows, key=lambda row: tuple(row[name] for name in key))
        assert client.get("/bookings/").json() == by_key
        by_guest = sorted(by_key, key=lambda row: (-ord(row["guest"][0]), *(row[name] for name in key)))
        assert client.get("/bookings/?sort=-guest").json() == by_guest
        by_slot = sorted(rows, key=lambda row: (-row["slot"], row["room"], row["day"]))
        assert client.get("/bookings/?sort=-slot").json() == by_slot
        assert client.get("/bookings/?sort=day,room,slot,guest").json() == sorted(
            rows, key=lambda row: (row["day"], row["room"], row["slot"])
        )
        for sort, expected in (("", by_key), ("-guest", by_guest), ("-slot", by_slot)):
            walked, page = [], f"/bookings/?limit=5&sort={sort}"
            while page:
                answer = client.get(page)
                walked += answer.json()
                page = answer.links.get("next", {}).get("url")
            assert walked == expected, sort
        filtered = client.get("/bookings/?room=C&slot=1")
        assert filtered.json() == [
            booking("C", "2024-01-01", 1, guest="Amy"),
            booking("C", "2024-01-02", 1, guest="Amy"),
        ]
        assert filtered.headers["x-total-count"] == "2"


def test_cursors_past_long_text_read_the_row_by_its_whole_key(backend: Backend) -> None:
    guests = ["x" * 300 + str(i % 3) for i in range(9)]
    with backend.client(booking_router(backend, sort=["guest"], cursor=True)) as client:
        for slot, guest in enumerate(guests):
            client.post("/bookings/", json=booking(slot=slot, guest=guest))
        walked, page = [], "/bookings/?limit=2&sort=guest"
        while page:
            answer = client.get(page)
            walked += [(row["guest"], row["slot"]) for row in answer.json()]
            page = answer.links.get("next", {}).get("url")
        assert walked == sorted((guest, slot) for slot, guest in enumerate(guests))


def test_etags_and_if_match(backend: Backend) -> None:
    with backend.client(booking_router(backend, etag=True)) as client:
        created = client.post("/bookings/", json=booking())
        tag = created.headers["etag"]
        assert client.get(url(booking()), headers={"if-none-match": tag}).status_code == 304
        assert client.patch(url(booking()), json={"nights": 2}, headers={"if-match": '"stale"'}).status_code == 412
        patched = client.patch(url(booking()), json={"nights": 2}, headers={"if-match": tag})
        assert patched.status_code == 200
        assert patched.headers["etag"] != tag
        assert client.delete(url(booking()), headers={"if-match": tag}).status_code == 412
        assert client.delete(url(booking()), headers={"if-match": patched.headers["etag"]}).status_code == 200


def test_a_scope_hides_other_rows_as_missing(backend: Backend) -> None:
    def only_blue() -> Any:
        return m.Booking.room == "Blue"

    with backend.client(booking_router(backend, scope=only_blue)) as client:
        with backend.engine.begin() as connection:
            connection.execute(sa.insert(m.Booking.__table__), [booking("Red", day=datetime.date(2024, 2, 29))])
        client.post("/bookings/", json=booking())
        assert client.get("/bookings/").json() == [booking()]
        red = "/bookings/Red/2024-02-29/9"
        for method in ("GET", "PATCH", "DELETE"):
            response = client.request(method, red, json={"nights": 3} if method == "PATCH" else None)
            assert response.status_code == 404, method


def test_hooks_get_the_key_as_a_tuple(backend: Backend) -> None:
    seen: list[Any] = []

    def before_update(pk: Any) -> None:
        seen.append(("update", pk))

    def after_delete(pk: Any) -> None:
        seen.append(("delete", pk))

    def refuse(body: Any) -> None:
        if body.guest == "nobody":
            raise HTTPException(403, "No")

    hooks = Hooks(before_create=refuse, before_update=before_update, after_delete=after_delete)
    with backend.client(booking_router(backend, hooks=hooks)) as client:
        client.post("/bookings/", json=booking())
        assert client.post("/bookings/", json=booking(slot=1, guest="nobody")).status_code == 403
        client.patch(url(booking()), json={"nights": 2})
        client.delete(url(booking()))
    day = datetime.date(2024, 2, 29)
    assert seen == [("update", ("Blue", day, 9)), ("delete", ("Blue", day, 9))]


def test_a_link_row_nests_both_sides(backend: Backend) -> None:
    router = enlistment_router(backend, read_model=m.EnlistmentInFull)
    with backend.client(router) as client:
        with backend.engine.begin() as connection:
            connection.execute(
                sa.insert(m.Quest.__table__), [{"id": 1, "title": "Grail"}, {"id": 2, "title": "Dragon"}]
            )
            connection.execute(sa.insert(m.Adventurer.__table__), [{"id": 5, "name": "Bors"}])
        for quest_id in (1, 2):
            client.post("/enlistments/", json={"quest_id": quest_id, "adventurer_id": 5})
        assert client.get("/enlistments/2/5").json() == {
            "quest_id": 2,
            "adventurer_id": 5,
            "role": "member",
            "quest": {"id": 2, "title": "Dragon"},
            "adventurer": {"id": 5, "name": "Bors", "guild_id": None},
        }


def test_openapi_names_each_segment_and_links_them_to_the_created_row(backend: Backend) -> None:
    app = backend.app(booking_router(backend, create_status_code=201))
    schema = app.openapi()
    read = schema["paths"]["/bookings/{room}/{day}/{slot}"]["get"]
    assert [(p["name"], p["in"], p["schema"].get("type"), p["schema"].get("format")) for p in read["parameters"]] == [
        ("room", "path", "string", None),
        ("day", "path", "string", "date"),
        ("slot", "path", "integer", None),
    ]
    links = schema["paths"]["/bookings/"]["post"]["responses"]["201"]["links"]
    assert links["read_booking"]["parameters"] == {
        "room": "$response.body#/room",
        "day": "$response.body#/day",
        "slot": "$response.body#/slot",
    }
    assert read["operationId"] == "read_booking_bookings__room___day___slot__get"


@pytest.mark.parametrize("options", [{}, EVERY_OPTION], ids=["defaults", "every-option"])
def test_the_conformance_kit_passes(backend: Backend, options: dict[str, Any]) -> None:
    report = check(backend.app(booking_router(backend, **options)))
    assert not report.failures, report
    assert len(report.routes) == 5
    # Every other check ran; chains of client-chosen keys may meet a key taken in a replay.
    notes = [note for note in report.notes if not note.startswith("schemathesis chains: stopped after")]
    assert notes == ["isolation: give two identities or more to check it"]
