"""Another path for the collection, OpenAPI tags, and a prefix for the whole API."""

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
    prefix="/characters",
    tags=["characters"],
)
app.include_router(router, prefix="/api/v1")
# --8<-- [end:router]
