"""Tables for the tests, beside the example's ``Hero``: other key types and constraints."""

import datetime
import decimal
import uuid
from enum import Enum
from typing import Annotated, Any

from pydantic import StringConstraints
from sqlalchemy import JSON, BigInteger, Column, DateTime, Double, SmallInteger, String, Text, Time, TypeDecorator
from sqlalchemy.dialects import mysql
from sqlmodel import Field, Relationship, SQLModel


class Color(str, Enum):
    red = "red"
    green = "green"
    blue = "blue"


class GadgetBase(SQLModel):
    serial: str = Field(unique=True, max_length=40)
    color: Color
    made_on: datetime.date
    price: float = Field(ge=0)
    stock: int = Field(default=0, ge=0, sa_type=SmallInteger)


class Gadget(GadgetBase, table=True):
    """A UUID key made by ``default_factory``, a unique column, an enum, a date."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


class GadgetCreate(GadgetBase):
    pass


class GadgetPublic(GadgetBase):
    id: uuid.UUID


class GadgetUpdate(SQLModel):
    serial: str | None = Field(default=None, max_length=40)
    color: Color | None = None
    made_on: datetime.date | None = None
    price: float | None = Field(default=None, ge=0)
    stock: int | None = Field(default=None, ge=0)


class Country(SQLModel, table=True):
    """A key the client chooses: a string."""

    code: str = Field(primary_key=True, max_length=2)
    name: str = Field(unique=True)
    population: int = Field(default=0, ge=0, sa_type=BigInteger)


class CountryCreate(SQLModel):
    code: str = Field(min_length=2, max_length=2)
    name: str
    population: int = Field(default=0, ge=0)


class CountryPublic(SQLModel):
    code: str
    name: str
    population: int


class CountryUpdate(SQLModel):
    name: str | None = None
    population: int | None = Field(default=None, ge=0)


class City(SQLModel, table=True):
    """A foreign key: a city's country must exist, and a country with cities stays."""

    id: int | None = Field(default=None, primary_key=True)
    name: str
    country_code: str = Field(foreign_key="country.code", max_length=2)


class CityCreate(SQLModel):
    name: str
    country_code: str


class CityPublic(SQLModel):
    id: int
    name: str
    country_code: str


class CityUpdate(SQLModel):
    name: str | None = None
    country_code: str | None = None


class Document(SQLModel, table=True):
    """A version column, for ``etag="version"``."""

    id: int | None = Field(default=None, primary_key=True)
    title: str
    version: int = 0


class DocumentCreate(SQLModel):
    title: str


class DocumentPublic(SQLModel):
    id: int
    title: str
    version: int


class DocumentUpdate(SQLModel):
    title: str | None = None


# Relationships: a guild has adventurers (ordered by name), a adventurer may have a mentor (a
# adventurer of the same table) and any number of quests through a link table.
class QuestAdventurer(SQLModel, table=True):
    quest_id: int = Field(foreign_key="quest.id", primary_key=True)
    adventurer_id: int = Field(foreign_key="adventurer.id", primary_key=True, ondelete="CASCADE")


class Guild(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    adventurers: list["Adventurer"] = Relationship(
        back_populates="guild", sa_relationship_kwargs={"order_by": "Adventurer.name"}
    )
    # A join condition beyond the foreign key: the guild's adventurers without a mentor.
    leaders: list["Adventurer"] = Relationship(
        sa_relationship_kwargs={
            "primaryjoin": "and_(Guild.id == Adventurer.guild_id, Adventurer.mentor_id == None)",
            "viewonly": True,
        }
    )


class Adventurer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str
    guild_id: int | None = Field(default=None, foreign_key="guild.id", index=True)
    mentor_id: int | None = Field(default=None, foreign_key="adventurer.id")
    guild: Guild | None = Relationship(back_populates="adventurers")
    mentor: "Adventurer" = Relationship(sa_relationship_kwargs={"remote_side": "Adventurer.id"})
    quests: list["Quest"] = Relationship(back_populates="adventurers", link_model=QuestAdventurer)


class Quest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    adventurers: list[Adventurer] = Relationship(back_populates="quests", link_model=QuestAdventurer)


class GuildCreate(SQLModel):
    name: str


class GuildPublic(SQLModel):
    id: int
    name: str


class AdventurerCreate(SQLModel):
    name: str
    guild_id: int | None = None
    mentor_id: int | None = None


class AdventurerUpdate(SQLModel):
    name: str | None = None
    guild_id: int | None = None
    mentor_id: int | None = None


class AdventurerPublic(SQLModel):
    id: int
    name: str
    guild_id: int | None


class QuestPublic(SQLModel):
    id: int
    title: str


class AdventurerWithGuild(AdventurerPublic):
    guild: GuildPublic | None = None


class AdventurerInFull(AdventurerPublic):
    guild: GuildPublic | None = None
    mentor: AdventurerPublic | None = None
    quests: list[QuestPublic] = []


class GuildWithAdventurers(GuildPublic):
    adventurers: list[AdventurerPublic] = []


class GuildInFull(GuildPublic):
    adventurers: list[AdventurerInFull] = []


# Every kind of column a real table has, for the hostile-input catalogue (test_hostile).
class Level(str, Enum):
    low = "L"  # names unlike the values: the order must not depend on which one a database keeps
    high = "H"


# MariaDB's DATETIME and TIME keep microseconds only where the column is declared with them.
MOMENT = DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), "mariadb", "mysql")
LOCAL_MOMENT = DateTime(timezone=False).with_variant(mysql.DATETIME(fsp=6), "mariadb", "mysql")
TIME_OF_DAY = Time().with_variant(mysql.TIME(fsp=6), "mariadb", "mysql")


class ReadingBase(SQLModel):
    """Every type SQLModel maps, with the options that change what a column holds."""

    label: str = Field(index=True)  # indexed text without max_length, as the tutorial's name
    taken_at: datetime.datetime = Field(sa_type=MOMENT)
    taken_on: datetime.date | None = None
    price: decimal.Decimal = Field(default=0, max_digits=8, decimal_places=2)
    ratio: float = Field(default=0.0, sa_type=Double)  # MariaDB's FLOAT holds single precision
    level: Level = Level.low
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    count: int = 0
    small: int = Field(default=0, sa_type=SmallInteger)
    big: int = Field(default=0, sa_type=BigInteger)
    flag: bool = False
    code: str = Field(default="", max_length=8)
    notes: str = Field(default="", sa_type=Text)
    local_at: datetime.datetime | None = Field(default=None, sa_type=LOCAL_MOMENT)
    at_time: datetime.time | None = Field(default=None, sa_type=TIME_OF_DAY)
    uid: uuid.UUID = Field(default_factory=uuid.uuid4)


class Reading(ReadingBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class ReadingCreate(ReadingBase):
    pass


class ReadingPublic(ReadingBase):
    id: int


class ReadingUpdate(SQLModel):
    label: str | None = None
    taken_at: datetime.datetime | None = None
    taken_on: datetime.date | None = None
    price: decimal.Decimal | None = None
    ratio: float | None = None
    level: Level | None = None
    data: dict[str, Any] | None = None
    count: int | None = None
    small: int | None = None
    big: int | None = None
    flag: bool | None = None
    code: str | None = None
    notes: str | None = None
    local_at: datetime.datetime | None = None
    at_time: datetime.time | None = None
    uid: uuid.UUID | None = None


class Label(SQLModel, table=True):
    """An indexed column whose declared length is more than PostgreSQL's index holds."""

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(index=True, max_length=5000)


class LabelCreate(SQLModel):
    text: str


class LabelPublic(SQLModel):
    id: int
    text: str


class Lowercase(TypeDecorator[str]):
    """A planted defect: a column type that lower-cases what it stores, and fails on null."""

    impl = String(255)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return value.lower()


class Member(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str | None = Field(default=None, sa_column=Column(Lowercase))


class MemberCreate(SQLModel):
    email: str | None = None


class MemberPublic(SQLModel):
    id: int
    email: str | None


class Parcel(SQLModel, table=True):
    """A create model with a pattern the check's own text values never match."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=9, unique=True)
    weight: int = 1


class ParcelCreate(SQLModel):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}-\d{4}$")]
    weight: int = Field(default=1, ge=1, le=1000)


class ParcelPublic(SQLModel):
    id: int
    code: str
    weight: int


class ParcelUpdate(SQLModel):
    weight: int | None = Field(default=None, ge=1, le=1000)


# Composite primary keys: a link table's two foreign keys, with a field of its own and both
# sides nested, and a key of three columns of three types.
class Enlistment(SQLModel, table=True):
    """A link row with a field of its own: an adventurer on a quest, in a role."""

    quest_id: int = Field(foreign_key="quest.id", primary_key=True)
    adventurer_id: int = Field(foreign_key="adventurer.id", primary_key=True)
    role: str = Field(default="member", max_length=20)
    quest: Quest = Relationship()
    adventurer: Adventurer = Relationship()


class EnlistmentCreate(SQLModel):
    quest_id: int
    adventurer_id: int
    role: str = "member"


class EnlistmentPublic(SQLModel):
    quest_id: int
    adventurer_id: int
    role: str


class EnlistmentUpdate(SQLModel):
    quest_id: int | None = None
    adventurer_id: int | None = None
    role: str | None = None


class EnlistmentInFull(EnlistmentPublic):
    quest: QuestPublic
    adventurer: AdventurerPublic


class Booking(SQLModel, table=True):
    """A room booked for a slot of a day: a key of text the client chooses, a date and an int."""

    room: str = Field(primary_key=True, max_length=40)
    day: datetime.date = Field(primary_key=True)
    slot: int = Field(primary_key=True)
    guest: str = Field(max_length=500)
    nights: int = 1


class BookingCreate(SQLModel):
    room: str
    day: datetime.date
    slot: int = Field(ge=0, le=23)
    guest: str
    nights: int = Field(default=1, ge=1, le=30)


class BookingPublic(SQLModel):
    room: str
    day: datetime.date
    slot: int
    guest: str
    nights: int


class BookingUpdate(SQLModel):
    guest: str | None = None
    nights: int | None = Field(default=None, ge=1, le=30)
