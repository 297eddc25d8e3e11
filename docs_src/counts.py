"""The number of matching rows in ``X-Total-Count``, readable by browser apps."""

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

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
    filters=["age"],
    count=True,
)
app.include_router(router)
# --8<-- [end:router]

# --8<-- [start:cors]
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://heroes.example.com"],
    expose_headers=["X-Total-Count"],  # and "Link" with cursor=True
)
# --8<-- [end:cors]
