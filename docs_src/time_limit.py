"""A time limit on what one request may cost: ``statement_timeout``."""

from fastapi import FastAPI

from examples.heroes.app import get_session, lifespan
from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

app = FastAPI(lifespan=lifespan)
# --8<-- [start:router]
heroes = crud_router(
    Hero,
    HeroCreate,
    HeroPublic,
    HeroUpdate,
    session=get_session,
    filters=["name"],
    statement_timeout=2,  # seconds each statement may run
)
# --8<-- [end:router]
app.include_router(heroes)
