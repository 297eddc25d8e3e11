"""The ceiling: the least work that answers the benchmark's requests as sqlcrud does.

A bare Starlette app: one SQL statement per request straight through the driver
(asyncpg for PostgreSQL; the stdlib ``sqlite3`` for SQLite, called on the event loop,
since a local file read is a function call), bodies validated by the models' own
pydantic-core validators, and JSON bytes written by ``pydantic_core.to_json``. No ORM, no
dependency injection, no threadpool. It gives what is practical at best, not a design.
"""

import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from pydantic import ValidationError
from pydantic_core import to_json
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from examples.heroes.models import HeroCreate, HeroUpdate

from ._common import database_url

KEYS = ("name", "age", "id")  # HeroPublic's fields, in its order
PUBLIC = ", ".join(KEYS)
WRITABLE = ("name", "age", "secret_name")
NOT_FOUND = b'{"detail":"Hero not found"}'


class SQLite:
    """One autocommit ``sqlite3`` connection; statements use ``?`` placeholders."""

    max_id = 2**63 - 1

    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)

    async def all(self, sql: str, *args: Any) -> Sequence[Sequence[Any]]:
        return self.connection.execute(sql, args).fetchall()

    async def one(self, sql: str, *args: Any) -> Sequence[Any] | None:
        row: Sequence[Any] | None = self.connection.execute(sql, args).fetchone()
        return row

    async def close(self) -> None:
        self.connection.close()


class Postgres:
    """An asyncpg pool; ``?`` placeholders become ``$1``, ``$2``, ... once per statement."""

    max_id = 2**31 - 1  # INTEGER

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool
        self.sql: dict[str, str] = {}

    @classmethod
    async def connect(cls, dsn: str) -> "Postgres":
        return cls(await asyncpg.create_pool(dsn, min_size=1, max_size=10))

    def _sql(self, sql: str) -> str:
        if sql not in self.sql:
            parts = sql.split("?")
            self.sql[sql] = "".join(part + (f"${i}" if i < len(parts) else "") for i, part in enumerate(parts, 1))
        return self.sql[sql]

    async def all(self, sql: str, *args: Any) -> Sequence[Sequence[Any]]:
        rows: Sequence[Sequence[Any]] = await self.pool.fetch(self._sql(sql), *args)
        return rows

    async def one(self, sql: str, *args: Any) -> Sequence[Any] | None:
        row: Sequence[Any] | None = await self.pool.fetchrow(self._sql(sql), *args)
        return row

    async def close(self) -> None:
        await self.pool.close()


db: Any = None


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    global db
    url = database_url(driver=False)
    db = SQLite(url.removeprefix("sqlite:///")) if url.startswith("sqlite") else await Postgres.connect(url)
    yield
    await db.close()


def json(value: Any) -> Response:
    return Response(to_json(value), media_type="application/json")


def hero(row: Sequence[Any] | None) -> Response:
    if row is None:
        return Response(NOT_FOUND, 404, media_type="application/json")
    return json(dict(zip(KEYS, row, strict=True)))


def invalid(error: ValidationError) -> Response:
    body = {"detail": error.errors(include_url=False, include_context=False, include_input=False)}
    return Response(to_json(body), 422, media_type="application/json")


def hero_id(request: Request) -> int | None:
    value: int = request.path_params["hero_id"]
    return value if 0 < value <= db.max_id else None


async def heroes(request: Request) -> Response:
    if request.method == "POST":
        try:
            new = HeroCreate.model_validate_json(await request.body())
        except ValidationError as error:
            return invalid(error)
        sql = f"INSERT INTO hero (name, age, secret_name) VALUES (?, ?, ?) RETURNING {PUBLIC}"
        return hero(await db.one(sql, new.name, new.age, new.secret_name))
    try:
        offset = int(request.query_params.get("offset", 0))
        limit = int(request.query_params.get("limit", 100))
    except ValueError:
        return Response(b'{"detail":"offset and limit must be integers"}', 422, media_type="application/json")
    if not (0 <= offset <= 2**63 - 1 and 0 <= limit <= 100):
        return Response(b'{"detail":"offset or limit out of range"}', 422, media_type="application/json")
    rows = await db.all(f"SELECT {PUBLIC} FROM hero ORDER BY id LIMIT ? OFFSET ?", limit, offset)
    return json([dict(zip(KEYS, row, strict=True)) for row in rows])


async def one_hero(request: Request) -> Response:
    id_ = hero_id(request)
    if id_ is None:
        return hero(None)
    if request.method == "GET":
        return hero(await db.one(f"SELECT {PUBLIC} FROM hero WHERE id = ?", id_))
    if request.method == "DELETE":
        if await db.one("DELETE FROM hero WHERE id = ? RETURNING id", id_) is None:
            return hero(None)
        return Response(b'{"ok":true}', media_type="application/json")
    try:
        values = HeroUpdate.model_validate_json(await request.body()).model_dump(exclude_unset=True)
    except ValidationError as error:
        return invalid(error)
    values = {key: value for key, value in values.items() if key in WRITABLE}
    if values.get("name", "") is None or values.get("secret_name", "") is None:
        return Response(b'{"detail":"name and secret_name may not be null"}', 422, media_type="application/json")
    if not values:
        return hero(await db.one(f"SELECT {PUBLIC} FROM hero WHERE id = ?", id_))
    assignments = ", ".join(f"{key} = ?" for key in values)
    sql = f"UPDATE hero SET {assignments} WHERE id = ? RETURNING {PUBLIC}"
    return hero(await db.one(sql, *values.values(), id_))


app = Starlette(
    routes=[
        Route("/heroes/", heroes, methods=["GET", "POST"]),
        Route("/heroes/{hero_id:int}", one_hero, methods=["GET", "PATCH", "DELETE"]),
    ],
    lifespan=lifespan,
)
