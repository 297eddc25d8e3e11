"""The hero app with list querying: filters, OR groups, search, sorting, counts,
cursors and field selection."""

from fastapi import FastAPI

from examples.heroes.app import get_session, lifespan
from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

app = FastAPI(lifespan=lifespan)
# --8<-- [start:router]
app.include_router(
    crud_router(
        Hero,
        HeroCreate,
        HeroPublic,
        HeroUpdate,
        session=get_session,
        filters=True,
        or_groups=True,
        sort=["name", "age"],
        count=True,
        cursor=True,
        search=["name"],
        field_selection=True,
    )
)
# --8<-- [end:router]
