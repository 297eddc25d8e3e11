"""The tutorial's hero app on sqlcrud, with a sync ``Session``.

Run it with ``python -m examples.heroes`` (SQLite file ``heroes.db``), or set
``DATABASE_URL`` (e.g. ``postgresql+psycopg://user@127.0.0.1/heroes``).
"""

# --8<-- [start:file]
import os
from collections.abc import Iterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlmodel import Session, SQLModel, create_engine

from sqlcrud import crud_router

from .models import Hero, HeroCreate, HeroPublic, HeroUpdate

# --8<-- [start:app]
database_url = os.environ.get("DATABASE_URL", "sqlite:///heroes.db")
connect_args = {"check_same_thread": False} if database_url.startswith("sqlite") else {}
engine = create_engine(database_url, connect_args=connect_args)


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@asynccontextmanager
async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
    SQLModel.metadata.create_all(engine)
    yield


app = FastAPI(lifespan=lifespan)
app.include_router(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session))
# --8<-- [end:app]
# --8<-- [end:file]
