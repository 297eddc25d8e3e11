"""An admin back end for react-admin and refine: the same two tables, once per dialect.

``/ra/posts`` and ``/ra/authors`` speak ``ra-data-simple-rest``; ``/refine/posts`` and
``/refine/authors`` speak ``@refinedev/simple-rest``. Authors are keyed by ``login``, which
both providers see as ``id``. Run it with ``python -m examples.admin`` (SQLite file
``admin.db``), or set ``DATABASE_URL``; the admin UI's origin goes in ``ADMIN_ORIGIN``.
"""

import os
from collections.abc import Iterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import event
from sqlmodel import Session, create_engine

from sqlcrud import crud_router

from .models import Author, AuthorCreate, AuthorPublic, AuthorUpdate, Base, Post, PostCreate, PostPublic, PostUpdate

database_url = os.environ.get("DATABASE_URL", "sqlite:///admin.db")
connect_args = {"check_same_thread": False} if database_url.startswith("sqlite") else {}
engine = create_engine(database_url, connect_args=connect_args)

if database_url.startswith("sqlite"):

    @event.listens_for(engine, "connect")
    def enforce_foreign_keys(connection: Any, _: Any) -> None:
        connection.execute("PRAGMA foreign_keys=ON")


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@asynccontextmanager
async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
    Base.metadata.create_all(engine)
    yield


app = FastAPI(lifespan=lifespan)
# --8<-- [start:routers]
for dialect, path in (("react-admin", "/ra"), ("refine", "/refine")):
    posts = crud_router(
        Post,
        PostCreate,
        PostPublic,
        PostUpdate,
        session=get_session,
        dialect=dialect,
        filters=["id", "title", "views", "published", "author_login"],
        sort=True,
        search=["title"],
        prefix=f"{path}/posts",
    )
    authors = crud_router(
        Author,
        AuthorCreate,
        AuthorPublic,
        AuthorUpdate,
        session=get_session,
        dialect=dialect,
        filters=["login", "name"],
        sort=True,
        search=["login", "name"],
        prefix=f"{path}/authors",
    )
    app.include_router(posts)
    app.include_router(authors)
# --8<-- [end:routers]
# --8<-- [start:cors]
app.add_middleware(
    CORSMiddleware,
    allow_origins=[os.environ.get("ADMIN_ORIGIN", "http://localhost:5173")],
    allow_methods=["*"],
    allow_headers=["Content-Type", "Range", "Authorization"],  # react-admin sends Range
    expose_headers=["Content-Range", "X-Total-Count"],  # both read the count cross-origin
)
# --8<-- [end:cors]
