"""Database errors as HTTP answers that name no SQL and no driver.

Errors are classified by SQLSTATE, the code PostgreSQL drivers carry; SQLite's extended
result names (``SQLITE_CONSTRAINT_UNIQUE``) and MySQL's and MariaDB's error numbers
(whose SQLSTATEs are coarser: 23000 for every constraint) are mapped onto the same codes
so that every database answers alike. Details go to the ``sqlcrud`` logger, never to the
client.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi import HTTPException, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import exc
from sqlalchemy.orm import Session

logger = logging.getLogger("sqlcrud")

UNIQUE, FOREIGN_KEY, CANCELED = "23505", "23503", "57014"
_SQLITE = {
    "SQLITE_CONSTRAINT_UNIQUE": UNIQUE,
    "SQLITE_CONSTRAINT_PRIMARYKEY": UNIQUE,
    "SQLITE_CONSTRAINT_FOREIGNKEY": FOREIGN_KEY,
    "SQLITE_CONSTRAINT_NOTNULL": "23502",
    "SQLITE_CONSTRAINT_CHECK": "23514",
    "SQLITE_INTERRUPT": "57014",  # a statement past the router's time limit (see ``_limits``)
}
_MYSQL = {
    **dict.fromkeys((1062, 1586), UNIQUE),  # duplicate entry
    **dict.fromkeys((1216, 1217, 1451, 1452), FOREIGN_KEY),  # no parent row, or a row refers to this one
    1048: "23502",  # column cannot be null
    **dict.fromkeys((3819, 4025), "23514"),  # a CHECK constraint (MariaDB's JSON columns have one)
    **dict.fromkeys((1265, 1406), "22001"),  # data too long, or truncated
    1264: "22003",  # out of range
    **dict.fromkeys((1292, 1366, 1367), "22007"),  # a value the column's type refuses
    1213: "40001",  # deadlock; a Galera certification conflict reports it too
    1205: "55P03",  # lock wait timeout
    **dict.fromkeys((1969, 3024), CANCELED),  # max_statement_time
    **dict.fromkeys((1040, 1203), "53300"),  # too many connections
    1053: "57P01",  # server shutdown
    **dict.fromkeys((1047, 1927), "08006"),  # Galera node not ready; connection killed
}
# Connection exceptions, transaction rollbacks (serialization, deadlock), insufficient
# resources, operator intervention (shutdown): the database, not the request, is at fault.
_UNAVAILABLE = ("08", "40", "53", "57", "55P03")  # 55P03: lock_timeout, on every driver
# A serialization failure or a deadlock rolled the transaction back: running it again
# may well succeed. Up to this many more times, then the client gets the 503.
_TRANSIENT = ("40001", "40P01")
RETRIES = 2
TOO_LONG = "The request took longer than its time limit: narrow it with filters or a lower limit"
T = TypeVar("T")


def sqlstate(error: exc.DBAPIError) -> str:
    """The SQLSTATE of a driver error, or "" when the driver gives none."""
    orig: Any = error.orig
    args = getattr(orig, "args", ())
    if args and isinstance(args[0], int) and args[0] in _MYSQL:  # PyMySQL: (error number, message)
        return _MYSQL[args[0]]
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code is None:
        code = _SQLITE.get(getattr(orig, "sqlite_errorname", ""))
    return str(code or "")


class Unavailable(HTTPException):
    """A 503: the database cannot answer now."""

    def __init__(self, transient: bool = False) -> None:
        super().__init__(503, "Database unavailable, try again later", headers={"Retry-After": "1"})
        self.transient = transient  # the transaction was rolled back, and may be run again


def not_found(title: str) -> HTTPException:
    return HTTPException(404, f"{title} not found")


def retried(session: Session, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``operation(session, ...)``, run again after a serialization failure or a deadlock.

    Safe: the failed attempt was rolled back whole, and an operation only talks to the
    database (hooks run outside it).
    """
    for _ in range(RETRIES):
        try:
            return operation(session, *args, **kwargs)
        except Unavailable as error:
            if not error.transient:
                raise
    return operation(session, *args, **kwargs)


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
    if code.startswith("54"):  # program limit exceeded: a value too large to index, say
        return HTTPException(422, f"{title} has a value too large for the database")
    if code == CANCELED:  # a statement past its time limit: the request costs too much
        return HTTPException(422, TOO_LONG)
    if code.startswith(_UNAVAILABLE) or error.connection_invalidated or isinstance(error, exc.OperationalError):
        return Unavailable(transient=code in _TRANSIENT)
    return None


def rollback(session: Session, *, close: bool = False) -> None:
    """End the session's transaction, even over a connection that has died.

    FastAPI closes a ``yield`` dependency's session before it sends an error answer (older
    versions before any answer); a transaction left open then rolls back over a
    connection that may have died since the statement answered, and the answer becomes
    a 500. A failed rollback here has already invalidated the connection, so closing the
    session sends nothing. ``close``: close the session instead, which rolls back too and
    costs less than a rollback, for a session no one uses after the operation.
    """
    try:
        session.close() if close else session.rollback()
    except exc.DBAPIError as error:
        logger.warning("rollback: %s (SQLSTATE %s)", type(error.orig).__name__, sqlstate(error) or "none")


@contextmanager
def database_errors(session: Session, title: str, operation: str) -> Iterator[None]:
    """Roll back, log, and answer with a 4xx or a 503 when a statement or commit fails."""
    try:
        yield
    except exc.DBAPIError as error:
        rollback(session)
        answer = to_http(error, title)
        level = logging.ERROR if answer is None else logging.WARNING if answer.status_code >= 500 else logging.INFO
        name, code = type(error.orig).__name__, sqlstate(error) or "none"
        logger.log(level, "%s %s: %s (SQLSTATE %s)", operation, title, name, code)
        if answer is None:
            raise
        raise answer from error
    except exc.StatementError as error:
        # Not the database's answer: a column type refused a value while binding it.
        rollback(session)
        if not isinstance(error.orig, ValueError | OverflowError):  # UnicodeEncodeError is a ValueError
            raise
        logger.info("%s %s: %s while binding a value", operation, title, type(error.orig).__name__)
        raise HTTPException(422, f"{title} has a value the database refuses") from error
    except (exc.TimeoutError, OSError) as error:
        # No pooled connection came free in time, or a driver (asyncpg) let a refused or
        # broken connection through unwrapped.
        logger.warning("%s %s: %s", operation, title, error)
        raise Unavailable() from error
    except Exception as error:
        # A driver's own error that SQLAlchemy did not wrap: asyncpg's refusal to connect
        # while the server shuts down, under SQLAlchemy 2.0. Classified by its SQLSTATE.
        state = getattr(error, "sqlstate", None)
        if not (isinstance(state, str) and state.startswith(_UNAVAILABLE)):
            raise
        logger.warning("%s %s: %s (SQLSTATE %s)", operation, title, type(error).__name__, state)
        raise Unavailable() from error


async def outage_handler(request: Request, error: Exception) -> Response:
    """An exception handler that answers a database outage in the app's own code as sqlcrud does.

    A dependency such as ``current_user`` that queries the database raises the driver's
    error when the database is down; with this handler the client gets the same 503
    with ``Retry-After`` as from sqlcrud's routes. Any other error is raised again, so
    that a bug still shows as one::

        app.add_exception_handler(SQLAlchemyError, outage_handler)
        app.add_exception_handler(OSError, outage_handler)  # asyncpg: a refused connection
    """
    answer = to_http(error, "") if isinstance(error, exc.DBAPIError) else None
    if isinstance(error, exc.TimeoutError | OSError):
        answer = Unavailable()
    if not isinstance(answer, Unavailable):
        raise error
    logger.warning("%s %s: %s", request.method, request.url.path, type(error).__name__)
    return JSONResponse({"detail": answer.detail}, answer.status_code, answer.headers)
