"""SQLModel's many-to-many tutorial with a link model ("Link Model with Extra Fields"),
unchanged but for its base class and the public models the routes answer with.

A hero joins any number of teams through ``HeroTeamLink``, whose primary key is both of
its foreign keys and which holds a field of its own, ``is_training``.
"""

from sqlalchemy.orm import registry
from sqlmodel import Field, Relationship, SQLModel


class Base(SQLModel, registry=registry()):
    """Tables of their own, apart from the other examples' ``hero`` and ``team`` (the test
    suite imports every example into one process). In an app of your own, derive from
    ``SQLModel`` as the tutorial does."""


# --8<-- [start:models]
class HeroTeamLink(Base, table=True):
    hero_id: int = Field(foreign_key="hero.id", primary_key=True)
    team_id: int = Field(foreign_key="team.id", primary_key=True)
    is_training: bool = False

    hero: "Hero" = Relationship(back_populates="team_links")
    team: "Team" = Relationship(back_populates="hero_links")


class Team(Base, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    headquarters: str

    hero_links: list[HeroTeamLink] = Relationship(back_populates="team")


class Hero(Base, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    secret_name: str
    age: int | None = Field(default=None, index=True)

    team_links: list[HeroTeamLink] = Relationship(back_populates="hero")


# --8<-- [end:models]
# --8<-- [start:public]
class TeamCreate(Base):
    name: str
    headquarters: str


class TeamPublic(TeamCreate):
    id: int


class TeamUpdate(Base):
    name: str | None = None
    headquarters: str | None = None


class HeroCreate(Base):
    name: str
    secret_name: str
    age: int | None = None


class HeroPublic(Base):
    id: int
    name: str
    age: int | None = None


class HeroUpdate(Base):
    name: str | None = None
    secret_name: str | None = None
    age: int | None = None


class LinkCreate(Base):
    hero_id: int
    team_id: int
    is_training: bool = False


class LinkPublic(LinkCreate):
    pass


class LinkUpdate(Base):
    is_training: bool | None = None


class LinkWithHero(LinkPublic):
    hero: HeroPublic


class LinkWithBoth(LinkWithHero):
    team: TeamPublic


class TeamPublicWithHeroes(TeamPublic):
    hero_links: list[LinkWithHero] = []


# --8<-- [end:public]
