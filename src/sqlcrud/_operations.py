"""The five operations, written once as plain functions of a sync ``Session``.

Under an ``AsyncSession`` they run inside ``run_sync`` (see ``_bridge``), so the same
code serves both. Each sends exactly one statement (a counted list, two), then commits if it wrote.
Input has been validated before these run; what the database still refuses is turned
into an HTTP answer by ``database_errors``. Statements go through the session's
connection: they are Core statements, and the ORM layer of ``Session.execute`` would
only add time; the session's transaction is the same.
"""

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Executable, Result
from sqlalchemy.orm import Session

from ._errors import database_errors
from ._listing import Page
from ._query import PK, Statements

Row = dict[str, Any]
Where = tuple[ColumnElement[bool], ...]  # extra conditions: a row scope
S = TypeVar("S", bound=Executable)


def list_rows(session: Session, q: Statements, page: Page) -> tuple[list[Row], int | None]:
    """The page's rows, and the count of all matching rows if the router gives it."""
    with database_errors(session, q.table.names.title):
        rows = _all(session.connection().execute(page.statement, page.params))
        total = None if page.count is None else session.connection().execute(page.count).scalar_one()
    return rows, total


def read_row(session: Session, q: Statements, pk: Any, where: Where = ()) -> Row | None:
    with database_errors(session, q.table.names.title):
        return _first(session.connection().execute(_scoped(q.one, where), {PK: pk}))


def create_row(session: Session, q: Statements, values: dict[str, Any]) -> Row:
    with database_errors(session, q.table.names.title):
        result = session.connection().execute(q.insert, q.params(values))
        row = dict(zip(result.keys(), result.one()))
        session.commit()
    return row


def update_row(session: Session, q: Statements, pk: Any, values: dict[str, Any], where: Where = ()) -> Row | None:
    if not values:  # nothing to change: answer with the row as it is
        return read_row(session, q, pk, where)
    with database_errors(session, q.table.names.title):
        row = _first(session.connection().execute(_scoped(q.update, where), q.params(values) | {PK: pk}))
        session.commit()
    return row


def delete_row(session: Session, q: Statements, pk: Any, where: Where = ()) -> bool:
    with database_errors(session, q.table.names.title):
        deleted = _first(session.connection().execute(_scoped(q.delete, where), {PK: pk})) is not None
        session.commit()
    return deleted


def _scoped(statement: S, where: Where) -> S:
    return statement.where(*where) if where else statement  # type: ignore[attr-defined]


def _all(result: Result[Any]) -> list[Row]:
    keys = list(result.keys())
    return [dict(zip(keys, row)) for row in result]


def _first(result: Result[Any]) -> Row | None:
    row = result.first()
    return None if row is None else dict(zip(result.keys(), row))
