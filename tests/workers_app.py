"""The hero app as several uvicorn workers serve it: ``uvicorn tests.workers_app:app --workers 4``.

Each answer names the worker process in ``X-Worker``, so a test can see which one answered.
``DATABASE_URL`` names the database; each worker opens a pool of ``POOL_SIZE`` connections
and ``MAX_OVERFLOW`` more under load.
"""

import os
from collections.abc import Awaitable, Callable, Iterator

from fastapi import FastAPI, Request, Response
from sqlmodel import Session, create_engine

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

POOL_SIZE, MAX_OVERFLOW = 2, 2
NAME = "sqlcrud-worker"  # the connections' application_name, for the server to count them
engine = create_engine(
    os.environ.get("DATABASE_URL", "postgresql+psycopg://127.0.0.1/heroes"),
    pool_size=POOL_SIZE,
    max_overflow=MAX_OVERFLOW,
    pool_timeout=10,
    pool_pre_ping=True,
    connect_args={"application_name": NAME},
)


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


app = FastAPI()
app.include_router(
    crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session, sort=True, cursor=True, etag=True)
)


@app.middleware("http")
async def name_the_worker(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    response.headers["X-Worker"] = str(os.getpid())
    return response
