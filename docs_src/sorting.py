"""Sorting on chosen fields, and a default order: ``?sort=-age,name``."""

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
    sort=["name", "age"],  # or True: every field of HeroPublic
    default_sort="-age",  # without ?sort: oldest first, then by id
)
app.include_router(router)
# --8<-- [end:router]
