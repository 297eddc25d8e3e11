"""Keys other than a database-made integer: a UUID, and a string the client picks."""

import uuid

from fastapi import FastAPI
from sqlmodel import Field, SQLModel

from examples.heroes.app import get_session, lifespan
from sqlcrud import crud_router


# --8<-- [start:uuid]
class MissionBase(SQLModel):
    title: str


class Mission(MissionBase, table=True):
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)


class MissionCreate(MissionBase):
    pass


class MissionPublic(MissionBase):
    id: uuid.UUID


class MissionUpdate(SQLModel):
    title: str | None = None


# --8<-- [end:uuid]


# --8<-- [start:string]
class Currency(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=3)
    name: str


class CurrencyCreate(SQLModel):
    code: str = Field(min_length=3, max_length=3)
    name: str


class CurrencyPublic(SQLModel):
    code: str
    name: str


class CurrencyUpdate(SQLModel):
    name: str | None = None


# --8<-- [end:string]


# --8<-- [start:routers]
app = FastAPI(lifespan=lifespan)
app.include_router(
    crud_router(
        Mission, MissionCreate, MissionPublic, MissionUpdate, session=get_session
    )
)
app.include_router(
    crud_router(
        Currency, CurrencyCreate, CurrencyPublic, CurrencyUpdate, session=get_session
    )
)
# --8<-- [end:routers]
