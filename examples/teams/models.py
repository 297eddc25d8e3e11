"""SQLModel's team/hero tutorial models ("Models with Relationships in FastAPI"), unchanged
but for their base class.

``Team`` has many ``Hero``s. ``HeroPublicWithTeam`` and ``TeamPublicWithHeroes`` nest
the related rows; sqlcrud loads them when a router answers with those models.
"""

from sqlalchemy.orm import registry
from sqlmodel import Field, Relationship, SQLModel


class Base(SQLModel, registry=registry()):
    """Tables of their own, apart from the hero example's ``hero`` table (the test
    suite imports both examples into one process). In an app of your own, derive
    from ``SQLModel`` as the tutorial does."""


# --8<-- [start:models]
class TeamBase(Base):
    name: str = Field(index=True)
    headquarters: str


class Team(TeamBase, table=True):
    id: int | None = Field(default=None, primary_key=True)

    heroes: list["Hero"] = Relationship(back_populates="team")


class TeamCreate(TeamBase):
    pass


class TeamPublic(TeamBase):
    id: int


class TeamUpdate(Base):
    id: int | None = None
    name: str | None = None
    headquarters: str | None = None


class HeroBase(Base):
    name: str = Field(index=True)
    secret_name: str
    age: int | None = Field(default=None, index=True)

    team_id: int | None = Field(default=None, foreign_key="team.id")


class Hero(HeroBase, table=True):
    id: int | None = Field(default=None, primary_key=True)

    team: Team | None = Relationship(back_populates="heroes")


class HeroPublic(HeroBase):
    id: int


class HeroCreate(HeroBase):
    pass


class HeroUpdate(Base):
    name: str | None = None
    secret_name: str | None = None
    age: int | None = None
    team_id: int | None = None


class HeroPublicWithTeam(HeroPublic):
    team: TeamPublic | None = None


class TeamPublicWithHeroes(TeamPublic):
    heroes: list[HeroPublic] = []


# --8<-- [end:models]
