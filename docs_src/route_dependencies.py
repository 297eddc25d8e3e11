"""Hero routes behind API keys: every route needs one, writes need an admin's."""

from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import APIKeyHeader

from examples.heroes.app import get_session, lifespan
from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from sqlcrud import crud_router

app = FastAPI(lifespan=lifespan)


# --8<-- [start:keys]
# auto_error=False: a missing key is our own 401 (FastAPI before 0.122 answers 403)
api_key = APIKeyHeader(name="X-API-Key", auto_error=False)
ROLES = {"reader-key": "reader", "admin-key": "admin"}  # your key store goes here


def role(key: Annotated[str | None, Depends(api_key)]) -> str:
    if key is None:
        raise HTTPException(
            401, "Not authenticated", headers={"WWW-Authenticate": "APIKey"}
        )
    if key not in ROLES:
        raise HTTPException(401, "Unknown API key")
    return ROLES[key]


def require_admin(role: Annotated[str, Depends(role)]) -> None:
    if role != "admin":
        raise HTTPException(403, "Admins only")


# --8<-- [end:keys]


# --8<-- [start:router]
admin_only = [Depends(require_admin)]
router = crud_router(
    Hero,
    HeroCreate,
    HeroPublic,
    HeroUpdate,
    session=get_session,
    dependencies=[Depends(role)],
    route_dependencies={
        "create": admin_only,
        "update": admin_only,
        "delete": admin_only,
    },
)
app.include_router(router)
# --8<-- [end:router]
