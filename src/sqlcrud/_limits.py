"""A router's time limit on its statements, enforced by the database on every backend.

PostgreSQL: ``statement_timeout``, set for the transaction only (``set_config(...,
true)``), once per transaction. MariaDB: ``max_statement_time``, which has no
transaction-local form: set for the block and set back before the transaction ends (two
statements more). SQLite: a progress handler that interrupts a statement running past
its deadline. Either way the database cancels the statement (SQLSTATE 57014, or
``SQLITE_INTERRUPT`` and MariaDB's error 1969, mapped onto it) and the client gets a 422
that says the request was too costly, which it can tell apart from the 503 of an outage.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ._dialects import MYSQL

_SET = sa.text("SELECT set_config('statement_timeout', :ms, true)")
_SET_IN = "sqlcrud_time_limit"  # session.info: the transaction the limit was set in
_CLOCK = "sqlcrud_deadline"  # connection info: the SQLite connection's deadline
_STEPS = 1000  # SQLite virtual machine steps between two looks at the clock


class _Deadline:
    """The time a SQLite connection's running statements must end by, or None."""

    at: float | None = None

    def passed(self) -> bool:
        return self.at is not None and time.monotonic() > self.at


@contextmanager
def time_limit(session: Session, seconds: float | None) -> Iterator[None]:
    """Let the database cancel the statements sent inside this block after ``seconds``."""
    if seconds is None:
        yield
        return
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        transaction = session.get_transaction()
        if session.info.get(_SET_IN) is not transaction:
            connection.execute(_SET, {"ms": str(max(1, round(seconds * 1000)))})
            session.info[_SET_IN] = transaction
        yield
    elif dialect in MYSQL and getattr(connection.dialect, "is_mariadb", False):
        connection.exec_driver_sql(f"SET @@max_statement_time = {max(seconds, 0.001):.3f}")
        try:
            yield
        finally:
            connection.exec_driver_sql("SET @@max_statement_time = DEFAULT")
    elif dialect == "sqlite":
        deadline = _deadline(connection)
        deadline.at = time.monotonic() + seconds
        try:
            yield
        finally:
            deadline.at = None
    else:
        raise NotImplementedError(f"statement_timeout is not supported on {dialect}")


def _deadline(connection: sa.Connection) -> _Deadline:
    """The deadline of a SQLite connection, with its progress handler installed once."""
    pooled: Any = connection.connection
    deadline: _Deadline | None = pooled.info.get(_CLOCK)
    if deadline is None:
        deadline = pooled.info[_CLOCK] = _Deadline()
        driver = pooled.dbapi_connection
        if hasattr(driver, "run_async"):  # aiosqlite: its connection lives in its own thread
            driver.run_async(lambda raw: raw.set_progress_handler(deadline.passed, _STEPS))
        else:
            driver.set_progress_handler(deadline.passed, _STEPS)
    return deadline
