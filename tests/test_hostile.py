"""Hostile and odd input, through HTTP, on every backend: never a 5xx, the same answer everywhere.

Each case of the catalogue states the one status every database must answer; a refusal
must be JSON in FastAPI's ``{"detail": ...}`` shape, and the next request must work. Where
MariaDB's columns hold less than the model declares (SQLModel's ``str`` is VARCHAR(255)
there, ``Text`` 65,535 bytes), the case states MariaDB's status beside: a 422, as for any
value a database refuses.
"""

import base64
import hashlib
import json
import math
import random
import string
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import Request
from fastapi.testclient import TestClient
from pydantic import ConfigDict
from sqlmodel import SQLModel

import examples.heroes.models as heroes
from sqlcrud import Hooks, crud_router
from tests import models as m
from tests.conftest import Backend, hero_router

TOO_LONG = "The request took longer than its time limit: narrow it with filters or a lower limit"
READING = {"label": "dawn", "taken_at": "2024-05-01T06:00:00+02:00", "price": "1.50", "data": {"a": [1, "x"]}}


def reading_router(backend: Backend, **options: Any) -> Any:
    return crud_router(m.Reading, m.ReadingCreate, m.ReadingPublic, m.ReadingUpdate, session=backend.session, **options)


def forged(payload: Any) -> str:
    """A cursor token as sqlcrud makes them, around any payload: the checksum has no key."""
    raw = json.dumps(payload).encode()
    check = hashlib.blake2b(raw, digest_size=8, person=b"sqlcrud-cursor").digest()
    return base64.urlsafe_b64encode(check + raw).decode().rstrip("=")


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


# (case, method, url, JSON body or raw bytes, headers, status or (status, MariaDB's status))
CATALOGUE: list[tuple[str, str, str, Any, dict[str, str], int | tuple[int, int]]] = [
    ("naive datetime is UTC", "POST", "/readings/", READING | {"taken_at": "2024-05-01T04:00:00"}, {}, 200),
    ("bare date as datetime", "POST", "/readings/", READING | {"taken_at": "2024-05-01"}, {}, 200),
    ("year 1 east of UTC", "POST", "/readings/", READING | {"taken_at": "0001-01-01T00:00:00+14:00"}, {}, 422),
    ("year 9999 west of UTC", "POST", "/readings/", READING | {"taken_at": "9999-12-31T23:59:59-14:00"}, {}, 422),
    ("NaN", "POST", "/readings/", b'{"label": "x", "taken_at": "2024-01-01", "ratio": NaN}', {}, 422),
    ("Infinity", "POST", "/readings/", b'{"label": "x", "taken_at": "2024-01-01", "ratio": -Infinity}', {}, 422),
    ("1e400", "POST", "/readings/", b'{"label": "x", "taken_at": "2024-01-01", "ratio": 1e400}', {}, 422),
    ("body not UTF-8", "POST", "/heroes/", b"\xff\xfe{", {}, 400),
    ("malformed JSON", "POST", "/heroes/", b'{"name": ', {}, 422),
    (
        "deep JSON where text goes",
        "POST",
        "/heroes/",
        b'{"name": ' + b'[{"a": ' * 250 + b"1" + b"}]" * 250 + b"}",
        {},
        422,
    ),
    ("NaN where an integer goes", "POST", "/heroes/", b'{"name": "x", "secret_name": "y", "age": NaN}', {}, 422),
    ("lone surrogate in JSON", "POST", "/readings/", READING | {"data": {"k": "\ud800"}}, {}, 422),
    ("lone surrogate as JSON key", "POST", "/readings/", READING | {"data": {"\udfff": 1}}, {}, 422),
    ("NUL in JSON", "POST", "/readings/", READING | {"data": {"k": "a\x00b"}}, {}, 422),
    ("decimal past its precision", "POST", "/readings/", READING | {"price": "1234567.5"}, {}, 422),
    ("decimal past its scale", "POST", "/readings/", READING | {"price": "1.555"}, {}, 422),
    ("indexed text at its limit", "POST", "/readings/", READING | {"label": "é" * 676}, {}, (200, 422)),
    ("indexed text past its limit", "POST", "/readings/", READING | {"label": "x" * 677}, {}, 422),
    ("4-byte text at the limit", "POST", "/readings/", READING | {"label": "\U0001f600" * 676}, {}, (200, 422)),
    ("text at MariaDB's VARCHAR(255)", "POST", "/readings/", READING | {"label": "\U0001f600" * 255}, {}, 200),
    ("smallint past 16 bits", "POST", "/readings/", READING | {"small": 2**15}, {}, 422),
    ("integer past 32 bits", "POST", "/readings/", READING | {"count": -(2**31) - 1}, {}, 422),
    ("bigint past 64 bits", "POST", "/readings/", READING | {"big": 2**63}, {}, 422),
    ("bigint filter past 64 bits", "GET", f"/readings/?big__gt={2**63}", None, {}, 422),
    ("text past max_length", "POST", "/readings/", READING | {"code": "ABCDEFGHI"}, {}, 422),
    ("NUL in unindexed Text", "PATCH", "/readings/1", {"notes": "a\x00"}, {}, 422),
    ("long unindexed Text", "PATCH", "/readings/1", {"notes": "x" * 100_000}, {}, (200, 422)),
    ("Text at MariaDB's 65,535 bytes", "PATCH", "/readings/1", {"notes": "\U0001f600" * 16_383}, {}, 200),
    ("aware value, naive column", "PATCH", "/readings/1", {"local_at": "2024-01-01T00:00:00-05:00"}, {}, 200),
    ("time with an offset", "PATCH", "/readings/1", {"at_time": "12:00:00+02:00"}, {}, 200),
    ("time past midnight", "PATCH", "/readings/1", {"at_time": "24:00:01"}, {}, 422),
    ("null the public model cannot show", "PATCH", "/readings/1", {"data": None}, {}, 422),
    ("null in a nullable column", "PATCH", "/readings/1", {"taken_on": None, "at_time": None}, {}, 200),
    ("sort on a JSON column", "GET", "/readings/?sort=data", None, {}, 422),
    ("filter on a JSON column", "GET", "/readings/?data__isnull=false", None, {}, 422),
    ("malformed UUID", "PATCH", "/readings/1", {"uid": "not-a-uuid"}, {}, 422),
    ("UUID filter, malformed", "GET", "/readings/?uid=xyz", None, {}, 422),
    ("bool as a word", "GET", "/readings/?flag=maybe", None, {}, 422),
    ("enum by name", "POST", "/readings/", READING | {"level": "high"}, {}, 422),
    ("naive datetime in a PATCH", "PATCH", "/readings/1", {"taken_at": "2024-01-01T00:00:00"}, {}, 200),
    ("extreme datetime in a PATCH", "PATCH", "/readings/1", {"taken_at": "0001-01-01T00:00:00+01:00"}, {}, 422),
    ("bare date filter", "GET", "/readings/?taken_at__gte=2020-01-01", None, {}, 200),
    ("naive datetime filter", "GET", "/readings/?taken_at__lt=2030-01-01T00:00:00", None, {}, 200),
    ("extreme datetime filter", "GET", "/readings/?taken_at__gte=0001-01-01T00:00:00%2B14:00", None, {}, 422),
    ("huge decimal filter", "GET", "/readings/?price__gt=1e999999", None, {}, 422),
    ("NaN decimal filter", "GET", "/readings/?price__gt=NaN", None, {}, 422),
    ("NaN float filter", "GET", "/readings/?ratio__gt=nan", None, {}, 422),
    ("100 values in __in", "GET", "/readings/?" + "&".join(f"id__in={i}" for i in range(100)), None, {}, 200),
    ("101 values in __in", "GET", "/readings/?" + "&".join(f"id__in={i}" for i in range(101)), None, {}, 422),
    ("5,000 values in __in", "GET", "/readings/?" + "&".join("id__in=1" for _ in range(5_000)), None, {}, 422),
    ("limit=0 with a cursor", "GET", "/readings/?limit=0", None, {}, 200),
    ("garbage cursor", "GET", "/readings/?cursor=%%%", None, {}, 422),
    ("overlong cursor", "GET", "/readings/?cursor=" + "A" * 5000, None, {}, 422),
    ("cursor: integer past 2^63", "GET", "/readings/?cursor=" + forged(["id", [2**70]]), None, {}, 422),
    ("cursor: integer past 2^31", "GET", "/readings/?cursor=" + forged(["id", [2**40]]), None, {}, 422),
    ("cursor: deep nesting", "GET", "/readings/?cursor=" + forged(["id", json.loads(deep(50))]), None, {}, 422),
    (
        "cursor: naive datetime",
        "GET",
        "/readings/?sort=taken_at&cursor=" + forged(["taken_at,id", ["2020-01-01", 1]]),
        None,
        {},
        200,
    ),
    (
        "cursor: extreme datetime",
        "GET",
        "/readings/?sort=taken_at&cursor=" + forged(["taken_at,id", ["0001-01-01T00:00:00+14:00", 1]]),
        None,
        {},
        422,
    ),
    (
        "cursor: lone surrogate",
        "GET",
        "/readings/?sort=label&cursor=" + forged(["label,id", ["\ud800", 1]]),
        None,
        {},
        422,
    ),
    (
        "cursor: huge decimal",
        "GET",
        "/readings/?sort=price&cursor=" + forged(["price,id", ["1e999999", 1]]),
        None,
        {},
        422,
    ),
    ("newline path", "GET", "/readings/%0A", None, {}, 404),
    ("newline text key", "GET", "/countries/%0A", None, {}, 404),
    ("slash in a text key", "POST", "/countries/", {"code": "a/", "name": "Slash"}, {}, 422),
    ("dot-dot text key", "POST", "/countries/", {"code": "..", "name": "Dots"}, {}, 422),
    ("dot-dot in the path", "GET", "/countries/..", None, {}, 404),
    ("If-Match: latin-1 digit", "PATCH", "/documents/1", {"title": "t"}, {"If-Match": '"\xb2"'.encode("latin-1")}, 412),
    ("If-Match: 5000 digits", "PATCH", "/documents/1", {"title": "t"}, {"If-Match": '"' + "9" * 5000 + '"'}, 412),
    (
        "If-Match: 100 tags",
        "DELETE",
        "/documents/1",
        None,
        {"If-Match": ", ".join(f'"{i}"' for i in range(2, 102))},
        412,
    ),
    (
        "If-Match: 40,000 tags",
        "DELETE",
        "/documents/1",
        None,
        {"If-Match": ", ".join(f'"{i}"' for i in range(40_000))},
        422,
    ),
    (
        "If-None-Match: 40,000 tags",
        "GET",
        "/documents/1",
        None,
        {"If-None-Match": ", ".join(f'"{i}"' for i in range(40_000))},
        422,
    ),
    ("If-Match on JSON, hash tags", "PATCH", "/readings/1", {"label": "y"}, {"If-Match": '"nope"'}, 412),
]


@pytest.fixture
def hostile(backend: Backend) -> TestClient:
    country = crud_router(m.Country, m.CountryCreate, m.CountryPublic, m.CountryUpdate, session=backend.session)
    documents = crud_router(
        m.Document, m.DocumentCreate, m.DocumentPublic, m.DocumentUpdate, session=backend.session, etag="version"
    )
    readings = reading_router(backend, filters=True, sort=True, cursor=True, count=True, etag=True)
    client = backend.client(readings, documents, country, hero_router(backend))
    assert client.post("/readings/", json=READING).status_code == 200
    assert client.post("/documents/", json={"title": "first"}).status_code == 200
    return client


@pytest.mark.parametrize(
    ("method", "url", "body", "headers", "status"),
    [pytest.param(*case[1:], id=case[0]) for case in CATALOGUE],
)
def test_catalogue(
    backend: Backend, hostile: TestClient, method: str, url: str, body: Any, headers: dict[str, str], status: Any
) -> None:
    if isinstance(status, tuple):
        status = status[backend.is_mariadb]
    before = hostile.get("/readings/?limit=100").json()
    # Encoded here: a client's JSON encoder would refuse a lone surrogate, a raw request does not.
    content = body if isinstance(body, bytes) else None if body is None else json.dumps(body).encode()
    sent = hostile.request(method, url, content=content, headers=headers | {"content-type": "application/json"})
    assert sent.status_code == status, sent.text
    assert sent.headers["content-type"] == "application/json"
    answer = sent.json()
    if status >= 400:
        assert set(answer) == {"detail"}
        assert "SELECT" not in sent.text
        assert "sqlalchemy" not in sent.text.lower()
        assert hostile.get("/readings/?limit=100").json() == before  # nothing half-written
    assert hostile.get("/readings/1").status_code == 200  # and the next request works


def test_datetimes_are_utc_everywhere(backend: Backend) -> None:
    client = backend.client(reading_router(backend, filters=True, sort=True))
    created = client.post("/readings/", json=READING | {"taken_at": "2024-05-01T04:00:00"}).json()
    assert created["taken_at"] == "2024-05-01T04:00:00Z"
    client.post("/readings/", json=READING | {"taken_at": "2024-05-01T09:00:00+05:00"})
    assert client.get("/readings/2").json()["taken_at"] == "2024-05-01T04:00:00Z"
    page = client.get("/readings/?taken_at=2024-05-01T06:00:00%2B02:00").json()
    assert [row["id"] for row in page] == [1, 2]
    assert client.get("/readings/?taken_at__gt=2024-05-01").json() == page


def test_limit_zero_with_a_cursor(backend: Backend) -> None:
    client = backend.client(reading_router(backend, cursor=True))
    client.post("/readings/", json=READING)
    answer = client.get("/readings/?limit=0")
    assert answer.json() == []
    assert "link" not in answer.headers


def test_hash_etag_over_a_json_column(backend: Backend) -> None:
    client = backend.client(reading_router(backend, etag=True))
    tag = client.post("/readings/", json=READING).headers["etag"]
    changed = client.patch("/readings/1", json={"data": {"b": None}}, headers={"If-Match": tag})
    assert changed.status_code == 200
    assert changed.json()["data"] == {"b": None}
    assert client.delete("/readings/1", headers={"If-Match": tag}).status_code == 412
    assert client.delete("/readings/1", headers={"If-Match": changed.headers["etag"]}).status_code == 200


def test_session_must_be_the_dependency(backend: Backend) -> None:
    from typing import Annotated

    from fastapi import Depends

    alias = Annotated[Any, Depends(backend.session)]
    for wrong in (alias, backend.engine, object()):
        with pytest.raises(TypeError, match="session= takes a dependency"):
            crud_router(heroes.Hero, heroes.HeroCreate, heroes.HeroPublic, heroes.HeroUpdate, session=wrong)


def test_building_routers_leaves_the_models_alone(backend: Backend) -> None:
    before = {name: repr(field) for name, field in m.ReadingCreate.model_fields.items()}
    for _ in range(10):
        reading_router(backend)
    assert {name: repr(field) for name, field in m.ReadingCreate.model_fields.items()} == before


def test_enums_sort_by_declaration_everywhere(backend: Backend) -> None:
    client = backend.client(reading_router(backend, sort=True, cursor=True))
    for level in ("H", "L", "H", "L"):  # names: high < low as text; declared: low, high
        assert client.post("/readings/", json=READING | {"level": level}).status_code == 200
    assert [row["id"] for row in client.get("/readings/?sort=level").json()] == [2, 4, 1, 3]
    assert [row["id"] for row in client.get("/readings/?sort=-level").json()] == [1, 3, 2, 4]
    walked, url = [], "/readings/?sort=level&limit=1"
    while url:
        answer = client.get(url)
        walked += [row["id"] for row in answer.json()]
        url = answer.links.get("next", {}).get("url")
    assert walked == [2, 4, 1, 3]


def test_a_hook_value_the_column_refuses(backend: Backend) -> None:
    """A before-update hook's values are written as given: one the column refuses is a 422."""
    client = backend.client(reading_router(backend, hooks=Hooks(before_update=lambda: {"price": "abc"})))
    created = client.post("/readings/", json=READING).json()
    refused = client.patch("/readings/1", json={"label": "changed"})
    assert (refused.status_code, refused.json()) == (422, {"detail": "Reading has a value the database refuses"})
    assert client.get("/readings/1").json() == created


def test_a_declared_length_past_the_index(backend: Backend) -> None:
    """A ``max_length`` the model declares is kept, even where PostgreSQL's index cannot hold it."""
    client = backend.client(crud_router(m.Label, m.LabelCreate, m.LabelPublic, m.LabelCreate, session=backend.session))
    text = "".join(random.Random(1).choices(string.ascii_letters, k=4000))  # incompressible
    answer = client.post("/labels/", json={"text": text})
    if backend.is_postgres:
        assert (answer.status_code, answer.json()) == (422, {"detail": "Label has a value too large for the database"})
    else:
        assert answer.status_code == 200


def test_extra_fields_are_never_written(backend: Backend) -> None:
    class Loose(SQLModel):
        model_config = ConfigDict(extra="allow")
        name: str | None = None
        secret_name: str = "anonymous"

    router = crud_router(heroes.Hero, Loose, heroes.HeroPublic, Loose, session=backend.session)
    client = backend.client(router)
    created = client.post("/heroes/", json={"name": "Deadpond", "id": 99, "age": 40})
    assert created.json() == {"name": "Deadpond", "age": None, "id": 1}
    changed = client.patch("/heroes/1", json={"name": "Dp", "id": 7, "age": 41})
    assert changed.json() == {"name": "Dp", "age": None, "id": 1}
    assert client.get("/heroes/7").status_code == 404


def test_a_table_model_as_every_model(backend: Backend) -> None:
    """The tutorial's first step, ``Hero`` for everything: its bodies get the column limits too."""
    hero = heroes.Hero
    client = backend.client(crud_router(hero, hero, hero, hero, session=backend.session))
    body = {"name": "Deadpond", "secret_name": "Dive Wilson"}
    for bad in ({"age": 2**31}, {"name": "a\x00b"}, {"name": "x" * 677}):
        refused = client.post("/heroes/", json=body | bad)
        assert refused.status_code == 422, refused.text
        assert refused.json()["detail"][0]["loc"] == ["body", next(iter(bad))]
    assert client.post("/heroes/", json=body).json() == body | {"id": 1, "age": None}
    assert client.patch("/heroes/1", json=body | {"age": 2**40}).status_code == 422
    assert client.get("/heroes/").json() == [body | {"id": 1, "age": None}]
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"Hero", "HeroCreate", "HeroUpdate"} <= set(schemas)


def slow_on_demand(request: Request) -> Any:
    """A scope that counts to the ``x-count`` header's number first: 2 million takes about half a second.

    MariaDB stops a recursive query after 1,000 rounds: there, the same time is a sleep.
    """
    if (count := int(request.headers.get("x-count", 0))) == 0:
        return None
    counting = f"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {count})"
    counting += " SELECT count(*) FROM c"
    return sa.literal_column(f"({counting}) > 0")


def sleep_on_demand(request: Request) -> Any:
    if (count := int(request.headers.get("x-count", 0))) == 0:
        return None
    return sa.literal_column(f"SLEEP({count / 4_000_000}) = 0")


def test_a_statement_past_the_time_limit(backend: Backend) -> None:
    slow = sleep_on_demand if backend.is_mariadb else slow_on_demand
    limited = reading_router(backend, scope=slow, statement_timeout=0.2)
    free = reading_router(backend, scope=slow, prefix="/free")
    client = backend.client(limited, free)
    assert client.post("/readings/", json=READING).status_code == 200
    for method, url in (("GET", "/readings/"), ("GET", "/readings/1"), ("DELETE", "/readings/1")):
        refused = client.request(method, url, headers={"x-count": "100000000"})
        assert refused.status_code == 422, (method, url, refused.text)
        assert refused.json() == {"detail": TOO_LONG}
    assert [row["id"] for row in client.get("/readings/").json()] == [1]  # the next request works
    assert client.patch("/readings/1", json={"label": "kept"}).status_code == 200
    # The limit stays with its router: the same connections serve another one without it.
    assert client.get("/free/", headers={"x-count": "2000000"}).json()[0]["label"] == "kept"


def test_the_time_limit_must_be_positive(backend: Backend) -> None:
    for wrong in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="statement_timeout must be"):
            reading_router(backend, statement_timeout=wrong)


# One value of every type, unlike the defaults, as a client sends it and as every database answers it.
EVERY_TYPE = {
    "label": "Ünïcode \U0001f600",
    "taken_at": "2024-05-01T06:00:00.123456+02:00",
    "taken_on": "2024-02-29",
    "price": "-123456.78",
    "ratio": 0.1,
    "level": "H",
    "data": {"nested": [1, 2.5, None, True, "x"], "": {}},
    "count": -(2**31),
    "small": 2**15 - 1,
    "big": 2**63 - 1,
    "flag": True,
    "code": "ABCDEFGH",
    "notes": "long " * 1000,
    "local_at": "2024-05-01T06:00:00.5+02:00",
    "at_time": "23:59:59.999999",
    "uid": "12345678-1234-5678-1234-567812345678",
}
ANSWERED = EVERY_TYPE | {
    "taken_at": "2024-05-01T04:00:00.123456Z",
    "price": "-123456.78",
    "local_at": "2024-05-01T04:00:00.500000Z",
    "at_time": "23:59:59.999999Z",
}


def test_every_type_through_every_route(backend: Backend) -> None:
    client = backend.client(reading_router(backend, filters=True, sort=True, cursor=True, count=True, etag=True))
    assert client.post("/readings/", json=READING).status_code == 200
    created = client.post("/readings/", json=EVERY_TYPE)
    assert created.json() == ANSWERED | {"id": 2}, created.text
    assert client.get("/readings/2").json() == ANSWERED | {"id": 2}
    for name, value in EVERY_TYPE.items():
        if name == "data":
            continue  # JSON has no filters
        found = client.get("/readings/", params={name: value})
        assert [row["id"] for row in found.json()] == [2], (name, found.text)
        ascending = [row["id"] for row in client.get("/readings/", params={"sort": name}).json()]
        descending = [row["id"] for row in client.get("/readings/", params={"sort": f"-{name}"}).json()]
        assert sorted(ascending) == [1, 2], name
        assert descending == ascending[::-1], name
        for sort, expected in ((name, ascending), (f"-{name}", descending)):
            walked, url = [], f"/readings/?sort={sort}&limit=1"
            while url:
                page = client.get(url)
                walked += [row["id"] for row in page.json()]
                url = page.links.get("next", {}).get("url")
            assert walked == expected, sort
    tag = client.get("/readings/1").headers["etag"]
    changed = client.patch("/readings/1", json=EVERY_TYPE, headers={"If-Match": tag})
    assert changed.json() == ANSWERED | {"id": 1}, changed.text
    assert client.patch("/readings/1", json={"big": -(2**63)}).json()["big"] == -(2**63)
    # A time of day is UTC too: an offset is applied, and the answer ends in Z.
    assert client.patch("/readings/1", json={"at_time": "12:00:00+02:00"}).json()["at_time"] == "10:00:00Z"
    assert client.delete("/readings/1", headers={"If-Match": changed.headers["etag"]}).status_code == 412
    # A hash If-Match compares every column with what was read, naive datetimes and times too.
    current = client.get("/readings/2").headers["etag"]
    assert client.delete("/readings/2", headers={"If-Match": current}).json() == {"ok": True}


def test_json_columns_are_neither_filters_nor_sort_keys(backend: Backend) -> None:
    for option in ("filters", "sort"):
        with pytest.raises(ValueError, match=f"{option}: 'data' is not a column field of ReadingPublic, or is JSON"):
            reading_router(backend, **{option: ["data"]})


def test_negative_zero_is_stored_as_zero(backend: Backend) -> None:
    """PostgreSQL keeps the sign of -0.0, SQLite and MariaDB do not: every backend answers 0.0."""
    with backend.client(reading_router(backend, filters=["ratio"])) as client:
        created = client.post("/readings/", json=READING | {"ratio": -0.0}).json()
        for answer in (created, client.get(f"/readings/{created['id']}").json()):
            assert math.copysign(1, answer["ratio"]) == 1, answer
        assert len(client.get("/readings/?ratio=-0.0").json()) == 1
