"""SQLModel's team/hero tutorial app on sqlcrud: two ``crud_router`` calls.

Lists, create and PATCH answer with ``HeroPublic`` and ``TeamPublic``; reading one hero
or team answers with its team or its heroes nested (``read_model``), loaded eagerly.

Run it with ``python -m examples.teams`` (SQLite file ``teams.db``), or set
``DATABASE_URL`` (e.g. ``postgresql+psycopg://user@127.0.0.1/teams``).
"""

import os
from collections.abc import Iterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event
from sqlmodel import Session, create_engine

from sqlcrud import crud_router

from .models import (
    Base,
    Hero,
    HeroCreate,
    HeroPublic,
    HeroPublicWithTeam,
    HeroUpdate,
    Team,
    TeamCreate,
    TeamPublic,
    TeamPublicWithHeroes,
    TeamUpdate,
)

database_url = os.environ.get("DATABASE_URL", "sqlite:///teams.db")
connect_args = {"check_same_thread": False} if database_url.startswith("sqlite") else {}
engine = create_engine(database_url, connect_args=connect_args)

if database_url.startswith("sqlite"):

    @event.listens_for(engine, "connect")
    def enforce_foreign_keys(connection: Any, _: Any) -> None:
        connection.execute("PRAGMA foreign_keys=ON")  # SQLite checks them only when asked


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@asynccontextmanager
async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
    Base.metadata.create_all(engine)
    yield


app = FastAPI(lifespan=lifespan)
# --8<-- [start:routers]
app.include_router(
    crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session, read_model=HeroPublicWithTeam)
)
app.include_router(
    crud_router(Team, TeamCreate, TeamPublic, TeamUpdate, session=get_session, read_model=TeamPublicWithHeroes)
)
# --8<-- [end:routers]
