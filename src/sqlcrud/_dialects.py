"""SQL that each database spells its own way, so that every database answers alike.

The constructs here go into sqlcrud's statements once, database-neutral, and are
spelled for the database when a statement is compiled (SQLAlchemy's ``@compiles``):
PostgreSQL and SQLite get the plain SQL they always had.

- ``exact(text)``: text compared and sorted by code point, case-sensitively, trailing
  spaces counted. SQLite compares so, and PostgreSQL under the C collation; MySQL and
  MariaDB columns mostly have a case-insensitive collation that pads with spaces, so
  there ``exact`` adds ``COLLATE utf8mb4_nopad_bin`` (after a conversion to utf8mb4,
  so any character set works).
- ``equal(column, value)``: ``column = value``, exact for text; on MySQL and MariaDB the
  column's own ``=`` is kept beside the exact one, so that an index still finds the row.
- ``ordered(column, descending)``: NULLs sort as if larger than every value. MySQL and
  MariaDB have no ``NULLS LAST``: ``column IS NULL, column`` sorts the same.
- ``sorted_whole(select)``: MariaDB sorts by the first ``max_sort_length`` bytes of a
  value (1,024 by default), so long texts that share those would tie, and a cursor,
  which compares whole values, would skip rows. There the SELECT raises it to 64 KiB for
  itself (``SET STATEMENT … FOR``): whole ``TEXT`` values, the first 64 KiB of longer
  ones. Elsewhere it is the SELECT as it is.
- ``position(text, part)`` (1-based, 0 if absent) and ``ascii_lower(text)`` (A-Z only,
  the same everywhere: ``lower()`` follows a locale or a collation).
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

from ._columns import sql_type

MYSQL = ("mysql", "mariadb")
MAX_SORT_LENGTH = 65_536  # bytes: a TEXT column whole, and a sort buffer of the default size holds 32
_UPPER, _LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
ASCII_LOWER = str.maketrans(_UPPER, _LOWER)


def is_text(column: sa.ColumnElement[Any]) -> bool:
    type_ = sql_type(column)  # through decorators, such as SQLModel's AutoString
    return isinstance(type_, sa.String) and not isinstance(type_, sa.Enum)


class _Exact(FunctionElement[Any]):
    inherit_cache = True

    def __init__(self, text: sa.ColumnElement[Any]) -> None:
        super().__init__(text)
        self.type = text.type


class _Equal(FunctionElement[bool]):
    type = sa.Boolean()
    inherit_cache = True
    # A comparison, as ``=`` is: without this, a database without a boolean type (SQLite,
    # MariaDB) would get ``name = ? = 1`` in a WHERE, which no index answers.
    _is_implicitly_boolean = True


class _Ascending(FunctionElement[Any]):
    inherit_cache = True


class _Descending(FunctionElement[Any]):
    inherit_cache = True


class position(FunctionElement[int]):
    type = sa.Integer()
    inherit_cache = True


class ascii_lower(FunctionElement[str]):
    type = sa.String()
    inherit_cache = True


def exact(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """``column`` as it compares exactly, if it holds text."""
    return _Exact(column) if is_text(column) else column


def equal(column: sa.ColumnElement[Any], value: Any) -> sa.ColumnElement[bool]:
    if not is_text(column):
        plain: sa.ColumnElement[bool] = column == value
        return plain
    return _Equal(column, value if isinstance(value, sa.BindParameter) else sa.literal(value, column.type))


def ordered(column: sa.ColumnElement[Any], descending: bool, nullable: bool) -> Any:
    """``column`` in ascending or descending order, NULLs as if larger than every value."""
    if not nullable:  # no NULLS FIRST/LAST: SQLite cannot walk an index in an order that names them
        return column.desc() if descending else column.asc()
    return _Descending(column) if descending else _Ascending(column)


class sorted_whole(Executable, ClauseElement):
    """A SELECT whose ORDER BY compares whole values on every database."""

    inherit_cache = True
    _traverse_internals = [("select", InternalTraversal.dp_clauseelement)]  # noqa: RUF012  (SQLAlchemy's own form)

    def __init__(self, select: sa.Select[Any]) -> None:
        self.select = select

    @property
    def _all_selected_columns(self) -> Any:  # for SQLAlchemy's result of a cached statement
        return self.select._all_selected_columns


@compiles(sorted_whole)
def _sorted(element: sorted_whole, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.select, **kw))


@compiles(sorted_whole, *MYSQL)
def _sorted_mysql(element: sorted_whole, compiler: Any, **kw: Any) -> str:
    return f"SET STATEMENT max_sort_length = {MAX_SORT_LENGTH} FOR {compiler.process(element.select, **kw)}"


def _arguments(element: FunctionElement[Any]) -> list[Any]:
    return list(element.clauses.clauses)


@compiles(_Exact)
def _exact(element: _Exact, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(_arguments(element)[0], **kw))


@compiles(_Exact, *MYSQL)
def _exact_mysql(element: _Exact, compiler: Any, **kw: Any) -> str:
    text = compiler.process(_arguments(element)[0], **kw)
    return f"(CONVERT({text} USING utf8mb4) COLLATE utf8mb4_nopad_bin)"


@compiles(_Equal)
def _equal(element: _Equal, compiler: Any, **kw: Any) -> str:
    column, value = _arguments(element)
    return str(compiler.process(column == value, **kw))


@compiles(_Equal, *MYSQL)
def _equal_mysql(element: _Equal, compiler: Any, **kw: Any) -> str:
    column, value = _arguments(element)
    return str(compiler.process(sa.and_(column == value, _Exact(column) == value), **kw))


@compiles(_Ascending)
def _ascending(element: _Ascending, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(_arguments(element)[0].asc().nulls_last(), **kw))


@compiles(_Descending)
def _descending(element: _Descending, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(_arguments(element)[0].desc().nulls_first(), **kw))


@compiles(_Ascending, *MYSQL)
def _ascending_mysql(element: _Ascending, compiler: Any, **kw: Any) -> str:
    column = compiler.process(_arguments(element)[0], **kw)
    return f"{column} IS NULL, {column} ASC"


@compiles(_Descending, *MYSQL)
def _descending_mysql(element: _Descending, compiler: Any, **kw: Any) -> str:
    column = compiler.process(_arguments(element)[0], **kw)
    return f"{column} IS NULL DESC, {column} DESC"


@compiles(position)
def _strpos(element: position, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


@compiles(position, "sqlite", *MYSQL)
def _instr(element: position, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(ascii_lower)
def _translate(element: ascii_lower, compiler: Any, **kw: Any) -> str:
    return f"translate({compiler.process(element.clauses, **kw)}, '{_UPPER}', '{_LOWER}')"


@compiles(ascii_lower, "sqlite")
def _lower(element: ascii_lower, compiler: Any, **kw: Any) -> str:  # SQLite's lower() folds A-Z only
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(ascii_lower, *MYSQL)
def _replace(element: ascii_lower, compiler: Any, **kw: Any) -> str:  # REPLACE matches case-sensitively
    text = compiler.process(element.clauses, **kw)
    for upper, lower in zip(_UPPER, _LOWER):
        text = f"replace({text}, '{upper}', '{lower}')"
    return str(text)
