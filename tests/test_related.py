"""Related rows nested in the public model: loaded eagerly, in a fixed number of statements."""

from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import Field
from sqlmodel import SQLModel

from sqlcrud import crud_router
from tests.conftest import Backend
from tests.models import (
    Guild,
    GuildCreate,
    GuildInFull,
    GuildPublic,
    GuildWithMembers,
    Member,
    MemberCreate,
    MemberInFull,
    MemberPublic,
    MemberUpdate,
    MemberWithGuild,
    Quest,
    QuestMember,
    QuestPublic,
)
from tests.test_statements import statements


def guild_router(backend: Backend, public: type[SQLModel] = GuildInFull, **options: Any) -> Any:
    return crud_router(Guild, GuildCreate, public, GuildCreate, session=backend.session, **options)


def member_router(backend: Backend, public: type[SQLModel] = MemberInFull, **options: Any) -> Any:
    return crud_router(Member, MemberCreate, public, MemberUpdate, session=backend.session, **options)


def insert(backend: Backend, model: Any, rows: list[dict[str, Any]]) -> None:
    with backend.engine.begin() as connection:
        connection.execute(sa.insert(model.__table__), rows)


def seed(backend: Backend, members: int = 3) -> None:
    """Guild 1 with ``members`` members named in reverse order of their ids; guild 2 empty.

    Member 2 is mentored by member 1 and is on quests 1 and 2.
    """
    insert(backend, Guild, [{"name": "Ravens"}, {"name": "Empty"}])
    insert(backend, Member, [{"name": f"m{members - i:03}", "guild_id": 1} for i in range(members)])
    insert(backend, Quest, [{"title": "Dragon"}, {"title": "Tower"}])
    with backend.engine.begin() as connection:
        connection.execute(sa.update(Member.__table__).where(Member.__table__.c.id == 2).values(mentor_id=1))  # type: ignore[attr-defined]
    insert(backend, QuestMember, [{"quest_id": 1, "member_id": 2}, {"quest_id": 2, "member_id": 2}])


RAVENS = {"id": 1, "name": "Ravens"}
QUESTS = [{"id": 1, "title": "Dragon"}, {"id": 2, "title": "Tower"}]


def test_every_route_nests_what_the_public_model_declares(backend: Backend) -> None:
    seed(backend)
    with backend.client(member_router(backend)) as client:
        created = client.post("/members/", json={"name": "new", "guild_id": 1, "mentor_id": 2})
        m001 = {"id": 3, "name": "m001", "guild_id": 1}
        m002 = {"id": 2, "name": "m002", "guild_id": 1}
        assert created.json() == {
            "id": 4, "name": "new", "guild_id": 1, "guild": RAVENS, "mentor": m002, "quests": [],
        }  # fmt: skip
        assert client.get("/members/2").json() == m002 | {
            "guild": RAVENS, "mentor": {"id": 1, "name": "m003", "guild_id": 1}, "quests": QUESTS,
        }  # fmt: skip
        patched = client.patch("/members/3", json={"guild_id": None, "mentor_id": 3})
        assert patched.json() == m001 | {
            "guild_id": None,
            "guild": None,
            "mentor": m001 | {"guild_id": None},
            "quests": [],
        }
        listed = client.get("/members/").json()
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
        assert [member["name"] for member in guild["members"]] == ["m001", "m002", "m003"]  # order_by name
        assert guild["members"][1]["quests"] == QUESTS
        assert guild["members"][1]["mentor"]["name"] == "m003"
        assert {member["guild"]["name"] for member in guild["members"]} == {"Ravens"}
        assert client.get("/guilds/2").json() == {"id": 2, "name": "Empty", "members": []}
        assert client.post("/guilds/", json={"name": "New"}).json() == {"id": 3, "name": "New", "members": []}


@pytest.mark.parametrize("size", [1, 10, 100])
def test_statements_do_not_grow_with_the_page(backend: Backend, size: int) -> None:
    seed(backend, members=100)
    insert(backend, Guild, [{"name": f"g{i}"} for i in range(100)])
    with backend.client(member_router(backend), guild_router(backend, count=True)) as client:
        with statements(backend.app_engine) as sent:
            assert len(client.get(f"/members/?limit={size}").json()) == size
        assert sent == ["SELECT"] * 4  # members, then their guilds, mentors and quests
        with statements(backend.app_engine) as sent:
            assert len(client.get(f"/guilds/?limit={size}").json()) == size
        assert sent == ["SELECT"] * 6  # guilds, count, members, then theirs
        with statements(backend.app_engine) as sent:
            client.patch("/members/2", json={"name": "renamed"})
        assert sent == ["UPDATE", "SELECT", "SELECT", "SELECT"]


def test_a_level_without_rows_sends_nothing_below_it(backend: Backend) -> None:
    seed(backend)
    with backend.client(guild_router(backend)) as client, statements(backend.app_engine) as sent:
        assert client.get("/guilds/2").json()["members"] == []
    assert sent == ["SELECT", "SELECT"]


@pytest.mark.parametrize(("cap", "names"), [(2, ["m001", "m002"]), (None, ["m001", "m002", "m003", "m004", "m005"])])
def test_max_related_caps_each_nested_list(backend: Backend, cap: int | None, names: list[str]) -> None:
    seed(backend, members=5)
    insert(backend, Member, [{"name": "other", "guild_id": 2}])
    with backend.client(guild_router(backend, GuildWithMembers, max_related=cap)) as client:
        guilds = client.get("/guilds/").json()
        assert [member["name"] for member in guilds[0]["members"]] == names
        assert [member["name"] for member in guilds[1]["members"]] == ["other"]
        assert client.get("/guilds/1").json() == guilds[0]


def test_read_model_nests_only_in_the_read_route(backend: Backend) -> None:
    seed(backend)
    router = member_router(backend, MemberPublic, read_model=MemberWithGuild)
    with backend.client(router) as client:
        assert client.get("/members/1").json() == {"id": 1, "name": "m003", "guild_id": 1, "guild": RAVENS}
        assert "guild" not in client.get("/members/").json()[0]
        assert "guild" not in client.patch("/members/1", json={"name": "x"}).json()
        assert "guild" not in client.post("/members/", json={"name": "y"}).json()
        paths = client.get("/openapi.json").json()["paths"]
        read = paths["/members/{member_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert read == {"$ref": "#/components/schemas/MemberWithGuild"}


def test_foreign_keys_are_checked_by_the_database(backend: Backend) -> None:
    seed(backend)
    with backend.client(member_router(backend), guild_router(backend)) as client:
        assert client.post("/members/", json={"name": "lost", "guild_id": 99}).status_code == 409
        assert client.patch("/members/1", json={"guild_id": 99}).status_code == 409
        assert client.get("/members/1").json()["guild"] == RAVENS
        assert len(client.get("/members/").json()) == 3
        assert client.delete("/guilds/1").status_code == 409  # it still has members
        assert client.delete("/members/1").status_code == 409  # it mentors member 2
        assert client.delete("/members/2").json() == {"ok": True}  # its quest links go: ondelete="CASCADE"
    with backend.engine.connect() as connection:
        links = connection.execute(sa.select(sa.func.count()).select_from(QuestMember)).scalar_one()
    assert links == 0


class GuildRenamed(SQLModel):
    id: int
    name: str = Field(serialization_alias="title")


class MemberWithRenamedGuild(MemberPublic):
    guild: GuildRenamed | None = None


def test_nested_models_that_change_their_output_are_validated(backend: Backend) -> None:
    seed(backend)
    with backend.client(member_router(backend, MemberWithRenamedGuild)) as client:
        assert client.get("/members/1").json()["guild"] == {"id": 1, "title": "Ravens"}


class HeroesAsInt(MemberPublic):
    guild: int | None = None


class GuildAsList(MemberPublic):
    guild: list[GuildPublic] = Field(default_factory=list)


class MembersAsOne(GuildPublic):
    members: MemberPublic | None = None


class MemberWithoutKey(SQLModel):
    name: str
    guild: GuildPublic | None = None


class NestsItself(MemberPublic):
    mentor: "NestsItself | None" = None


@pytest.mark.parametrize(
    ("table", "public", "options", "message"),
    [
        (Member, HeroesAsInt, {}, "HeroesAsInt.guild is a relationship: type it with a public model"),
        (Member, GuildAsList, {}, "GuildAsList.guild: the relationship gives one row or None, not a list"),
        (Guild, MembersAsOne, {}, "MembersAsOne.members: the relationship gives a list"),
        (Member, MemberWithoutKey, {}, "MemberWithoutKey nests related rows, so it needs the primary key field 'id'"),
        (Member, NestsItself, {}, "NestsItself nests itself"),
        (Member, MemberPublic, {"read_model": MemberWithGuild, "etag": True}, "use etag='<version column>'"),
        (Member, MemberPublic, {"max_related": 0}, "max_related must be at least 1 or None, not 0"),
    ],
)
def test_models_that_cannot_be_loaded_are_refused(
    table: Any, public: type[SQLModel], options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("[", r"\[")):
        crud_router(table, MemberCreate, public, MemberUpdate, session=lambda: None, **options)


def test_quests_list_their_members(backend: Backend) -> None:
    """Many-to-many from the other side, through the link table."""

    class QuestWithMembers(QuestPublic):
        members: list[MemberPublic] = Field(default_factory=list)

    seed(backend)
    router = crud_router(Quest, QuestPublic, QuestWithMembers, QuestPublic, session=backend.session)
    with backend.client(router) as client:
        quests = client.get("/quests/").json()
    assert [[member["id"] for member in quest["members"]] for quest in quests] == [[2], [2]]


def test_nested_rows_follow_a_changed_foreign_key(backend: Backend) -> None:
    seed(backend)
    with backend.client(member_router(backend, MemberWithGuild)) as client:
        client.patch("/members/1", json={"guild_id": 2})
        assert client.get("/members/1").json()["guild"] == {"id": 2, "name": "Empty"}
        assert client.get("/members/?limit=1").json()[0]["guild"] == {"id": 2, "name": "Empty"}
