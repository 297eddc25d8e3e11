"""The five operations, written once as plain functions of a sync ``Session``.

Under an ``AsyncSession`` they run inside ``run_sync`` (see ``_bridge``), so the same
code serves both. Each sends one statement, then commits if it wrote and rolls back if
it read, so that closing the session sends nothing: FastAPI may close it before sending
the answer, and a connection that died meanwhile must not turn a 200 or a 404 into a 500.
A counted list and a write under a hash ``If-Match`` (read, compare, then a
compare-and-swap write) send two. Related rows that
the public model nests add one statement per relationship (see ``_related``).
Input has been validated before these run; what the database still refuses is turned
into an HTTP answer by ``database_errors``. Statements go through the session's
connection: they are Core statements, and the ORM layer of ``Session.execute`` would
only add time; the session's transaction is the same.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

from sqlalchemy import ColumnElement, Executable, Result
from sqlalchemy.orm import Session

from ._errors import database_errors, rollback
from ._etag import Guard
from ._limits import time_limit
from ._listing import Page
from ._query import PK, Statements

Row = dict[str, Any]
Where = tuple[ColumnElement[bool], ...]  # extra conditions: a row scope
S = TypeVar("S", bound=Executable)
T = TypeVar("T")


def list_rows(session: Session, q: Statements, page: Page) -> tuple[list[Row], int | None]:
    """The page's rows, and the count of all matching rows if the router gives it."""
    with _sending(session, q, "list"):
        rows = _all(session.connection().execute(page.statement, page.params))
        q.shape.load(session.connection(), rows)
        total = None if page.count is None else session.connection().execute(page.count).scalar_one()
    rollback(session)
    return rows, total


def read_row(session: Session, q: Statements, pk: Any, where: Where = ()) -> Row | None:
    with _sending(session, q, "read"):
        row = _nest(session, q, _first(session.connection().execute(_scoped(q.one, where), {PK: pk})))
    rollback(session)
    return row


def create_row(session: Session, q: Statements, values: dict[str, Any]) -> Row:
    with _sending(session, q, "create"):
        result = session.connection().execute(q.insert, q.params(values))
        row = dict(zip(result.keys(), result.one()))
        q.shape.load(session.connection(), [row])
        session.commit()
    return row


def update_row(session: Session, q: Statements, pk: Any, values: dict[str, Any], where: Where = ()) -> Row | None:
    if not values:  # nothing to change: answer with the row as it is
        return read_row(session, q, pk, where)
    with _sending(session, q, "update"):
        row = _first(session.connection().execute(_scoped(q.update, where), q.params(values) | {PK: pk}))
        row = _nest(session, q, row)
        session.commit()
    return row


def delete_row(session: Session, q: Statements, pk: Any, where: Where = ()) -> bool:
    with _sending(session, q, "delete"):
        deleted = _first(session.connection().execute(_scoped(q.delete, where), {PK: pk})) is not None
        session.commit()
    return deleted


def update_row_if(
    session: Session, q: Statements, pk: Any, values: dict[str, Any], where: Where, guard: Guard
) -> Row | Literal[False] | None:
    """``update_row`` if the row passes an If-Match ``guard``: the row, None if missing,
    False if it does not match (or changed between the check and the write)."""
    return _if_match(session, q, pk, where, guard, lambda w: update_row(session, q, pk, values, w))


def delete_row_if(session: Session, q: Statements, pk: Any, where: Where, guard: Guard) -> bool | None:
    """``delete_row`` if the row passes an If-Match ``guard``: True, None if missing, False."""
    deleted = _if_match(session, q, pk, where, guard, lambda w: delete_row(session, q, pk, w) or None)
    return None if deleted is None else deleted is not False


def _if_match(
    session: Session, q: Statements, pk: Any, where: Where, guard: Guard, write: Callable[[Where], T]
) -> T | Literal[False] | None:
    if guard.matches is None:  # the write checks it (a version column): one statement
        done = write((*where, *guard.conditions))
        if done is None and read_row(session, q, pk, where) is not None:
            return False
        return done
    current = read_row(session, q, pk, where)
    if current is None:
        return None
    if not guard.matches(current):
        return False
    done = write((*where, *q.unchanged(current)))  # compare-and-swap against what was read
    return False if done is None else done


@contextmanager
def _sending(session: Session, q: Statements, operation: str) -> Iterator[None]:
    """Statements sent in this block answer their errors over HTTP, within the router's time limit."""
    with database_errors(session, q.table.names.title, operation), time_limit(session, q.time_limit):
        yield


def _nest(session: Session, q: Statements, row: Row | None) -> Row | None:
    """The row with the related rows its public model nests."""
    if row is not None:
        q.shape.load(session.connection(), [row])
    return row


def _scoped(statement: S, where: Where) -> S:
    return statement.where(*where) if where else statement  # type: ignore[attr-defined]


def _all(result: Result[Any]) -> list[Row]:
    keys = list(result.keys())
    return [dict(zip(keys, row)) for row in result]


def _first(result: Result[Any]) -> Row | None:
    row = result.first()
    return None if row is None else dict(zip(result.keys(), row))
