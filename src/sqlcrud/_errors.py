"""Database errors as HTTP answers that name no SQL and no driver.

Errors are classified by SQLSTATE, the code PostgreSQL drivers carry; SQLite's extended
result names (``SQLITE_CONSTRAINT_UNIQUE``) are mapped onto the same codes so that both
databases answer alike. Details go to the ``sqlcrud`` logger, never to the client.
"""

import logging
from collections.abc import Callable, Coroutine, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy import exc
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Message, Receive, Scope, Send

from ._columns import encodes

logger = logging.getLogger("sqlcrud")

UNIQUE, FOREIGN_KEY = "23505", "23503"
_SQLITE = {
    "SQLITE_CONSTRAINT_UNIQUE": UNIQUE,
    "SQLITE_CONSTRAINT_PRIMARYKEY": UNIQUE,
    "SQLITE_CONSTRAINT_FOREIGNKEY": FOREIGN_KEY,
    "SQLITE_CONSTRAINT_NOTNULL": "23502",
    "SQLITE_CONSTRAINT_CHECK": "23514",
}
# Connection exceptions, transaction rollbacks (serialization, deadlock), insufficient
# resources, operator intervention (shutdown): the database, not the request, is at fault.
_UNAVAILABLE = ("08", "40", "53", "57")


def sqlstate(error: exc.DBAPIError) -> str:
    """The SQLSTATE of a driver error, or "" when the driver gives none."""
    orig: Any = error.orig
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code is None:
        code = _SQLITE.get(getattr(orig, "sqlite_errorname", ""))
    return str(code or "")


def unavailable() -> HTTPException:
    return HTTPException(503, "Database unavailable, try again later", headers={"Retry-After": "1"})


def to_http(error: exc.DBAPIError, title: str) -> HTTPException | None:
    """The client's answer to a failed statement, or None for a server-side bug.

    Constraint violations and bad data are the client's doing (409 and 422); a database
    that cannot be reached or is overloaded is a 503 worth retrying.
    """
    code = sqlstate(error)
    if code == UNIQUE:
        return HTTPException(409, f"{title} conflicts with an existing row")
    if code == FOREIGN_KEY:
        return HTTPException(409, f"{title} refers to a missing row or is referred to by another")
    if code.startswith(("22", "23")) or isinstance(error, (exc.IntegrityError, exc.DataError)):
        return HTTPException(422, f"{title} has a value the database refuses")
    if code.startswith(_UNAVAILABLE) or error.connection_invalidated or isinstance(error, exc.OperationalError):
        return unavailable()
    return None


@contextmanager
def database_errors(session: Session, title: str) -> Iterator[None]:
    """Roll back, log, and answer with a 4xx or a 503 when a statement or commit fails."""
    try:
        yield
    except exc.DBAPIError as error:
        session.rollback()
        answer = to_http(error, title)
        level = logging.ERROR if answer is None else logging.WARNING if answer.status_code >= 500 else logging.INFO
        logger.log(level, "%s: %s (SQLSTATE %s)", title, type(error.orig).__name__, sqlstate(error) or "none")
        if answer is None:
            raise
        raise answer from error
    except (exc.TimeoutError, OSError) as error:
        # No pooled connection came free in time, or a driver (asyncpg) let a refused or
        # broken connection through unwrapped.
        logger.warning("%s: %s", title, error)
        raise unavailable() from error


ALLOW = "sqlcrud_allow"  # endpoint attribute: every method the endpoint's path serves


def allow_methods(routes: Iterable[tuple[str, Callable[..., Any], str]]) -> None:
    """Record, on each endpoint, the methods its path serves, for 405 answers."""
    methods: dict[str, set[str]] = {}
    for path, _, method in routes:
        methods.setdefault(path, set()).update({method, "HEAD"} if method == "GET" else {method})
    for path, endpoint, _ in routes:
        setattr(endpoint, ALLOW, ", ".join(sorted(methods[path])))


class Route(APIRoute):
    """A route whose validation errors can always be rendered as JSON.

    FastAPI echoes the offending input in a 422, and a JSON body may hold a lone
    surrogate (``"\\ud800"``) that no UTF-8 encoder accepts: the error handler itself
    would then fail with a 500. Such text is shown backslash-escaped instead.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and scope["method"] == "HEAD" and "GET" in (self.methods or ()):
            return super().matches({**scope, "method": "GET"})  # HEAD is GET without a body
        return super().matches(scope)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "HEAD" and "GET" in (self.methods or ()):
            await super().handle({**scope, "method": "GET"}, receive, _without_body(send))
            return
        if self.methods and scope["method"] not in self.methods and hasattr(self.endpoint, ALLOW):
            # Starlette would name only this route's methods; the path may serve more.
            raise StarletteHTTPException(405, headers={"Allow": getattr(self.endpoint, ALLOW)})
        await super().handle(scope, receive, send)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                raise RequestValidationError(_printable(error.errors()), body=error.body) from error

        return route_handler


def _without_body(send: Send) -> Send:
    """``send`` for a HEAD answer: GET's status and headers (Content-Length too), no body."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_head


def _printable(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode() if not encodes(value) else value
    if isinstance(value, dict):
        return {key: _printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(item) for item in value]
    return value
