"""Hand-written, ``AsyncSession``: line for line ``handwritten_sync`` with ``await``."""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy.orm import selectinload
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from examples.teams.models import Hero, HeroPublicWithTeam, Team, TeamPublicWithHeroes

from .._common import async_sessions

SessionDep = Annotated[AsyncSession, Depends(async_sessions())]
app = FastAPI()


@app.get("/heroes/", response_model=list[HeroPublicWithTeam])
async def read_heroes(
    session: SessionDep,
    offset: int = 0,
    limit: Annotated[int, Query(le=100)] = 100,
):
    return (await session.exec(select(Hero).options(selectinload(Hero.team)).offset(offset).limit(limit))).all()


@app.get("/teams/{team_id}", response_model=TeamPublicWithHeroes)
async def read_team(team_id: int, session: SessionDep):
    team = await session.get(Team, team_id, options=[selectinload(Team.heroes)])
    if not team:
        raise HTTPException(status_code=404, detail="Team not found")
    return team
