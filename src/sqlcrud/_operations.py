"""The operations of the routes, written once as plain functions of a sync ``Session``.

Under an ``AsyncSession`` they run inside ``run_sync`` (see ``_bridge``), so the same
code serves both. Each sends one statement (an update on MariaDB two: see ``_update``),
then commits if it wrote and rolls back if it read, so that closing the session sends
nothing: FastAPI may close it before sending the answer, and a connection that died
meanwhile must not turn a 200 or a 404 into a 500. A counted list and a write under a
hash ``If-Match`` (read, compare, then a compare-and-swap write) send two, and so do the
writes of many rows (``bulk=True``: the rows chosen and locked, then the write). Related rows
that the public model nests add one statement per relationship (see ``_related``). Input
has been validated before these run; what the database still refuses is turned into an
HTTP answer by ``database_errors``, and a missing row (404) or one that fails an
``If-Match`` (412) is raised here too, while the session dependency is still open.
Statements go through the session's connection: they are Core statements, and the ORM
layer of ``Session.execute`` would only add time; the session's transaction is the same.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi.exceptions import RequestValidationError
from sqlalchemy import ColumnElement, Connection, Executable, Result
from sqlalchemy.orm import Session

from ._bridge import owned
from ._columns import bound
from ._errors import database_errors, not_found, rollback
from ._etag import Guard, precondition_failed
from ._limits import time_limit
from ._listing import Page
from ._query import Statements

Row = dict[str, Any]
Key = tuple[Any, ...]  # a row's primary key values, in the table's key order
Where = tuple[ColumnElement[bool], ...]  # extra conditions: a row scope
S = TypeVar("S", bound=Executable)
T = TypeVar("T")


def list_rows(session: Session, q: Statements, page: Page) -> tuple[list[Row], int | None]:
    """The page's rows, and the count of all matching rows if the router gives it."""
    with _sending(session, q, "list") as connection:
        rows = _all(connection.execute(page.statement, page.params))
        q.shape.load(connection, rows)
        total = None if page.count is None else connection.execute(page.count).scalar_one()
    rollback(session, close=owned(session))
    return rows, total


def read_row(session: Session, q: Statements, pk: Key, where: Where = ()) -> Row:
    return _found(q, _read(session, q, pk, where))


def create_row(session: Session, q: Statements, values: dict[str, Any]) -> Row:
    with _sending(session, q, "create", commit=True) as connection:
        result = connection.execute(q.insert, q.params(values))
        row = dict(zip(result.keys(), result.one()))
        q.shape.load(connection, [row])
    return row


def update_row(session: Session, q: Statements, pk: Key, values: dict[str, Any], where: Where = ()) -> Row:
    return _found(q, _update(session, q, pk, values, where))


def replace_row(
    session: Session, q: Statements, pk: Key, values: dict[str, Any], kept: dict[str, Any], where: Where = ()
) -> Row:
    """``update_row`` for a PUT of a whole record: the read-only fields it repeats (``kept``)
    must still hold those values, checked by the UPDATE itself.

    Raises:
        RequestValidationError: a read-only field differs from the row's.
        HTTPException: 404, no such row; 412, the row changed between the UPDATE and the check.
    """
    row = _update(session, q, pk, values, (*where, *q.holding(kept)))
    if row is not None:
        return row
    current = _found(q, _read(session, q, pk, where))
    changed = [name for name, value in kept.items() if current[name] != value]
    if not changed:
        raise precondition_failed()
    message = "Field is read-only: send the value the row holds, or leave the field out"
    errors = [{"type": "read_only", "loc": ("body", name), "msg": message, "input": kept[name]} for name in changed]
    raise RequestValidationError(errors)


def delete_row(session: Session, q: Statements, pk: Key, where: Where = (), answer: bool = False) -> Row | None:
    """Delete a row; with ``answer``, return it as it was (one ``DELETE … RETURNING``)."""
    deleted = _found(q, _delete(session, q, pk, where, answer))
    return deleted if answer else None


def update_row_if(session: Session, q: Statements, pk: Key, values: dict[str, Any], where: Where, guard: Guard) -> Row:
    """``update_row`` if the row passes an If-Match ``guard``: a 412 if it does not (or
    changed between the check and the write)."""
    return _found(q, _if_match(session, q, pk, where, guard, lambda w: _update(session, q, pk, values, w)))


def delete_row_if(
    session: Session, q: Statements, pk: Key, where: Where, guard: Guard, answer: bool = False
) -> Row | None:
    """``delete_row`` if the row passes an If-Match ``guard``: a 412 if it does not."""
    deleted = _found(q, _if_match(session, q, pk, where, guard, lambda w: _delete(session, q, pk, w, answer)))
    return deleted if answer else None


def create_rows(session: Session, q: Statements, rows: list[dict[str, Any]]) -> list[Row]:
    """Insert ``rows`` in one transaction: one ``INSERT … RETURNING`` for rows that give
    the same columns (SQLAlchemy splits it only past the driver's parameter limit), and
    one per other set of columns. The created rows, in the order given."""
    created: list[Row] = [{} for _ in rows]
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, values in enumerate(rows):
        groups.setdefault(tuple(values), []).append(i)
    with _sending(session, q, "create", commit=True) as connection:
        for indexes in groups.values():
            for i, row in zip(indexes, _inserted(connection, q, [q.params(rows[i]) for i in indexes])):
                created[i] = row
        q.shape.load(connection, created)
    return created


def _inserted(connection: Connection, q: Statements, params: list[dict[str, Any]]) -> list[Row]:
    """The rows of one multi-row INSERT … RETURNING, in the order of ``params``.

    SQLAlchemy keeps that order on PostgreSQL and MariaDB, within one statement per batch;
    on SQLite it can only by sending a statement per row. There the rows are put in order
    here: by the keys the rows were given, or by a key of SQLite's rowid, which numbers
    the rows of one INSERT upwards in the order of its VALUES.
    """
    table = q.table
    if connection.dialect.name != "sqlite":
        return _all(connection.execute(q.insert_many, params))
    columns = [column.key for column in table.key_columns]
    given = all(name in values for values in params for name in columns)
    if not given and table.key_columns != [table.table.autoincrement_column]:
        return _all(connection.execute(q.insert_many, params))  # SQLAlchemy's: a statement per row
    rows = _all(connection.execute(q.insert, params))
    if not given:
        return sorted(rows, key=table.key_of)
    return _in_order(q, rows, [tuple(values[name] for name in columns) for values in params])


def update_rows(session: Session, q: Statements, chosen: Executable, values: dict[str, Any], cap: int) -> list[Row]:
    """Update the rows ``chosen`` selects (their keys, in key order, locked), at most ``cap``.

    Raises:
        RequestValidationError: more than ``cap`` rows are chosen; nothing is changed.
    """
    with _sending(session, q, "update", commit=True) as connection:
        keys = _keys(session, connection, chosen, cap)
        table = q.table
        new_keys = [tuple(values.get(name, value) for name, value in zip(table.key, key)) for key in keys]
        if not keys:
            rows = []
        elif not values:
            rows = _all(connection.execute(q.select_many, q.keys(keys)))
        elif connection.dialect.update_returning:
            rows = _all(connection.execute(q.update_many, q.params(values) | q.keys(keys)))
        else:  # MariaDB: the rows are locked, and read back by their (new) keys
            connection.execute(q.update_many_only, q.params(values) | q.keys(keys))
            rows = _all(connection.execute(q.select_many, q.keys(new_keys)))
        rows = _in_order(q, rows, new_keys)
        q.shape.load(connection, rows)
    return rows


def delete_rows(session: Session, q: Statements, chosen: Executable, cap: int) -> list[Row]:
    """Delete the rows ``chosen`` selects (whole, in key order, locked), at most ``cap``;
    answer them as they were, with what they nest.

    Raises:
        RequestValidationError: more than ``cap`` rows are chosen; nothing is deleted.
    """
    with _sending(session, q, "delete", commit=True) as connection:
        rows = _all(connection.execute(chosen))
        _at_most(session, rows, cap)
        q.shape.load(connection, rows)
        if rows:
            connection.execute(q.delete_many, q.keys([q.table.key_of(row) for row in rows]))
    return rows


def _keys(session: Session, connection: Connection, chosen: Executable, cap: int) -> list[Key]:
    keys = [tuple(row) for row in connection.execute(chosen)]
    _at_most(session, keys, cap)
    return keys


def _at_most(session: Session, rows: list[Any], cap: int) -> None:
    """Raises RequestValidationError, after a rollback, if ``chosen`` found more than ``cap`` rows."""
    if len(rows) > cap:
        rollback(session)
        message = f"The filters select more than {cap} rows, the most one request may change: narrow them"
        raise RequestValidationError([{"type": "too_many_rows", "loc": ("query",), "msg": message, "input": None}])


def _in_order(q: Statements, rows: list[Row], keys: list[Key]) -> list[Row]:
    """``rows`` in the order of ``keys`` (RETURNING and IN keep no order)."""
    columns = q.table.key_columns

    def stored(key: Key) -> Key:  # a datetime read back aware, as its column holds it
        return tuple(bound(column, value) for column, value in zip(columns, key))

    position = {stored(key): i for i, key in enumerate(keys)}
    return sorted(rows, key=lambda row: position[stored(q.table.key_of(row))])


def _read(session: Session, q: Statements, pk: Key, where: Where) -> Row | None:
    with _sending(session, q, "read") as connection:
        row = _nest(connection, q, _first(connection.execute(_scoped(q.one, where), q.key(pk))))
    rollback(session, close=owned(session))
    return row


def _update(session: Session, q: Statements, pk: Key, values: dict[str, Any], where: Where) -> Row | None:
    if not values:  # nothing to change: answer with the row as it is
        return _read(session, q, pk, where)
    params = q.params(values) | q.key(pk)
    with _sending(session, q, "update", commit=True) as connection:
        if connection.dialect.update_returning:
            row = _first(connection.execute(_scoped(q.update, where), params))
        elif connection.execute(_scoped(q.update_only, where), params).rowcount:
            # MariaDB: no UPDATE … RETURNING. The row the UPDATE changed, which it holds
            # locked until the commit, read by its key (new, if it set one) in the same transaction.
            key = tuple(values.get(name, value) for name, value in zip(q.table.key, pk))
            row = _first(connection.execute(q.one, q.key(key)))
        else:
            row = None
        return _nest(connection, q, row)


def _delete(session: Session, q: Statements, pk: Key, where: Where, answer: bool = False) -> Row | None:
    """The deleted row (only its key, unless ``answer``), or None if there was none."""
    with _sending(session, q, "delete", commit=True) as connection:
        row = _first(connection.execute(_scoped(q.delete_answering if answer else q.delete, where), q.key(pk)))
        return _nest(connection, q, row) if answer else row


def _if_match(
    session: Session, q: Statements, pk: Key, where: Where, guard: Guard, write: Callable[[Where], T | None]
) -> T | None:
    """``write`` if the row passes ``guard``; None if the row is missing.

    Raises:
        HTTPException: 412, the row does not match.
    """
    if guard.matches is None:  # the write checks it (a version column): one statement
        done = write((*where, *guard.conditions))
        if done is None and _read(session, q, pk, where) is not None:
            raise precondition_failed()
        return done
    current = _read(session, q, pk, where)
    if current is None:
        return None
    if not guard.matches(current):
        raise precondition_failed()
    done = write((*where, *q.unchanged(current)))  # compare-and-swap against what was read
    if done is None:
        raise precondition_failed()
    return done


def _found(q: Statements, row: T | None) -> T:
    """``row``, or the 404 of a missing one: raised inside the operation, so that the
    session dependency sees it at its ``yield``, as FastAPI would deliver it."""
    if row is None:
        raise not_found(q.table.names.title)
    return row


@contextmanager
def _sending(session: Session, q: Statements, operation: str, *, commit: bool = False) -> Iterator[Connection]:
    """The session's connection, whose statements sent in this block answer their errors
    over HTTP, within the router's time limit; then the commit, if the block writes."""
    with database_errors(session, q.table.names.title, operation):
        with time_limit(session, q.time_limit):
            yield session.connection()
        if commit:
            session.commit()


def _nest(connection: Connection, q: Statements, row: Row | None) -> Row | None:
    """The row with the related rows its public model nests."""
    if row is not None:
        q.shape.load(connection, [row])
    return row


def _scoped(statement: S, where: Where) -> S:
    return statement.where(*where) if where else statement  # type: ignore[attr-defined]


def _all(result: Result[Any]) -> list[Row]:
    keys = list(result.keys())
    return [dict(zip(keys, row)) for row in result.all()]  # one fetchall, not a fetchone per row


def _first(result: Result[Any]) -> Row | None:
    row = result.first()
    return None if row is None else dict(zip(result.keys(), row))
