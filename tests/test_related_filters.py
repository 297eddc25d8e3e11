"""Filters across relationships (``?guild__name=Ravens``, ``?adventurers__quests__title=``),
on every backend: many-to-one, one-to-many, many-to-many through a link table, a table
related to itself, and paths of several hops; typed, scoped, never repeating a row."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import DeclarativeBase, Mapped, aliased, mapped_column, registry, relationship
from sqlmodel import Field, Relationship, SQLModel

from sqlcrud import crud_router
from tests.conftest import Backend
from tests.models import (
    Adventurer,
    AdventurerCreate,
    AdventurerPublic,
    AdventurerUpdate,
    Guild,
    GuildCreate,
    GuildPublic,
    Quest,
    QuestAdventurer,
)

ADVENTURER_FILTERS = ["name", "guild__name", "mentor__name", "mentor__guild__name", "quests__title"]
GUILD_FILTERS = ["name", "adventurers__name", "adventurers__quests__title", "adventurers__mentor__name"]


def insert(backend: Backend, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    with backend.engine.begin() as connection:
        connection.execute(sa.insert(model.__table__), rows)  # type: ignore[attr-defined]


def seed(backend: Backend) -> None:
    """Guilds Ravens (Ann, Bob), Owls (Cy) and Empty; Di in no guild. Bob is Ann's mentee
    and on both quests, Cy is Bob's mentee and on the Dragon quest."""
    insert(backend, Guild, [{"name": "Ravens"}, {"name": "Owls"}, {"name": "Empty"}])
    insert(
        backend,
        Adventurer,
        [
            {"name": "Ann", "guild_id": 1, "mentor_id": None},
            {"name": "Bob", "guild_id": 1, "mentor_id": 1},
            {"name": "Cy", "guild_id": 2, "mentor_id": 2},
            {"name": "Di", "guild_id": None, "mentor_id": None},
        ],
    )
    insert(backend, Quest, [{"title": "Dragon"}, {"title": "Tower"}])
    insert(
        backend,
        QuestAdventurer,
        [{"quest_id": 1, "adventurer_id": 2}, {"quest_id": 2, "adventurer_id": 2}, {"quest_id": 1, "adventurer_id": 3}],
    )


def adventurers(backend: Backend, **options: Any) -> Any:
    options = {"filters": ADVENTURER_FILTERS, "count": True} | options
    public, update = AdventurerPublic, AdventurerUpdate
    return crud_router(Adventurer, AdventurerCreate, public, update, session=backend.session, **options)


def guilds(backend: Backend, **options: Any) -> Any:
    options = {"filters": GUILD_FILTERS, "count": True} | options
    return crud_router(Guild, GuildCreate, GuildPublic, GuildCreate, session=backend.session, **options)


@pytest.fixture
def client(backend: Backend) -> Iterator[TestClient]:
    seed(backend)
    with backend.client(adventurers(backend), guilds(backend)) as client:
        yield client


def ids(client: TestClient, path: str) -> list[int]:
    response = client.get(path)
    assert response.status_code == 200, response.json()
    found = [row["id"] for row in response.json()]
    assert response.headers["x-total-count"] == str(len(found))  # the count counts each row once too
    return found


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        # many-to-one
        ("/adventurers/?guild__name=Ravens", [1, 2]),
        ("/adventurers/?guild__name__icontains=OW", [3]),
        ("/adventurers/?guild__name__ne=Ravens", [3]),  # a related row that matches: Di has no guild
        ("/adventurers/?guild__name__in=Ravens&guild__name__in=Owls", [1, 2, 3]),
        ("/adventurers/?guild__name__startswith=E", []),
        # a table related to itself, and two hops
        ("/adventurers/?mentor__name=Ann", [2]),
        ("/adventurers/?mentor__name__gt=Ann", [3]),
        ("/adventurers/?mentor__guild__name=Ravens", [2, 3]),
        # many-to-many through a link table: each row once, however many related rows match
        ("/adventurers/?quests__title=Dragon", [2, 3]),
        ("/adventurers/?quests__title__in=Dragon&quests__title__in=Tower", [2, 3]),
        ("/adventurers/?quests__title__startswith=T", [2]),
        ("/adventurers/?quests__title=Dragon&guild__name=Owls", [3]),  # ANDed, as every filter
        ("/adventurers/?quests__title=Dragon&name=Bob", [2]),
        # one-to-many
        ("/guilds/?adventurers__name=Bob", [1]),
        ("/guilds/?adventurers__name__in=Ann&adventurers__name__in=Bob", [1]),
        ("/guilds/?adventurers__name__lt=Z", [1, 2]),
        ("/guilds/?adventurers__quests__title=Dragon", [1, 2]),
        ("/guilds/?adventurers__mentor__name=Bob", [2]),
        ("/guilds/?adventurers__name__ne=Ann", [1, 2]),
    ],
)
def test_a_filter_through_relationships_answers_each_matching_row_once(
    client: TestClient, path: str, expected: list[int]
) -> None:
    assert ids(client, path) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/adventurers/?quests__title=Dragon&quests__title__startswith=T", []),  # no quest is both
        ("/adventurers/?quests__title__gte=D&quests__title__lt=E", [2, 3]),
        ("/guilds/?adventurers__name=Ann&adventurers__mentor__name=Ann", []),  # Ann's mentee is Bob
        ("/guilds/?adventurers__name=Bob&adventurers__mentor__name=Ann", [1]),
        ("/guilds/?adventurers__name__gte=B&adventurers__name__lt=C", [1]),
        ("/guilds/?adventurers__quests__title=Tower&adventurers__name=Bob", [1]),
        ("/guilds/?adventurers__quests__title=Tower&adventurers__name=Cy", []),  # Cy is on the Dragon quest
        ("/guilds/?adventurers__quests__title=Dragon&adventurers__quests__title__startswith=T", []),
        ("/guilds/?adventurers__name=Cy&name=Owls", [2]),
    ],
)
def test_filters_through_one_relationship_hold_for_one_related_row(
    client: TestClient, path: str, expected: list[int]
) -> None:
    assert ids(client, path) == expected


def test_the_scope_still_holds(backend: Backend) -> None:
    seed(backend)

    def ravens_only() -> Any:
        return Adventurer.guild_id == 1

    with backend.client(adventurers(backend, scope=ravens_only)) as client:
        assert ids(client, "/adventurers/?quests__title=Dragon") == [2]
        assert ids(client, "/adventurers/?guild__name=Owls") == []

    def owls_only() -> Any:
        return Adventurer.guild_id == 2

    # The scope limits the rows listed, not the related rows a filter looks at (as documented):
    # Cy, an Owl, is listed by the name of a mentor who is out of the scope.
    with backend.client(adventurers(backend, scope=owls_only)) as client:
        assert ids(client, "/adventurers/?mentor__name=Bob") == [3]


def test_sorting_and_cursors_page_through_the_matching_rows(backend: Backend) -> None:
    seed(backend)
    insert(backend, QuestAdventurer, [{"quest_id": 1, "adventurer_id": 1}, {"quest_id": 2, "adventurer_id": 3}])
    router = adventurers(backend, sort=["name"], cursor=True, max_limit=1)
    with backend.client(router) as client:
        seen, url = [], "/adventurers/?quests__title__in=Dragon&quests__title__in=Tower&sort=-name"
        while url:
            answer = client.get(url)
            seen += [row["name"] for row in answer.json()]
            url = answer.links.get("next", {}).get("url")
        assert seen == ["Cy", "Bob", "Ann"]


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("guild__name=%00", "guild__name"),
        ("mentor__name__in=" + "&mentor__name__in=".join(["x"] * 101), "mentor__name__in"),
        ("quests__title__isnull=true", "quests__title__isnull"),  # a NOT NULL column has no isnull
        ("guild__headquarters=x", "guild__headquarters"),  # only what the router names
        ("guild__name=a&guild__name=b", "guild__name"),
    ],
)
def test_bad_values_are_a_422_naming_the_parameter(client: TestClient, query: str, param: str) -> None:
    response = client.get(f"/adventurers/?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", param]
    assert client.get("/adventurers/?guild__name=Ravens").status_code == 200


def test_openapi_types_each_parameter_from_the_related_model(backend: Backend) -> None:
    app = backend.app(adventurers(backend), guilds(backend))
    parameters = {p["name"]: p for p in app.openapi()["paths"]["/guilds/"]["get"]["parameters"]}
    assert parameters["adventurers__name__in"]["schema"]["type"] == "array"
    assert parameters["adventurers__mentor__name__gte"]["description"] == (
        "adventurers.mentor.name greater than or equal to, for a related row"
    )
    assert "adventurers__quests__title__isnull" not in parameters
    listed = {p["name"] for p in app.openapi()["paths"]["/adventurers/"]["get"]["parameters"]}
    assert {"guild__name", "guild__name__icontains", "mentor__guild__name__ne", "quests__title__in"} <= listed


def test_the_bulk_routes_take_them_too(backend: Backend) -> None:
    seed(backend)
    with backend.client(adventurers(backend, bulk=True)) as client:
        changed = client.patch("/adventurers/?quests__title=Dragon", json={"name": "On the dragon"})
        assert [row["id"] for row in changed.json()] == [2, 3]
        deleted = client.delete("/adventurers/?mentor__name=On the dragon")
        assert [row["id"] for row in deleted.json()] == [3]
        assert ids(client, "/adventurers/") == [1, 2, 4]


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (["team__name"], "'team' is not a relationship of Adventurer"),
        (["guild__motto"], "'motto' is not a column of Guild"),
        (["guild__adventurers__nope"], "'nope' is not a column of Adventurer"),
        (["guild__name__gte"], "'name' is a column of Guild, not a relationship; name fields in filters"),
        (["name__in"], "'name' is a column of Adventurer, not a relationship"),
    ],
)
def test_a_path_that_leads_to_no_column_is_refused_when_the_router_is_built(
    backend: Backend, filters: list[str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        adventurers(backend, filters=filters)


class Apart(SQLModel, registry=registry()):
    """Models built here only (no table on the backends): what filters refuse, or take."""


class Plain(DeclarativeBase):
    pass


class Label(Plain):
    __tablename__ = "label"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str]


class Shop(Apart, table=True):
    id: int | None = Field(default=None, primary_key=True)
    first__name: str  # a column's own name may hold "__"
    label_id: int | None = Field(default=None, sa_column=sa.Column(sa.ForeignKey(Label.__table__.c.id)))
    label: Label | None = Relationship(sa_relationship=relationship(Label))


class Item(Apart, table=True):
    id: int | None = Field(default=None, primary_key=True)
    shop_id: int = Field(foreign_key="shop.id")
    price: int


PRICEY = aliased(Item, sa.select(Item).where(Item.price > 100).subquery())  # type: ignore[arg-type]
Shop.pricey = relationship(PRICEY, primaryjoin=Shop.id == PRICEY.shop_id, viewonly=True)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("pricey__price", "Shop.pricey leads to an aliased class, which filters cannot type"),
        ("label__text", "Shop.label leads to a model that is not SQLModel's"),
    ],
)
def test_relationships_filters_cannot_type_are_refused(name: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        crud_router(Shop, Shop, Shop, Shop, session=lambda: None, filters=[name])


def test_a_column_whose_name_holds_two_underscores_is_its_own() -> None:
    for filters in (True, ["first__name"]):
        router = crud_router(Shop, Shop, Shop, Shop, session=lambda: None, filters=filters)
        app = FastAPI()
        app.include_router(router)
        parameters = {p["name"] for p in app.openapi()["paths"]["/shops/"]["get"]["parameters"]}
        assert {"first__name", "first__name__icontains"} <= parameters


class Odd(Apart, table=True):
    id: int | None = Field(default=None, primary_key=True)
    limit: int = 0
    age: int = 0
    age__gte: int = 0


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (["limit"], "'limit' would give ?limit=, which is the list's own parameter: leave it out"),
        (True, "'limit' would give ?limit=, which is the list's own parameter"),
        (["age", "age__gte"], "'age__gte' would give ?age__gte=, which is another filter's parameter"),
    ],
)
def test_a_filter_may_not_take_another_parameters_name(filters: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        crud_router(Odd, Odd, Odd, Odd, session=lambda: None, filters=filters)


def test_or_groups_need_the_option(client: TestClient) -> None:
    groups = [{"guild__name": "Owls"}, {"mentor__name": "Ann", "quests__title": "Tower"}]
    response = client.get("/adventurers/", params={"or": json.dumps(groups)})
    assert response.status_code == 422  # the fixture's routers have no or_groups


PLANS = {"postgresql": "EXPLAIN ", "sqlite": "EXPLAIN QUERY PLAN ", "mysql": "EXPLAIN "}
ANALYZE = {"postgresql": "ANALYZE adventurer, guild", "sqlite": "ANALYZE", "mysql": "ANALYZE TABLE adventurer, guild"}
GENERATED = {  # 300,000 adventurers in 1,000 guilds, generated by the database itself
    "postgresql": "SELECT 'a' || n, n % 1000 + 1 FROM generate_series(1, 300000) AS n",
    "sqlite": "SELECT 'a' || n, n % 1000 + 1 FROM (WITH RECURSIVE s(n) AS"
    " (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 300000) SELECT n FROM s)",
    "mysql": "SELECT CONCAT('a', seq), seq % 1000 + 1 FROM seq_1_to_300000",
}


@pytest.mark.parametrize("backend", ["pg_sync", "sqlite_sync", "mariadb_sync"], indirect=True)
def test_explain_shows_the_indexes_on_300k_rows(backend: Backend) -> None:
    """``?guild__name=g7`` on 300,000 adventurers in 1,000 guilds: the database finds the
    guild by the index on its name, then its adventurers by the index on ``guild_id``."""
    dialect = backend.engine.dialect.name
    with backend.engine.begin() as connection:
        connection.execute(sa.insert(Guild.__table__), [{"id": i + 1, "name": f"g{i}"} for i in range(1000)])  # type: ignore[attr-defined]
        connection.execute(sa.text(f"INSERT INTO adventurer (name, guild_id) {GENERATED[dialect]}"))
        connection.exec_driver_sql(ANALYZE[dialect])
    listed, plan = explained(backend, adventurers(backend), "/adventurers/?guild__name=g7")
    assert [row["guild_id"] for row in listed.json()] == [8] * 100
    assert "ix_guild_name" in plan, plan
    assert "ix_adventurer_guild_id" in plan, plan


def explained(backend: Backend, router: Any, url: str) -> tuple[Any, str]:
    """The answer to a GET of ``url``, and the database's plan of the list's SELECT."""
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append((statement, parameters))

    sa.event.listen(backend.app_engine, "before_cursor_execute", record)
    try:
        with backend.client(router) as client:
            answer = client.get(url)
    finally:
        sa.event.remove(backend.app_engine, "before_cursor_execute", record)
    ((page, parameters),) = [(statement, parameters) for statement, parameters in sent if "ORDER BY" in statement]
    with backend.engine.connect() as connection:
        plan = " ".join(
            str(row) for row in connection.exec_driver_sql(PLANS[backend.engine.dialect.name] + page, parameters)
        )
    return answer, plan


def test_a_relationship_with_a_join_condition_of_its_own_keeps_it(backend: Backend) -> None:
    """``Guild.leaders``: adventurers of the guild without a mentor (an ``EXISTS``)."""
    seed(backend)
    with backend.client(guilds(backend, filters=["leaders__name"])) as client:
        assert ids(client, "/guilds/?leaders__name=Ann") == [1]
        assert ids(client, "/guilds/?leaders__name=Bob") == []
        assert ids(client, "/guilds/?leaders__name__in=Ann&leaders__name__in=Cy") == [1]
