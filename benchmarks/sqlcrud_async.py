"""sqlcrud with an ``AsyncSession``: the same ``crud_router`` call as ``sqlcrud_sync``."""

from fastapi import FastAPI

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

from ._common import async_sessions

get_session = async_sessions()
app = FastAPI()
app.include_router(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session))
# For the cursor workload only: the same table with keyset pagination.
app.include_router(
    crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session, prefix="/cursor/heroes", cursor=True)
)
