"""The team/hero models with filters through their relationships: heroes by their
team's name, teams by their heroes' ages."""

from fastapi import FastAPI

from examples.teams.app import get_session, lifespan
from examples.teams.models import (
    Hero,
    HeroCreate,
    HeroPublic,
    HeroUpdate,
    Team,
    TeamCreate,
    TeamPublic,
    TeamUpdate,
)
from sqlcrud import crud_router

app = FastAPI(lifespan=lifespan)
# --8<-- [start:routers]
app.include_router(
    crud_router(
        Hero,
        HeroCreate,
        HeroPublic,
        HeroUpdate,
        session=get_session,
        filters=["age", "team__name"],
    )
)
app.include_router(
    crud_router(
        Team,
        TeamCreate,
        TeamPublic,
        TeamUpdate,
        session=get_session,
        filters=["heroes__age"],
    )
)
# --8<-- [end:routers]
