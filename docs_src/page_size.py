"""A smaller page size cap: ``max_limit``."""

from fastapi import FastAPI

from examples.heroes.app import get_session, lifespan
from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

app = FastAPI(lifespan=lifespan)
# --8<-- [start:router]
app.include_router(
    crud_router(
        Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session, max_limit=20
    )
)
# --8<-- [end:router]
