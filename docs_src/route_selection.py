"""A read-only hero API: only the list and read routes."""

from fastapi import FastAPI

from examples.heroes.app import get_session, lifespan
from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

app = FastAPI(lifespan=lifespan)
# --8<-- [start:router]
router = crud_router(
    Hero,
    HeroCreate,
    HeroPublic,
    HeroUpdate,
    session=get_session,
    routes=("list", "read"),
)
app.include_router(router)
# --8<-- [end:router]
