"""Two tables in one app, one linked to the other by a foreign key: one router each."""

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event
from sqlmodel import Field, Session, SQLModel, create_engine

from sqlcrud import crud_router


# --8<-- [start:models]
class SquadBase(SQLModel):
    name: str = Field(unique=True)


class Squad(SquadBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class SquadCreate(SquadBase):
    pass


class SquadPublic(SquadBase):
    id: int


class SquadUpdate(SQLModel):
    name: str | None = None


class SquadMemberBase(SQLModel):
    name: str
    squad_id: int = Field(foreign_key="squad.id")


class SquadMember(SquadMemberBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class SquadMemberCreate(SquadMemberBase):
    pass


class SquadMemberPublic(SquadMemberBase):
    id: int


class SquadMemberUpdate(SQLModel):
    name: str | None = None
    squad_id: int | None = None


# --8<-- [end:models]


# --8<-- [start:engine]
engine = create_engine("sqlite:///squads.db", connect_args={"check_same_thread": False})


@event.listens_for(engine, "connect")
def enable_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.execute(
        "PRAGMA foreign_keys=ON"
    )  # SQLite checks foreign keys only when asked


# --8<-- [end:engine]


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    SQLModel.metadata.create_all(engine)
    yield


# --8<-- [start:routers]
app = FastAPI(lifespan=lifespan)
app.include_router(
    crud_router(Squad, SquadCreate, SquadPublic, SquadUpdate, session=get_session)
)
app.include_router(
    crud_router(
        SquadMember,
        SquadMemberCreate,
        SquadMemberPublic,
        SquadMemberUpdate,
        session=get_session,
    )
)
# --8<-- [end:routers]
