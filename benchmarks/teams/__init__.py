"""The relationship workloads' apps: the team/hero example's tables, related rows nested.

Each app here has the name of its twin one level up (``handwritten_sync``, ...), so the
report sets sqlcrud against the hand-written app with the same kind of session. They
serve their own database, since the example's ``hero`` table is not the hero example's.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from examples.teams import models as m
from sqlcrud import crud_router


def sqlcrud_app(get_session: Callable[..., Any]) -> FastAPI:
    """Two ``crud_router`` calls on ``get_session``, a sync or an async session dependency."""
    app = FastAPI()
    app.include_router(crud_router(m.Hero, m.HeroCreate, m.HeroPublicWithTeam, m.HeroUpdate, session=get_session))
    app.include_router(
        crud_router(
            m.Team, m.TeamCreate, m.TeamPublic, m.TeamUpdate, session=get_session, read_model=m.TeamPublicWithHeroes
        )
    )
    return app
