"""The team/hero models with heroes nesting their team in every route, a hero filter
by team, and a smaller cap on the heroes a team's read nests."""

from fastapi import FastAPI

from examples.teams.app import get_session, lifespan
from examples.teams.models import (
    Hero,
    HeroCreate,
    HeroPublicWithTeam,
    HeroUpdate,
    Team,
    TeamCreate,
    TeamPublic,
    TeamPublicWithHeroes,
    TeamUpdate,
)
from sqlcrud import crud_router

app = FastAPI(lifespan=lifespan)
# --8<-- [start:heroes]
app.include_router(
    crud_router(
        Hero,
        HeroCreate,
        HeroPublicWithTeam,
        HeroUpdate,
        session=get_session,
        filters=["team_id"],
    )
)
# --8<-- [end:heroes]
# --8<-- [start:teams]
app.include_router(
    crud_router(
        Team,
        TeamCreate,
        TeamPublic,
        TeamUpdate,
        session=get_session,
        read_model=TeamPublicWithHeroes,
        max_related=20,
    )
)
# --8<-- [end:teams]
