"""A table declared to hold the same values on MariaDB as on PostgreSQL and SQLite."""

import datetime

from fastapi import FastAPI
from sqlalchemy import DateTime, Double, String, Text
from sqlalchemy.dialects import mysql
from sqlmodel import Field, SQLModel

from examples.heroes.app import get_session, lifespan
from sqlcrud import crud_router

# --8<-- [start:types]
# MariaDB's defaults hold less than the other databases': DATETIME drops microseconds,
# FLOAT is single precision, TEXT holds 64 KiB, and a unique key compares text as its
# collation does, ignoring case. Each variant applies on MariaDB (and MySQL) alone.
MARIADB = ("mariadb", "mysql")
MOMENT = DateTime(timezone=True).with_variant(mysql.DATETIME(fsp=6), *MARIADB)
LONG_TEXT = Text().with_variant(mysql.MEDIUMTEXT(), *MARIADB)
EXACT_TEXT = String(100).with_variant(
    mysql.VARCHAR(100, collation="utf8mb4_bin"), *MARIADB
)


class Post(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=100, sa_type=EXACT_TEXT)
    body: str = Field(default="", sa_type=LONG_TEXT)
    score: float = Field(default=0.0, sa_type=Double)
    published_at: datetime.datetime = Field(sa_type=MOMENT)
    # --8<-- [end:types]


class PostCreate(SQLModel):
    slug: str = Field(max_length=100)
    body: str = ""
    score: float = 0.0
    published_at: datetime.datetime


class PostPublic(PostCreate):
    id: int


class PostUpdate(SQLModel):
    body: str | None = None
    score: float | None = None


app = FastAPI(lifespan=lifespan)
app.include_router(
    crud_router(Post, PostCreate, PostPublic, PostUpdate, session=get_session)
)
