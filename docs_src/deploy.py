"""The hero app for production: PostgreSQL and a bounded pool per worker process."""

import os
from collections.abc import Iterator

from fastapi import FastAPI
from sqlmodel import Session, create_engine
from starlette.middleware.trustedhost import TrustedHostMiddleware

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

# --8<-- [start:engine]
engine = create_engine(
    os.environ.get("DATABASE_URL", "postgresql+psycopg://heroes@127.0.0.1/heroes"),
    pool_size=5,  # connections each worker keeps open
    max_overflow=5,  # extra connections under load, closed again when idle
    pool_timeout=10,  # seconds to wait for a free connection before answering 503
    pool_pre_ping=True,  # replace connections the server has closed (restart, failover)
)
# --8<-- [end:engine]


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


app = (
    FastAPI()
)  # tables are created by migrations, not at start-up, when several workers run
app.include_router(
    crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session)
)
# --8<-- [start:hosts]
app.add_middleware(
    TrustedHostMiddleware,
    allowed_hosts=os.environ.get("ALLOWED_HOSTS", "127.0.0.1").split(","),
)
# --8<-- [end:hosts]
