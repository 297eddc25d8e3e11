"""SQLModel's team/hero app written by hand, the tutorial's way: ORM objects, ``def`` routes.

Only for comparison with ``examples/teams``, which builds the same API on two
``crud_router`` calls: same paths, operation ids, schemas and answers.
"""

from collections.abc import Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlmodel import Session, select

from examples.teams.models import (
    Hero,
    HeroCreate,
    HeroPublic,
    HeroPublicWithTeam,
    HeroUpdate,
    Team,
    TeamCreate,
    TeamPublic,
    TeamPublicWithHeroes,
    TeamUpdate,
)


def get_session() -> Iterator[Session]:
    raise NotImplementedError  # the tests swap in a session of their backend
    yield


SessionDep = Annotated[Session, Depends(get_session)]
T = TypeVar("T")
app = FastAPI()


def found(row: T | None, name: str) -> T:
    if row is None:
        raise HTTPException(status_code=404, detail=f"{name} not found")
    return row


@app.post("/heroes/", response_model=HeroPublic)
def create_hero(hero: HeroCreate, session: SessionDep):  # type: ignore[no-untyped-def]
    return save(session, Hero.model_validate(hero))


@app.get("/heroes/", response_model=list[HeroPublic])
def read_heroes(session: SessionDep, offset: int = 0, limit: Annotated[int, Query(le=100)] = 100):  # type: ignore[no-untyped-def]
    return session.exec(select(Hero).offset(offset).limit(limit)).all()


@app.get("/heroes/{hero_id}", response_model=HeroPublicWithTeam)
def read_hero(hero_id: int, session: SessionDep):  # type: ignore[no-untyped-def]
    return found(session.get(Hero, hero_id), "Hero")


@app.patch("/heroes/{hero_id}", response_model=HeroPublic)
def update_hero(hero_id: int, hero: HeroUpdate, session: SessionDep):  # type: ignore[no-untyped-def]
    db_hero = found(session.get(Hero, hero_id), "Hero")
    return save(session, db_hero.sqlmodel_update(hero.model_dump(exclude_unset=True)))


@app.delete("/heroes/{hero_id}")
def delete_hero(hero_id: int, session: SessionDep):  # type: ignore[no-untyped-def]
    session.delete(found(session.get(Hero, hero_id), "Hero"))
    session.commit()
    return {"ok": True}


@app.post("/teams/", response_model=TeamPublic)
def create_team(team: TeamCreate, session: SessionDep):  # type: ignore[no-untyped-def]
    return save(session, Team.model_validate(team))


@app.get("/teams/", response_model=list[TeamPublic])
def read_teams(session: SessionDep, offset: int = 0, limit: Annotated[int, Query(le=100)] = 100):  # type: ignore[no-untyped-def]
    return session.exec(select(Team).offset(offset).limit(limit)).all()


@app.get("/teams/{team_id}", response_model=TeamPublicWithHeroes)
def read_team(team_id: int, session: SessionDep):  # type: ignore[no-untyped-def]
    return found(session.get(Team, team_id), "Team")


@app.patch("/teams/{team_id}", response_model=TeamPublic)
def update_team(team_id: int, team: TeamUpdate, session: SessionDep):  # type: ignore[no-untyped-def]
    db_team = found(session.get(Team, team_id), "Team")
    return save(session, db_team.sqlmodel_update(team.model_dump(exclude_unset=True)))


@app.delete("/teams/{team_id}")
def delete_team(team_id: int, session: SessionDep):  # type: ignore[no-untyped-def]
    session.delete(found(session.get(Team, team_id), "Team"))
    session.commit()
    return {"ok": True}


def save(session: Session, row: T) -> T:
    session.add(row)
    session.commit()
    session.refresh(row)
    return row
