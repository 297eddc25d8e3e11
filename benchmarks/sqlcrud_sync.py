"""sqlcrud with a sync ``Session``: the tutorial's five routes from one ``crud_router`` call."""

from fastapi import FastAPI

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

from ._common import sync_sessions

get_session = sync_sessions()
app = FastAPI()
app.include_router(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session))
# For the cursor workload only: the same table with keyset pagination.
app.include_router(
    crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session, prefix="/cursor/heroes", cursor=True)
)
