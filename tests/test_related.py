"""Related rows nested in the public model: loaded eagerly, in a fixed number of statements."""

from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import Field
from sqlmodel import SQLModel

from sqlcrud import crud_router
from tests.conftest import Backend
from tests.models import (
    Adventurer,
    AdventurerCreate,
    AdventurerInFull,
    AdventurerPublic,
    AdventurerUpdate,
    AdventurerWithGuild,
    Guild,
    GuildCreate,
    GuildInFull,
    GuildPublic,
    GuildWithAdventurers,
    Quest,
    QuestAdventurer,
    QuestPublic,
)
from tests.test_statements import statements


def guild_router(backend: Backend, public: type[SQLModel] = GuildInFull, **options: Any) -> Any:
    return crud_router(Guild, GuildCreate, public, GuildCreate, session=backend.session, **options)


def adventurer_router(backend: Backend, public: type[SQLModel] = AdventurerInFull, **options: Any) -> Any:
    return crud_router(Adventurer, AdventurerCreate, public, AdventurerUpdate, session=backend.session, **options)


def insert(backend: Backend, model: Any, rows: list[dict[str, Any]]) -> None:
    with backend.engine.begin() as connection:
        connection.execute(sa.insert(model.__table__), rows)


def seed(backend: Backend, adventurers: int = 3) -> None:
    """Guild 1 with ``adventurers`` adventurers named in reverse order of their ids; guild 2 empty.

    Adventurer 2 is mentored by adventurer 1 and is on quests 1 and 2.
    """
    insert(backend, Guild, [{"name": "Ravens"}, {"name": "Empty"}])
    insert(backend, Adventurer, [{"name": f"m{adventurers - i:03}", "guild_id": 1} for i in range(adventurers)])
    insert(backend, Quest, [{"title": "Dragon"}, {"title": "Tower"}])
    with backend.engine.begin() as connection:
        connection.execute(sa.update(Adventurer.__table__).where(Adventurer.__table__.c.id == 2).values(mentor_id=1))  # type: ignore[attr-defined]
    insert(backend, QuestAdventurer, [{"quest_id": 1, "adventurer_id": 2}, {"quest_id": 2, "adventurer_id": 2}])


RAVENS = {"id": 1, "name": "Ravens"}
QUESTS = [{"id": 1, "title": "Dragon"}, {"id": 2, "title": "Tower"}]


def test_every_route_nests_what_the_public_model_declares(backend: Backend) -> None:
    seed(backend)
    with backend.client(adventurer_router(backend)) as client:
        created = client.post("/adventurers/", json={"name": "new", "guild_id": 1, "mentor_id": 2})
        m001 = {"id": 3, "name": "m001", "guild_id": 1}
        m002 = {"id": 2, "name": "m002", "guild_id": 1}
        assert created.json() == {
            "id": 4, "name": "new", "guild_id": 1, "guild": RAVENS, "mentor": m002, "quests": [],
        }  # fmt: skip
        assert client.get("/adventurers/2").json() == m002 | {
            "guild": RAVENS, "mentor": {"id": 1, "name": "m003", "guild_id": 1}, "quests": QUESTS,
        }  # fmt: skip
        patched = client.patch("/adventurers/3", json={"guild_id": None, "mentor_id": 3})
        assert patched.json() == m001 | {
            "guild_id": None,
            "guild": None,
            "mentor": m001 | {"guild_id": None},
            "quests": [],
        }
        listed = client.get("/adventurers/").json()
        assert [(m["id"], m["guild"], len(m["quests"])) for m in listed] == [
            (1, RAVENS, 0),
            (2, RAVENS, 2),
            (3, None, 0),
            (4, RAVENS, 0),
        ]


def test_nesting_to_depth_two_in_the_relationships_order(backend: Backend) -> None:
    seed(backend)
    with backend.client(guild_router(backend)) as client:
        guild = client.get("/guilds/1").json()
        assert [adventurer["name"] for adventurer in guild["adventurers"]] == ["m001", "m002", "m003"]  # order_by name
        assert guild["adventurers"][1]["quests"] == QUESTS
        assert guild["adventurers"][1]["mentor"]["name"] == "m003"
        assert {adventurer["guild"]["name"] for adventurer in guild["adventurers"]} == {"Ravens"}
        assert client.get("/guilds/2").json() == {"id": 2, "name": "Empty", "adventurers": []}
        assert client.post("/guilds/", json={"name": "New"}).json() == {"id": 3, "name": "New", "adventurers": []}


@pytest.mark.parametrize("size", [1, 10, 100])
def test_statements_do_not_grow_with_the_page(backend: Backend, size: int) -> None:
    seed(backend, adventurers=100)
    insert(backend, Guild, [{"name": f"g{i}"} for i in range(100)])
    with backend.client(adventurer_router(backend), guild_router(backend, count=True)) as client:
        with statements(backend.app_engine) as sent:
            assert len(client.get(f"/adventurers/?limit={size}").json()) == size
        assert sent == ["SELECT"] * 4  # adventurers, then their guilds, mentors and quests
        with statements(backend.app_engine) as sent:
            assert len(client.get(f"/guilds/?limit={size}").json()) == size
        assert sent == ["SELECT"] * 6  # guilds, count, adventurers, then theirs
        with statements(backend.app_engine) as sent:
            client.patch("/adventurers/2", json={"name": "renamed"})
        assert sent == [*backend.updated, "SELECT", "SELECT", "SELECT"]


def test_a_level_without_rows_sends_nothing_below_it(backend: Backend) -> None:
    seed(backend)
    with backend.client(guild_router(backend)) as client, statements(backend.app_engine) as sent:
        assert client.get("/guilds/2").json()["adventurers"] == []
    assert sent == ["SELECT", "SELECT"]


@pytest.mark.parametrize(("cap", "names"), [(2, ["m001", "m002"]), (None, ["m001", "m002", "m003", "m004", "m005"])])
def test_max_related_caps_each_nested_list(backend: Backend, cap: int | None, names: list[str]) -> None:
    seed(backend, adventurers=5)
    insert(backend, Adventurer, [{"name": "other", "guild_id": 2}])
    with backend.client(guild_router(backend, GuildWithAdventurers, max_related=cap)) as client:
        guilds = client.get("/guilds/").json()
        assert [adventurer["name"] for adventurer in guilds[0]["adventurers"]] == names
        assert [adventurer["name"] for adventurer in guilds[1]["adventurers"]] == ["other"]
        assert client.get("/guilds/1").json() == guilds[0]


def test_read_model_nests_only_in_the_read_route(backend: Backend) -> None:
    seed(backend)
    router = adventurer_router(backend, AdventurerPublic, read_model=AdventurerWithGuild)
    with backend.client(router) as client:
        assert client.get("/adventurers/1").json() == {"id": 1, "name": "m003", "guild_id": 1, "guild": RAVENS}
        assert "guild" not in client.get("/adventurers/").json()[0]
        assert "guild" not in client.patch("/adventurers/1", json={"name": "x"}).json()
        assert "guild" not in client.post("/adventurers/", json={"name": "y"}).json()
        paths = client.get("/openapi.json").json()["paths"]
        read = paths["/adventurers/{adventurer_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert read == {"$ref": "#/components/schemas/AdventurerWithGuild"}


def test_foreign_keys_are_checked_by_the_database(backend: Backend) -> None:
    seed(backend)
    with backend.client(adventurer_router(backend), guild_router(backend)) as client:
        assert client.post("/adventurers/", json={"name": "lost", "guild_id": 99}).status_code == 409
        assert client.patch("/adventurers/1", json={"guild_id": 99}).status_code == 409
        assert client.get("/adventurers/1").json()["guild"] == RAVENS
        assert len(client.get("/adventurers/").json()) == 3
        assert client.delete("/guilds/1").status_code == 409  # it still has adventurers
        assert client.delete("/adventurers/1").status_code == 409  # it mentors adventurer 2
        assert client.delete("/adventurers/2").json() == {"ok": True}  # its quest links go: ondelete="CASCADE"
    with backend.engine.connect() as connection:
        links = connection.execute(sa.select(sa.func.count()).select_from(QuestAdventurer)).scalar_one()
    assert links == 0


class GuildRenamed(SQLModel):
    id: int
    name: str = Field(serialization_alias="title")


class AdventurerWithRenamedGuild(AdventurerPublic):
    guild: GuildRenamed | None = None


def test_nested_models_that_change_their_output_are_validated(backend: Backend) -> None:
    seed(backend)
    with backend.client(adventurer_router(backend, AdventurerWithRenamedGuild)) as client:
        assert client.get("/adventurers/1").json()["guild"] == {"id": 1, "title": "Ravens"}


class HeroesAsInt(AdventurerPublic):
    guild: int | None = None


class GuildAsList(AdventurerPublic):
    guild: list[GuildPublic] = Field(default_factory=list)


class AdventurersAsOne(GuildPublic):
    adventurers: AdventurerPublic | None = None


class AdventurerWithoutKey(SQLModel):
    name: str
    guild: GuildPublic | None = None


class NestsItself(AdventurerPublic):
    mentor: "NestsItself | None" = None


@pytest.mark.parametrize(
    ("table", "public", "options", "message"),
    [
        (Adventurer, HeroesAsInt, {}, "HeroesAsInt.guild is a relationship: type it with a public model"),
        (Adventurer, GuildAsList, {}, "GuildAsList.guild: the relationship gives one row or None, not a list"),
        (Guild, AdventurersAsOne, {}, "AdventurersAsOne.adventurers: the relationship gives a list"),
        (
            Adventurer,
            AdventurerWithoutKey,
            {},
            "AdventurerWithoutKey nests related rows, so it needs the primary key field 'id'",
        ),
        (Adventurer, NestsItself, {}, "NestsItself nests itself"),
        (
            Adventurer,
            AdventurerPublic,
            {"read_model": AdventurerWithGuild, "etag": True},
            "use etag='<version column>'",
        ),
        (Adventurer, AdventurerPublic, {"max_related": 0}, "max_related must be at least 1 or None, not 0"),
    ],
)
def test_models_that_cannot_be_loaded_are_refused(
    table: Any, public: type[SQLModel], options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("[", r"\[")):
        crud_router(table, AdventurerCreate, public, AdventurerUpdate, session=lambda: None, **options)


def test_quests_list_their_adventurers(backend: Backend) -> None:
    """Many-to-many from the other side, through the link table."""

    class QuestWithAdventurers(QuestPublic):
        adventurers: list[AdventurerPublic] = Field(default_factory=list)

    seed(backend)
    router = crud_router(Quest, QuestPublic, QuestWithAdventurers, QuestPublic, session=backend.session)
    with backend.client(router) as client:
        quests = client.get("/quests/").json()
    assert [[adventurer["id"] for adventurer in quest["adventurers"]] for quest in quests] == [[2], [2]]


def test_nested_rows_follow_a_changed_foreign_key(backend: Backend) -> None:
    seed(backend)
    with backend.client(adventurer_router(backend, AdventurerWithGuild)) as client:
        client.patch("/adventurers/1", json={"guild_id": 2})
        assert client.get("/adventurers/1").json()["guild"] == {"id": 2, "name": "Empty"}
        assert client.get("/adventurers/?limit=1").json()[0]["guild"] == {"id": 2, "name": "Empty"}
