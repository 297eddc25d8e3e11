"""The tutorial's hero app on sqlcrud, with an ``AsyncSession``.

Run it with ``python -m examples.heroes --async`` (SQLite file ``heroes.db`` through
aiosqlite), or set ``DATABASE_URL`` (e.g. ``postgresql+asyncpg://user@127.0.0.1/heroes``).
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from sqlcrud import crud_router

from .models import Hero, HeroCreate, HeroPublic, HeroUpdate

# --8<-- [start:app]
database_url = os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///heroes.db")
engine = create_async_engine(database_url)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with AsyncSession(engine) as session:
        yield session


@asynccontextmanager
async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    yield


app = FastAPI(lifespan=lifespan)
app.include_router(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session))
# --8<-- [end:app]
