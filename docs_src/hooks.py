"""Hooks around the hero routes: tidy or refuse a name before a write, publish after."""

from typing import Any

from fastapi import FastAPI, HTTPException

from examples.heroes.app import get_session, lifespan
from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import Hooks, crud_router

app = FastAPI(lifespan=lifespan)

# --8<-- [start:before]
TAKEN = {"batman", "superman"}


def check_name(body: HeroCreate | HeroUpdate) -> dict[str, Any]:
    if body.name is None:  # a PATCH that leaves the name alone
        return {}
    name = " ".join(body.name.split())  # "  Spider   Boy " -> "Spider Boy"
    if name.casefold() in TAKEN:
        raise HTTPException(409, "That name is taken")
    return {"name": name}


# --8<-- [end:before]


# --8<-- [start:after]
EVENTS: list[tuple[str, Any]] = []  # a stand-in for a message queue


async def publish_saved(row: dict[str, Any]) -> None:
    EVENTS.append(("saved", row))


async def publish_deleted(pk: int) -> None:
    EVENTS.append(("deleted", pk))


# --8<-- [end:after]


# --8<-- [start:router]
router = crud_router(
    Hero,
    HeroCreate,
    HeroPublic,
    HeroUpdate,
    session=get_session,
    hooks=Hooks(
        before_create=check_name,
        before_update=check_name,
        after_create=publish_saved,
        after_update=publish_saved,
        after_delete=publish_deleted,
    ),
)
app.include_router(router)
# --8<-- [end:router]
