"""The SQL statements of a router, built once; no I/O here.

Every route runs a single statement: a column SELECT for reads, and INSERT, UPDATE or
DELETE with RETURNING of the public columns for writes, so a write needs no second trip
to read back what it wrote. (MariaDB has no ``UPDATE … RETURNING``: there an update is
followed by a SELECT of the row, in the same transaction; see ``_operations``.) Later
features (filters, sorting, scopes) narrow these statements with ``.where()`` and
``.order_by()``; they never add round trips. Related rows nested in the public model are
read by the statements of ``shape`` (``_related``). A primary key of several columns binds
one parameter per column; the ``_many`` statements of ``bulk=True`` name rows by their keys.
"""

from typing import Any

import sqlalchemy as sa

from ._columns import answered, bound, sql_type
from ._dialects import equal, exact
from ._related import Shape
from ._table import Table

PK = "sqlcrud_pk"  # bind parameter names (sqlcrud_pk0, ...); column keys are free to be anything else
KEYS = "sqlcrud_keys"  # the bind parameter of many rows' keys


class Statements:
    """The statements that read and write one table through one public model."""

    def __init__(
        self,
        table: Table,
        shape: Shape,
        version: str | None = None,
        time_limit: float | None = None,
        also: dict[str, str] | None = None,
    ) -> None:
        self.table = table
        self.shape = shape
        self.time_limit = time_limit  # seconds a statement may run (see ``_limits``)
        self._public = {name: table.columns[name] for name in shape.columns}
        # ``also``: more labels of columns, {"id": "login"} for clients that need an ``id``.
        answers = {**self._public, **{label: table.columns[name] for label, name in (also or {}).items()}}
        self.labelled = {name: answered(column).label(name) for name, column in answers.items()}
        columns = list(self.labelled.values())
        self.select = sa.select(*columns).order_by(*table.key_columns)
        self.page = self.select.offset(sa.bindparam("offset")).limit(sa.bindparam("limit"))
        key = sa.and_(*(equal(c, sa.bindparam(f"{PK}{i}", type_=c.type)) for i, c in enumerate(table.key_columns)))
        self.one = sa.select(*columns).where(key)
        self.insert = sa.insert(table.table).returning(*columns)
        update = sa.update(table.table)
        if version is not None:  # every UPDATE increments the version column, in itself
            bump = table.columns[version]
            update = update.values({bump: bump + 1})
        self.update, self.update_only = update.where(key).returning(*columns), update.where(key)
        self.delete = sa.delete(table.table).where(key).returning(*table.key_columns)
        self.delete_answering = sa.delete(table.table).where(key).returning(*columns)
        # Many rows at once (``bulk=True``): the rows are named by their keys, in one IN.
        key_columns = table.key_columns
        keys = (key_columns[0] if len(key_columns) == 1 else sa.tuple_(*key_columns)).in_(
            sa.bindparam(KEYS, expanding=True)
        )
        self.insert_many = sa.insert(table.table).returning(*columns, sort_by_parameter_order=True)
        self.update_many, self.update_many_only = update.where(keys).returning(*columns), update.where(keys)
        self.delete_many = sa.delete(table.table).where(keys)
        self.select_many = self.select.where(keys)
        self.key_select = sa.select(*(answered(table.columns[name]).label(name) for name in table.key))

    def params(self, values: dict[str, Any]) -> dict[str, Any]:
        """Bind parameters for ``insert`` or ``update`` from attribute values.

        Core INSERT and UPDATE take their column list from the parameters' keys, so one
        statement serves every subset of columns a client sends.
        """
        columns = self.table.columns
        return {columns[name].key: value for name, value in values.items()}

    @staticmethod
    def key(pk: tuple[Any, ...]) -> dict[str, Any]:
        """Bind parameters naming one row by its primary key's values."""
        return {f"{PK}{i}": value for i, value in enumerate(pk)}

    def keys(self, keys: list[tuple[Any, ...]]) -> dict[str, Any]:
        """The bind parameter naming many rows by their keys, as ``_many`` statements take it."""
        columns = self.table.key_columns
        bound_keys = [tuple(bound(c, value) for c, value in zip(columns, key)) for key in keys]
        return {KEYS: bound_keys if len(columns) > 1 else [key for (key,) in bound_keys]}

    def holding(self, values: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
        """Conditions that columns hold ``values``, by attribute name."""
        return [_same(self.table.columns[name], value) for name, value in values.items()]

    def unchanged(self, row: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
        """Conditions that the public columns still hold the values of ``row``.

        JSON is compared as its text: PostgreSQL's ``json`` has no ``=``.
        """
        return [_same(column, row[name]) for name, column in self._public.items()]


def _same(column: sa.Column[Any], value: Any) -> sa.ColumnElement[bool]:
    if isinstance(sql_type(column), sa.JSON):
        return sa.cast(column, sa.Text).is_not_distinct_from(sa.cast(sa.literal(value, column.type), sa.Text))
    return exact(column).is_not_distinct_from(bound(column, value))
