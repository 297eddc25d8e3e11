"""Apps with planted defects, each of which ``sqlcrud.testing.check`` must find.

``app`` is the first one on a SQLite file of its own, for the command line's tests:
``python -m sqlcrud.testing tests.planted:app``.
"""

import os
from collections.abc import Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel, create_engine

from examples.heroes.models import Hero, HeroCreate, HeroPublic, HeroUpdate
from examples.notes.models import Note, NoteCreate, NotePublic, NoteUpdate, User
from sqlcrud import Hooks, crud_router
from tests.conftest import sync_dependency
from tests.models import Document, DocumentCreate, DocumentPublic, DocumentUpdate, Member, MemberCreate, MemberPublic

__all__ = ["User"]  # for the tests that add users
ANN, BOB = {"X-User": "1"}, {"X-User": "2"}


def raising_hook(session: Callable[..., Any]) -> FastAPI:
    """A hook that divides by the length of a name: an empty name is a ZeroDivisionError."""
    hooks = Hooks(before_create=lambda body: {"age": 100 // len(body.name)})
    return _app(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=session, hooks=hooks))


def user(x_user: Annotated[int, Header()]) -> int:
    return x_user


def mine_unless_first(user: Annotated[int, Depends(user)]) -> Any:
    """A scope that forgets a case: user 1 sees every note."""
    return None if user == 1 else Note.owner_id == user


def set_owner(user: Annotated[int, Depends(user)]) -> dict[str, Any]:
    return {"owner_id": user}


def leaky_scope(session: Callable[..., Any]) -> FastAPI:
    options: dict[str, Any] = {"scope": mine_unless_first, "hooks": Hooks(before_create=set_owner)}
    router = crud_router(Note, NoteCreate, NotePublic, NoteUpdate, session=session, count=True, cursor=True, **options)
    return _app(router)


def refused_model(session: Callable[..., Any]) -> FastAPI:
    """A column type that fails on a value the model allows: null."""
    return _app(crud_router(Member, MemberCreate, MemberPublic, MemberCreate, session=session))


def _app(*routers: Any, **options: Any) -> FastAPI:
    app = FastAPI(**options)
    for router in routers:
        app.include_router(router)
    return app


engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///planted.db"))
get_session = sync_dependency(engine)


@asynccontextmanager
async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
    SQLModel.metadata.create_all(engine)
    yield


app = raising_hook(get_session)
app.router.lifespan_context = lifespan


def failing_update(session: Callable[..., Any]) -> FastAPI:
    """Behind ``require_if_match``, an update hook that fails on every change of title."""
    hooks = Hooks(before_update=lambda body: {"title": body.title[100]} if body.title is not None else {})
    options: dict[str, Any] = {"etag": "version", "require_if_match": True, "hooks": hooks}
    return _app(crud_router(Document, DocumentCreate, DocumentPublic, DocumentUpdate, session=session, **options))


def corrupting_update(session: Callable[..., Any]) -> FastAPI:
    """An update hook that sets the age whenever the name is sent: a field the client did not send."""
    hooks = Hooks(before_update=lambda body: {"age": 7} if body.name is not None else {})
    return _app(crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=session, hooks=hooks))


def leaking_handler(session: Callable[..., Any]) -> FastAPI:
    """An error handler that shows the database error: SQL in a 400, for a column type that
    fails on null."""
    app = refused_model(session)

    async def show(request: Any, error: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, 400)

    app.add_exception_handler(SQLAlchemyError, show)
    return app


def broken_json(session: Callable[..., Any]) -> FastAPI:
    """A 404 handler whose answer says JSON but is not."""
    app = raising_hook(session)

    async def not_found(request: Any, error: Exception) -> Response:
        return Response(b"not found", 404, media_type="application/json")

    app.add_exception_handler(404, not_found)
    return app


def refuse_bob(user: Annotated[int, Depends(user)]) -> None:
    if user == 2:
        raise HTTPException(403, "Not you")


def undeclared_status(session: Callable[..., Any]) -> FastAPI:
    """A dependency that answers 403, which OpenAPI does not declare."""
    return _app(
        crud_router(Hero, HeroCreate, HeroPublic, HeroUpdate, session=session, dependencies=[Depends(refuse_bob)])
    )


def half_written_bulk(session: Callable[..., Any]) -> FastAPI:
    """A create dependency that writes the first row of an array itself, before the body is
    validated: an array sqlcrud refuses still leaves that row behind."""

    async def first_row(request: Request) -> dict[str, Any] | None:
        try:
            body = await request.json()
        except ValueError:
            return None
        return body[0] if isinstance(body, list) and body and isinstance(body[0], dict) else None

    def write_it(
        first: Annotated[dict[str, Any] | None, Depends(first_row)], db: Annotated[Any, Depends(session)]
    ) -> None:
        if first is not None:
            db.add(Hero(name=first.get("name", "x"), secret_name=first.get("secret_name", "x")))
            db.commit()

    router = crud_router(
        Hero,
        HeroCreate,
        HeroPublic,
        HeroUpdate,
        session=session,
        bulk=True,
        route_dependencies={"create": [Depends(write_it)]},
    )
    return _app(router)
