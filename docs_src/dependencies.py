"""An app with its own routes and dependencies, to which the hero routes are added."""

from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException

from examples.heroes.app import get_session, lifespan
from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

# --8<-- [start:app]
app = FastAPI(lifespan=lifespan)


async def verify_token(x_token: Annotated[str, Header()]) -> None:
    if x_token != "fake-super-secret-token":
        raise HTTPException(status_code=401, detail="X-Token header invalid")


@app.get("/")
def home() -> dict[str, str]:
    return {"message": "Hello Bigger Applications!"}


# --8<-- [end:app]


# --8<-- [start:router]
app.include_router(
    crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=get_session),
    dependencies=[Depends(verify_token)],
)
# --8<-- [end:router]
