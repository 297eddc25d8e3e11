"""Users and their own notes on sqlcrud, with a sync ``Session``.

Run it with ``python -m examples.notes`` (SQLite file ``notes.db``), or set
``DATABASE_URL``. Sign up with ``POST /users/``, then send HTTP Basic credentials.
"""

import os
from collections.abc import Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, create_engine

from sqlcrud import ErrorMessage, Hooks, crud_router, outage_handler

from .models import Note, NoteCreate, NotePublic, NoteUpdate, User, UserCreate, UserPublic, UserUpdate
from .security import hash_password, user_dependency

database_url = os.environ.get("DATABASE_URL", "sqlite:///notes.db")
connect_args = {"check_same_thread": False} if database_url.startswith("sqlite") else {}
engine = create_engine(database_url, connect_args=connect_args)


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


current_user = user_dependency(get_session)
CurrentUser = Annotated[User, Depends(current_user)]


# --8<-- [start:hooks]
def new_user(body: UserCreate) -> dict[str, Any]:
    return {"hashed_password": hash_password(body.password)}


def new_password(body: UserUpdate) -> dict[str, Any]:
    return {} if body.password is None else {"hashed_password": hash_password(body.password)}


def own_account(user: CurrentUser) -> Any:
    return User.id == user.id


def own_notes(user: CurrentUser) -> Any:
    return Note.owner_id == user.id


def set_owner(user: CurrentUser) -> dict[str, Any]:
    return {"owner_id": user.id}


def require_admin(user: CurrentUser) -> None:
    if not user.is_admin:
        raise HTTPException(403, "Admins only")


# --8<-- [end:hooks]


@asynccontextmanager
async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
    SQLModel.metadata.create_all(engine)
    yield


app = FastAPI(lifespan=lifespan)
# --8<-- [start:outages]
# current_user queries the database too: answer its outages with sqlcrud's 503.
app.add_exception_handler(SQLAlchemyError, outage_handler)
# --8<-- [end:outages]
# --8<-- [start:routers]
# Anyone can sign up; a user can read and change only their own account.
users = crud_router(
    User,
    UserCreate,
    UserPublic,
    UserUpdate,
    session=get_session,
    routes=("create", "read", "update"),
    scope=own_account,
    hooks=Hooks(before_create=new_user, before_update=new_password),
)
# Each user lists, reads, changes and deletes only their own notes.
notes = crud_router(
    Note,
    NoteCreate,
    NotePublic,
    NoteUpdate,
    session=get_session,
    scope=own_notes,
    hooks=Hooks(before_create=set_owner),
)
# Admins can delete anyone's note.
admin = crud_router(
    Note,
    NoteCreate,
    NotePublic,
    NoteUpdate,
    session=get_session,
    prefix="/admin/notes",
    routes=("delete",),
    dependencies=[Depends(require_admin)],
)
# The answers of the app's own dependencies, declared in OpenAPI for its clients.
signed_in = {401: {"model": ErrorMessage, "description": "Not signed in"}}
app.include_router(users)
app.include_router(notes, responses=signed_in)
app.include_router(admin, responses=signed_in | {403: {"model": ErrorMessage, "description": "Admins only"}})
# --8<-- [end:routers]
