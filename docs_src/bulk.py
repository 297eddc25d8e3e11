"""Many rows in one request: ``bulk=True``."""

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
    filters=["name", "age"],  # what a PATCH or DELETE of many rows can select by
    bulk=True,
    max_bulk=500,  # default 1000
)
app.include_router(router)
# --8<-- [end:router]
