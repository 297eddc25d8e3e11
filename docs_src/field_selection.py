"""Only the fields a client asks for: ``field_selection=True``."""

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
    field_selection=True,
)
app.include_router(router)
# --8<-- [end:router]
