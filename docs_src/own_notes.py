"""Each user's own notes: a row scope, and an owner the server sets."""

from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from examples.heroes.app import get_session, lifespan
from examples.notes.app import new_user
from examples.notes.models import (
    Note,
    NoteCreate,
    NotePublic,
    NoteUpdate,
    User,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from sqlcrud import Hooks, crud_router

app = FastAPI(lifespan=lifespan)
# Sign-up, as in the tutorial's notes app: POST /users/.
users = crud_router(
    User,
    UserCreate,
    UserPublic,
    UserUpdate,
    session=get_session,
    routes=("create",),
    hooks=Hooks(before_create=new_user),
)
app.include_router(users)


# --8<-- [start:user]
# auto_error=False: no key is our own 401 (FastAPI before 0.122 answers 403)
bearer = HTTPBearer(auto_error=False)
API_KEYS = {"ann-key": 1, "bob-key": 2}  # your login goes here: key -> user id


def current_user(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> int:
    if credentials is None:
        raise HTTPException(
            401, "Not authenticated", headers={"WWW-Authenticate": "Bearer"}
        )
    if credentials.credentials not in API_KEYS:
        raise HTTPException(401, "Unknown API key")
    return API_KEYS[credentials.credentials]


CurrentUser = Annotated[int, Depends(current_user)]
# --8<-- [end:user]


# --8<-- [start:scope]
def own_notes(user: CurrentUser) -> Any:
    return Note.owner_id == user


# --8<-- [end:scope]


# --8<-- [start:owner]
def set_owner(user: CurrentUser) -> dict[str, Any]:
    return {"owner_id": user}


# --8<-- [end:owner]


# --8<-- [start:router]
notes = crud_router(
    Note,
    NoteCreate,
    NotePublic,
    NoteUpdate,
    session=get_session,
    scope=own_notes,
    hooks=Hooks(before_create=set_owner),
)
app.include_router(notes)
# --8<-- [end:router]
