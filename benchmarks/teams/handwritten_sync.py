"""Hand-written, sync ``Session``: heroes with their team, and a team with its heroes.

What SQLModel's relationship tutorial does, with the related rows loaded eagerly by
``selectinload`` (one more SELECT per relationship, keys in ``IN (...)``) instead of
lazily: the idiomatic way, and the only one an ``AsyncSession`` allows.
"""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from examples.teams.models import Hero, HeroPublicWithTeam, Team, TeamPublicWithHeroes

from .._common import sync_sessions

SessionDep = Annotated[Session, Depends(sync_sessions())]
app = FastAPI()


@app.get("/heroes/", response_model=list[HeroPublicWithTeam])
def read_heroes(
    session: SessionDep,
    offset: int = 0,
    limit: Annotated[int, Query(le=100)] = 100,
):
    return session.exec(select(Hero).options(selectinload(Hero.team)).offset(offset).limit(limit)).all()


@app.get("/teams/{team_id}", response_model=TeamPublicWithHeroes)
def read_team(team_id: int, session: SessionDep):
    team = session.get(Team, team_id, options=[selectinload(Team.heroes)])
    if not team:
        raise HTTPException(status_code=404, detail="Team not found")
    return team
