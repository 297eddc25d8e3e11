"""SQLModel's many-to-many tutorial app on sqlcrud: three ``crud_router`` calls.

``/heroes`` and ``/teams`` as in the other examples; ``/hero_team_links/{hero_id}/{team_id}``
for the link rows, keyed by both columns. Reading a team nests its link rows and each
link's hero; reading a link nests both sides.

Run it with ``python -m examples.links`` (SQLite file ``links.db``), or set
``DATABASE_URL`` (e.g. ``postgresql+psycopg://user@127.0.0.1/links``).
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
    HeroTeamLink,
    HeroUpdate,
    LinkCreate,
    LinkPublic,
    LinkUpdate,
    LinkWithBoth,
    Team,
    TeamCreate,
    TeamPublic,
    TeamPublicWithHeroes,
    TeamUpdate,
)

database_url = os.environ.get("DATABASE_URL", "sqlite:///links.db")
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
app.include_router(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session))
app.include_router(
    crud_router(Team, TeamCreate, TeamPublic, TeamUpdate, session=get_session, read_model=TeamPublicWithHeroes)
)
app.include_router(
    crud_router(
        HeroTeamLink,
        LinkCreate,
        LinkPublic,
        LinkUpdate,
        session=get_session,
        read_model=LinkWithBoth,
        filters=["hero_id", "team_id", "is_training"],
        create_status_code=201,
    )
)
# --8<-- [end:routers]
