"""``201 Created`` with a ``Location`` header, and ``204 No Content`` for deletes."""

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
    create_status_code=201,
    delete_status_code=204,
)
app.include_router(router)
# --8<-- [end:router]
